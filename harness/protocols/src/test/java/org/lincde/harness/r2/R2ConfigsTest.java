package org.lincde.harness.r2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.config.ConfigException;

/**
 * The four YAML files of R2 in the project's {@code experiment_configs/} hold the values SPEC §4.2 lists, and
 * the readers are strict: unknown keys, wrong types, missing keys, duplicates and bad names are errors naming
 * the file and the key.
 */
class R2ConfigsTest {
    private static final Path CONFIGS = Path.of(System.getProperty("lincde.root.dir", "../.."), "experiment_configs");

    @Test
    void lcdeA5FileHoldsSpecValues() {
        LcdeA5Config c = LcdeA5Config.read(CONFIGS.resolve("lcde_a5.yaml"));
        assertThat(c.source()).endsWith("lcde_a5.yaml");
        assertThat(c).usingRecursiveComparison().ignoringFields("source").isEqualTo(LcdeA5Config.PAPER);
        // the values themselves, as SPEC §4.2 writes them
        assertThat(c.hiddenDim()).isEqualTo(256);
        assertThat(c.inputDim()).isEqualTo(60);
        assertThat(c.outputDim()).isEqualTo(60);
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.auxBatchSize()).isEqualTo(3); // batch_size // 10
        assertThat(c.trainSplit()).isEqualTo(0.8);
        assertThat(c.numSteps()).isEqualTo(1_000_000);
        assertThat(c.printSteps()).isEqualTo(10_000);
        assertThat(c.learningRate()).isEqualTo(2e-4);
        assertThat(c.lengths()).containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20);
    }

    @Test
    void ssmA5FileHoldsSpecValues() {
        SsmA5Config c = SsmA5Config.read(CONFIGS.resolve("ssm_a5.yaml"));
        assertThat(c).usingRecursiveComparison().ignoringFields("source").isEqualTo(SsmA5Config.PAPER);
        assertThat(c.modelNames()).containsExactly("Transformer", "Mamba", "RNN", "S4");
        assertThat(c.depths()).containsExactly(1, 2, 3, 4);
        assertThat(c.hiddenDim()).isEqualTo(1024);
        assertThat(c.stateDim()).isEqualTo(64);
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.learningRate()).isEqualTo(2e-4);
        assertThat(c.numEpochs()).isEqualTo(40);
        assertThat(c.lengths()).hasSize(14).startsWith(3).endsWith(20);
    }

    @Test
    void toyFilesHoldSpecValues() {
        LcdeToyConfig l = LcdeToyConfig.read(CONFIGS.resolve("lcde_toy.yaml"));
        assertThat(l).usingRecursiveComparison().ignoringFields("source").isEqualTo(LcdeToyConfig.PAPER);
        assertThat(l.batchSize()).isEqualTo(4000);
        assertThat(l.inputDims()).containsExactly(2, 3);
        SsmToyConfig s = SsmToyConfig.read(CONFIGS.resolve("ssm_toy.yaml"));
        assertThat(s).usingRecursiveComparison().ignoringFields("source").isEqualTo(SsmToyConfig.PAPER);
        // YAML 1.1 booleans as the authors wrote them: [2, True]
        assertThat(s.depthNonlinears()).containsExactly(new SsmToyConfig.DepthNonlinear(2, true),
                new SsmToyConfig.DepthNonlinear(2, false), new SsmToyConfig.DepthNonlinear(1, false));
        assertThat(s.learningRate()).isEqualTo(1e-4);
        assertThat(s.numEpochs()).isEqualTo(401);
        assertThat(s.stateDim()).isEqualTo(256);
    }

    private static final String LCDE = """
            hidden_dim: 8
            output_dim: 60
            batch_size: 32
            input_dim: 60
            train_split: 0.8
            num_steps: 10
            print_steps: 5
            learning_rate: 0.0002
            lengths: [3, 4]
            """;

    @Test
    void aValidSmallFileParses() {
        LcdeA5Config c = LcdeA5Config.parse("t.yaml", LCDE);
        assertThat(c.hiddenDim()).isEqualTo(8);
        assertThat(c.lengths()).containsExactly(3, 4);
    }

    @Test
    void unknownKeysAreErrorsNamingFileAndKey() {
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE + "seed: 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.yaml").hasMessageContaining("unknown key 'seed'");
        assertThatThrownBy(() -> SsmA5Config.parse("s.yaml", "model_names: [RNN]\nlengths: [3]\ndepths: [1]\n"
                + "input_dim: 60\noutput_dim: 60\nhidden_dim: 8\nstate_dim: 4\nbatch_size: 2\nlearning_rate: 0.1\n"
                + "num_epoch: 3\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s.yaml").hasMessageContaining("'num_epoch'");
    }

    @Test
    void wrongTypesAreErrorsNamingFileKeyAndValue() {
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE.replace("hidden_dim: 8", "hidden_dim: eight")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml").hasMessageContaining("'hidden_dim'").hasMessageContaining("integer")
                .hasMessageContaining("eight");
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE.replace("hidden_dim: 8", "hidden_dim: 8.5")))
                .hasMessageContaining("'hidden_dim'").hasMessageContaining("integer");
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE.replace("lengths: [3, 4]", "lengths: 3")))
                .hasMessageContaining("'lengths'").hasMessageContaining("list");
        // a quoted number is text, not a number; 2e-4 is a YAML 1.2 float (PyYAML would read it as text)
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE.replace("0.0002", "\"0.0002\"")))
                .hasMessageContaining("'learning_rate'").hasMessageContaining("a number").hasMessageContaining("string");
        assertThat(LcdeA5Config.parse("t.yaml", LCDE.replace("0.0002", "2e-4")).learningRate()).isEqualTo(2e-4);
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE.replace("train_split: 0.8", "train_split: 1.0")))
                .hasMessageContaining("'train_split'");
    }

    @Test
    void missingKeysDuplicatesAndBadDocumentsAreErrors() {
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE.replace("batch_size: 32\n", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("required key 'batch_size'");
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", LCDE + "hidden_dim: 16\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("t.yaml").hasMessageContaining("hidden_dim");
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", "")).hasMessageContaining("t.yaml")
                .hasMessageContaining("mapping");
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", "- 1\n- 2\n")).hasMessageContaining("mapping");
        assertThatThrownBy(() -> LcdeA5Config.parse("t.yaml", "a: [1, 2\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> LcdeA5Config.read(Path.of("no/such/file.yaml")))
                .hasMessageContaining("not found").hasMessageContaining("no/such/file.yaml");
    }

    @Test
    void modelNamesAndPairsAreChecked() {
        String ssm = "model_names: [RNN, LSTM]\nlengths: [3]\ndepths: [1]\ninput_dim: 60\noutput_dim: 60\n"
                + "hidden_dim: 8\nstate_dim: 4\nbatch_size: 2\nlearning_rate: 0.1\n";
        assertThatThrownBy(() -> SsmA5Config.parse("s.yaml", ssm)).hasMessageContaining("'model_names'")
                .hasMessageContaining("LSTM");
        SsmA5Config ok = SsmA5Config.parse("s.yaml", ssm.replace(", LSTM", ""));
        assertThat(ok.numEpochs()).isEqualTo(SsmA5Config.DEFAULT_EPOCHS); // R2's default when left out
        String toy = "runs: 1\nmodel_names: [S4]\ninput_dims: [2]\ndepth_nonlinears: [[2, maybe]]\noutput_dim: 1\n"
                + "hidden_dim: 4\nstate_dim: 4\nbatch_size: 2\nlearning_rate: 0.1\n";
        assertThatThrownBy(() -> SsmToyConfig.parse("y.yaml", toy)).hasMessageContaining("'depth_nonlinears'")
                .hasMessageContaining("maybe");
        assertThat(SsmToyConfig.parse("y.yaml", toy.replace("maybe", "false")).depthNonlinears())
                .isEqualTo(List.of(new SsmToyConfig.DepthNonlinear(2, false)));
    }
}
