package org.lincde.harness.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.harness.cli.Main;
import org.lincde.spi.StructureSpec;

class R1ConfigTest {
    static final String AUTHORS_CYCLE_NAV = """
            {"task": "cycle_nav", "model_name": "lcde", "num_blocks": 2, "model_dim": 128, "batch_size": 256,
             "num_steps": 100001, "print_steps": 5000, "learning_rate": 0.002, "early_stop_threshold": 0.9995,
             "block_size": 4, "init_std": 0.5, "diagonal": true, "fwht": false, "use_glu": false, "seed": 1234}""";

    @Test
    void theAuthorsConfigReadsUnmodifiedWithR1Defaults() {
        R1Config c = R1Config.parse("bdlncde_cycle_nav.json", AUTHORS_CYCLE_NAV);
        assertThat(c.structure()).isEqualTo(StructureSpec.of("block-diagonal", "block_size", "4"));
        assertThat(c.numSteps()).isEqualTo(100_001);
        assertThat(c.dropoutRate()).isEqualTo(0.01);
        assertThat(c.vfANormLambda()).isEqualTo(0.001);
        assertThat(c.runs()).isEqualTo(5);
        assertThat(c.runSeed(4)).isEqualTo(1238);
        assertThat(c.isA5()).isFalse();
    }

    @Test
    void structureFlagsFollowR1Precedence() {
        assertThat(flags("\"diagonal\": true, \"rank\": 2, \"fwht\": true, \"block_size\": 4"))
                .isEqualTo(StructureSpec.of("dplr", "rank", "2"));
        assertThat(flags("\"diagonal\": true, \"fwht\": true, \"block_size\": 4"))
                .isEqualTo(StructureSpec.of("walsh-hadamard"));
        assertThat(flags("\"diagonal\": true")).isEqualTo(StructureSpec.of("diagonal"));
        assertThat(flags("\"diagonal\": false, \"block_size\": 4")).isEqualTo(StructureSpec.of("dense"));
        assertThat(flags("\"sparsity\": 0.25")).isEqualTo(StructureSpec.of("sparse", "sparsity", "0.25"));
        assertThat(flags("\"structure\": \"example.banded\", \"structure_options\": {\"bandwidth\": 2}"))
                .isEqualTo(StructureSpec.of("example.banded", "bandwidth", "2"));
    }

    private static StructureSpec flags(String extra) {
        return R1Config.parse("t", "{\"task\": \"parity\", \"num_blocks\": 1, \"model_dim\": 8, \"batch_size\": 2,"
                + " \"num_steps\": 3, \"print_steps\": 1, \"learning_rate\": 0.1, " + extra + "}").structure();
    }

    @Test
    void a5LengthComesFromTheTaskNameOrTheLengthKey() {
        String base = "\"num_blocks\": 1, \"model_dim\": 8, \"batch_size\": 2, \"num_steps\": 3, \"print_steps\": 1,"
                + " \"learning_rate\": 0.1";
        assertThat(R1Config.parse("t", "{\"task\": \"A5=8\", " + base + "}").length()).isEqualTo(8);
        assertThat(R1Config.parse("t", "{\"task\": \"A5\", \"length\": 6, " + base + "}").length()).isEqualTo(6);
        assertThat(R1Config.parse("t", "{\"task\": \"A5\", " + base + "}").length()).isEqualTo(20);
        assertThatThrownBy(() -> R1Config.parse("t", "{\"task\": \"A5=8\", \"length\": 6, " + base + "}"))
                .hasMessageContaining("length 8").hasMessageContaining("6");
    }

    @Test
    void theMisspeltThresholdIsAcceptedButReportedAsIgnored() {
        R1Config c = R1Config.parse("old.json", AUTHORS_CYCLE_NAV.replace("\"early_stop_threshold\"",
                "\"early_stopping_threshold\""));
        assertThat(c.earlyStopThreshold()).isEqualTo(1.0);
        assertThat(c.ignoredKeys()).containsKey("early_stopping_threshold");
    }

