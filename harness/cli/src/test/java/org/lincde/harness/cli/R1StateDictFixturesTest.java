package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.harness.io.Safetensors;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;

/**
 * State dicts written by the SLiCE authors' own {@code StackedLCDE} (R1 models/slcde.py at 76dd0dd; fixtures
 * and the script that made them in {@code src/test/resources/r1-state-dicts}, see its README) load through
 * {@code lincde eval} exactly as written — {@code blocks.i.LCDE.mask} buffers included — and give the authors'
 * logits: within 1e-4 of their float32 logits on every backend, and within 1e-10 of their float64 logits on
 * the float64 reference.
 */
class R1StateDictFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("lincde.root.dir", ".."))
            .resolve("harness/cli/src/test/resources/r1-state-dicts");
    private static final List<String> NAMES = List.of("diagonal", "block-diagonal", "dplr", "walsh-hadamard", "dense",
            "sparse");

    @TempDir
    Path dir;

    static Stream<Arguments> fixturesOnBackends() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : List.of("reference", "djl", "nd4j")) {
            for (String n : NAMES) {
                out.add(Arguments.of(n, backend));
                out.add(Arguments.of(n + "-glu", backend));
            }
        }
        return out.stream();
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(FIXTURES.resolve(name + ".json").toFile());
    }

    private Path write(String file, String text) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, text);
        return p;
    }

    private static double[] flat(JsonNode nested) {
        List<Double> v = new ArrayList<>();
        for (JsonNode seq : nested) {
            for (JsonNode row : seq) {
                for (JsonNode x : row) {
                    v.add(x.doubleValue());
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private Cli.Result eval(Path config, Path weights, JsonNode f, String backend, String dtype, Path out)
            throws IOException {
        Path input = write("input.json", "{\"input\": " + f.get("input") + "}");
        return Cli.run(new EvalCommand(), "eval", "--config", config.toString(), "--weights", weights.toString(),
                "--input", input.toString(), "--output", out.toString(), "--backend", backend, "--dtype", dtype);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("fixturesOnBackends")
    void authorsStateDictGivesTheAuthorsLogits(String name, String backend) throws IOException {
        JsonNode f = fixture(name);
        Path config = write(name + ".json", f.get("config").toString());
        Path out = dir.resolve("out.json");
        // the reference computes in float64 only; the others as the authors ran the model, in float32
        boolean reference = backend.equals("reference");
        Cli.Result r = eval(config, FIXTURES.resolve(name + ".safetensors"), f, backend,
                reference ? "float64" : "float32", out);
        assertThat(r.code()).as(r.err()).isZero();
        double[] got = flat(JSON.readTree(out.toFile()).get("logits"));
        assertThat(maxAbsDiff(got, flat(f.get("logits_float32")))).as("max |lincde − R1| (R1 in float32)")
                .isLessThan(1e-4);
        if (reference) {
            assertThat(maxAbsDiff(got, flat(f.get("logits_float64")))).as("max |lincde − R1| (both float64)")
                    .isLessThan(1e-10);
        }
    }

    @Test
    void theFixturesCarryR1sMaskForEveryStructure() throws IOException {
        for (String n : NAMES) {
            ParameterSet p = Safetensors.read(FIXTURES.resolve(n + ".safetensors"));
            assertThat(p.names()).as(n).contains("blocks.0.LCDE.mask", "blocks.1.LCDE.mask");
            assertThat(p.get("blocks.0.LCDE.mask").shape()).containsExactly(256, 17);
        }
    }

    @Test
    void aConfigWithOnlyTheModelKeysEvaluates() throws IOException {
        JsonNode f = fixture("block-diagonal");
        ObjectNode cfg = (ObjectNode) f.get("config").deepCopy();
        cfg.remove(List.of("batch_size", "num_steps", "print_steps", "learning_rate"));
        Path config = write("model-only.json", cfg.toString());
        Path out = dir.resolve("out.json");
        Cli.Result r = eval(config, FIXTURES.resolve("block-diagonal.safetensors"), f, "reference", "float64", out);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(maxAbsDiff(flat(JSON.readTree(out.toFile()).get("logits")), flat(f.get("logits_float64"))))
                .isLessThan(1e-10);
        // bench needs only the model's keys too
        r = Cli.run(new BenchCommand(), "bench", "--config", config.toString(), "--backend", "reference", "--batch", "2",
                "--length", "4", "--steps", "1", "--warmup", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sec_per_step");
    }

    private Path modified(String name, java.util.function.Consumer<ParameterSet> change) throws IOException {
        ParameterSet p = Safetensors.read(FIXTURES.resolve(name + ".safetensors"));
        change.accept(p);
        Path w = dir.resolve(name + "-modified.safetensors");
        Safetensors.write(w, p, ElementType.FLOAT32);
        return w;
    }

    @Test
    void mismatchesAndExtraKeysAreRefusedNamingTheKey() throws IOException {
        JsonNode f = fixture("dense");
        Path dense = write("dense.json", f.get("config").toString());
        Path out = dir.resolve("never.json");
        // a dense config with a mask that has False entries: trained as a sparse model
        Path w = modified("dense", p -> p.get("blocks.1.LCDE.mask").data()[5] = 0);
        Cli.Result r = eval(dense, w, f, "reference", "float64", out);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("key 'blocks.1.LCDE.mask' has 1 False entries of 4352")
                .contains("set key 'sparsity'");
        // optimiser state in the file: every extra key is named
        w = modified("dense", p -> {
            p.put("state.0.exp_avg", HostTensor.of(new double[3], 3));
            p.put("state.0.exp_avg_sq", HostTensor.of(new double[3], 3));
        });
        r = eval(dense, w, f, "reference", "float64", out);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unexpected keys 'state.0.exp_avg', 'state.0.exp_avg_sq' (optimiser state");
        // a sparse model whose weight is nonzero under its mask
        JsonNode fs = fixture("sparse");
        Path sparse = write("sparse.json", fs.get("config").toString());
        w = modified("sparse", p -> {
            double[] m = p.get("blocks.0.LCDE.mask").data();
            int i = 0;
            while (m[i] != 0) {
                i++;
            }
            p.get("blocks.0.LCDE.vf_A.weight").data()[i] = 0.5;
        });
        r = eval(sparse, w, fs, "reference", "float64", out);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("key 'blocks.0.LCDE.vf_A.weight' is 0.5 at [")
                .contains("where key 'blocks.0.LCDE.mask' is False");
        // a diagonal model's mask of the wrong shape
        JsonNode fd = fixture("diagonal");
        Path diag = write("diagonal.json", fd.get("config").toString());
        ParameterSet read = Safetensors.read(FIXTURES.resolve("diagonal.safetensors"));
        ParameterSet reshaped = new ParameterSet();
        for (ParameterSet.Entry e : read.entries()) {
            reshaped.put(e.name(), e.name().equals("blocks.0.LCDE.mask")
                    ? HostTensor.of(ElementType.BOOL, new double[4], 2, 2) : e.tensor(), e.role());
        }
        w = dir.resolve("reshaped.safetensors");
        Safetensors.write(w, reshaped, ElementType.FLOAT32);
        r = eval(diag, w, fd, "reference", "float64", out);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("key 'blocks.0.LCDE.mask' has shape [2, 2], R1's LinearCDE registers it as "
                + "[h·h, d+1] = [256, 17]");
        // a mask for a block the config does not have
        w = modified("diagonal", p -> p.put("blocks.2.LCDE.mask", p.get("blocks.0.LCDE.mask"), ParameterSet.Role.BUFFER));
        r = eval(diag, w, fd, "reference", "float64", out);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unexpected key 'blocks.2.LCDE.mask'");
        assertThat(out).doesNotExist();
    }
}