    static Stream<Arguments> malformed() {
        String ok = AUTHORS_CYCLE_NAV;
        return Stream.of(
                Arguments.of("not JSON", "{\"task\": ", "line"),
                Arguments.of("array instead of object", "[1, 2]", "JSON object"),
                Arguments.of("unknown key", ok.replace("\"seed\"", "\"sead\""), "unknown key 'sead'"),
                Arguments.of("missing task", ok.replace("\"task\": \"cycle_nav\",", ""), "'task'"),
                Arguments.of("missing num_blocks", ok.replace("\"num_blocks\": 2,", ""), "'num_blocks'"),
                Arguments.of("num_blocks a string", ok.replace("\"num_blocks\": 2", "\"num_blocks\": \"two\""), "'num_blocks'"),
                Arguments.of("num_blocks zero", ok.replace("\"num_blocks\": 2", "\"num_blocks\": 0"), "'num_blocks'"),
                Arguments.of("model_dim fractional", ok.replace("\"model_dim\": 128", "\"model_dim\": 12.5"), "'model_dim'"),
                Arguments.of("batch_size negative", ok.replace("\"batch_size\": 256", "\"batch_size\": -1"), "'batch_size'"),
                Arguments.of("num_steps zero", ok.replace("\"num_steps\": 100001", "\"num_steps\": 0"), "'num_steps'"),
                Arguments.of("print_steps boolean", ok.replace("\"print_steps\": 5000", "\"print_steps\": true"), "'print_steps'"),
                Arguments.of("learning_rate negative", ok.replace("0.002", "-0.002"), "'learning_rate'"),
                Arguments.of("learning_rate string", ok.replace("0.002", "\"fast\""), "'learning_rate'"),
                Arguments.of("diagonal a number", ok.replace("\"diagonal\": true", "\"diagonal\": 1"), "'diagonal'"),
                Arguments.of("block_size zero", ok.replace("\"block_size\": 4", "\"block_size\": 0"), "'block_size'"),
                Arguments.of("block_size not dividing model_dim", ok.replace("\"block_size\": 4", "\"block_size\": 3"),
                        "block_size"),
                Arguments.of("rank negative", ok.replace("\"fwht\": false", "\"rank\": -1"), "'rank'"),
                Arguments.of("sparsity above one", ok.replace("\"diagonal\": true", "\"diagonal\": false, \"sparsity\": 1.5"),
                        "'sparsity'"),
                Arguments.of("dropout of one", ok.replace("\"use_glu\": false", "\"dropout_rate\": 1.0"), "'dropout_rate'"),
                Arguments.of("lambda negative", ok.replace("\"use_glu\": false", "\"vf_A_norm_lambda\": -1"), "'vf_A_norm_lambda'"),
                Arguments.of("seed a string", ok.replace("\"seed\": 1234", "\"seed\": \"x\""), "'seed'"),
                Arguments.of("unknown model", ok.replace("\"lcde\"", "\"gru\""), "'model_name'"),
                Arguments.of("unknown task", ok.replace("\"cycle_nav\"", "\"cycle_navigation\""), "cycle_navigation"),
                Arguments.of("unknown structure", ok.replace("\"fwht\": false", "\"structure\": \"banded\""), "banded"),
                Arguments.of("structure options without structure",
                        ok.replace("\"fwht\": false", "\"structure_options\": {\"a\": 1}"), "'structure_options'"),
                Arguments.of("WH with model_dim not a power of two",
                        ok.replace("\"fwht\": false", "\"fwht\": true").replace("\"block_size\": 4", "\"block_size\": 1")
                                .replace("\"model_dim\": 128", "\"model_dim\": 96"), "power of two"),
                Arguments.of("train_lengths backwards", ok.replace("\"seed\": 1234", "\"train_lengths\": [40, 3]"),
                        "'train_lengths'"),
                Arguments.of("bad dtype", ok.replace("\"seed\": 1234", "\"dtype\": \"float16\""), "float16"),
                Arguments.of("A5 length too short", ok.replace("\"cycle_nav\"", "\"A5=1\""), "A5 length"));
    }

    /**
     * Each malformed config, run through the real CLI: exit code 2, one message naming the key or the
     * value, and nothing written to the results folder.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedConfigsGiveOneClearErrorAndWriteNothing(String name, String json, String mentions,
                                                          @TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, json);
        Path results = dir.resolve("results");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = Main.run("train", config.toString(), "--results", results.toString(), "--backend", "reference",
                    "--steps", "1", "--quiet");
        } finally {
            System.setErr(old);
        }
        String message = err.toString();
        assertThat(code).as(message).isEqualTo(2);
        assertThat(message).contains(mentions);
        assertThat(message.lines().filter(l -> l.startsWith("lincde ")).count()).isEqualTo(1);
        assertThat(message).doesNotContain("Exception in thread").doesNotContain("\tat ");
        assertThat(results).doesNotExist();
    }
}
