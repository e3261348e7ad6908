package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.r2.R2A5Experiment;
import org.lincde.harness.r2.SsmA5SearchPlan;
import org.lincde.harness.run.TokenRunPlan;
import org.lincde.spi.DType;
import picocli.CommandLine;

/**
 * {@code lincde experiment}: {@code -c NAME} is {@code lincde train} on the same file (same key, same record), and
 * {@code -m/-e A5} runs R2's protocols from the YAML files with budget overrides, resuming from records.
 */
class ExperimentCommandTest {
    private static final Path CONFIGS = Path.of(System.getProperty("lincde.root.dir", "../.."), "experiment_configs");

    /** Output and exit code of one command. */
    record Result(int code, String out, String err) {}

    /** Runs {@code command} as Main runs its subcommands (same error handling: bad input → exit 2). */
    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("lincde " + cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void dashCRunsTheJsonExactlyAsTrainDoes(@TempDir Path dir) throws Exception {
        Path configs = Files.createDirectories(dir.resolve("configs"));
        // a small config in the authors' format (cycle_nav of the published file, shrunk for a test)
        Files.writeString(configs.resolve("tiny_cycle_nav.json"), """
                {"task": "cycle_nav", "model_name": "lcde", "num_blocks": 1, "model_dim": 4, "batch_size": 4,
                 "num_steps": 2, "print_steps": 1, "learning_rate": 0.002, "block_size": 2, "diagonal": true,
                 "validation_samples": 4, "validation_lengths": [4, 6], "train_lengths": [3, 5], "runs": 1}
                """);
        Path results = dir.resolve("results");
        Result exp = run(new ExperimentCommand(), "-c", "tiny_cycle_nav", "--configs", configs.toString(),
                "--results", results.toString(), "--backend", "reference", "--dtype", "float64", "--quiet");
        assertThat(exp.code()).as(exp.out() + exp.err()).isZero();
        R1Config c = R1Config.read(configs.resolve("tiny_cycle_nav.json"));
        String key = new TokenRunPlan("train", "x", c, 0, "reference", DType.FLOAT64).key();
        assertThat(new ResultsStore(results).has("train", key)).isTrue();
        // `lincde train` on the same file finds that very record
        Result train = run(new TrainCommand(), configs.resolve("tiny_cycle_nav.json").toString(), "--results",
                results.toString(), "--backend", "reference", "--dtype", "float64", "--quiet");
        assertThat(train.code()).isZero();
        assertThat(train.out()).contains("record exists, skipped").contains(key);
        // the published file resolves by name from the project's experiment_configs (not run here: too big)
        Result missing = run(new ExperimentCommand(), "-c", "no_such_config", "--configs", CONFIGS.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no_such_config");
        assertThat(CONFIGS.resolve("bdlncde_cycle_nav.json")).isRegularFile();
    }

    @Test
    void linearCdeOnA5RunsOneRecordPerLengthAndResumes(@TempDir Path dir) {
        Path results = dir.resolve("results");
        String[] args = {"-m", "LCDE", "-e", "A5", "-s", "7", "--configs", CONFIGS.toString(), "--lengths", "3,4",
            "--hidden", "4", "--steps", "3", "--print-steps", "2", "--a5-size", "300", "--results", results.toString(),
            "--backend", "reference", "--dtype", "float64", "--quiet"};
        Result first = run(new ExperimentCommand(), args);
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        List<RunRecord> records = new ResultsStore(results).all(R2A5Experiment.ARTIFACT);
        assertThat(records).hasSize(2);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.config()).containsEntry("protocol", "r2-lcde-a5").containsEntry("hidden_dim", 4)
                    .containsEntry("aux_batch_size", 3).containsEntry("learning_rate", 2e-4).containsEntry("seed", 7);
            assertThat(r.metrics()).containsKeys("best_accuracy", "min_depth");
            assertThat(r.stepsTaken()).isBetween(1L, 3L);
        });
        assertThat(first.out()).contains("A5-3").contains("A5-4");
        Result again = run(new ExperimentCommand(), args);
        assertThat(again.out()).contains("record exists, skipped");
        assertThat(new ResultsStore(results).all(R2A5Experiment.ARTIFACT)).hasSize(2);
    }

    @Test
    void sequenceModelsOnA5RunTheDepthSearchPerModel(@TempDir Path dir) {
        Path results = dir.resolve("results");
        Result r = run(new ExperimentCommand(), "-m", "SequenceModel", "-e", "A5", "-n", "RNN", "--configs",
                CONFIGS.toString(), "--lengths", "3,4", "--depths", "1,2", "--hidden", "4", "--state", "2", "--steps",
                "2", "--a5-size", "300", "--results", results.toString(), "--backend", "reference", "--dtype",
                "float64", "--quiet");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<RunRecord> records = new ResultsStore(results).all(R2A5Experiment.ARTIFACT);
        assertThat(records).hasSize(1);
        RunRecord rec = records.get(0);
        assertThat(rec.config()).containsEntry("model_name", "RNN").containsEntry("max_steps", 2)
                .containsEntry("learning_rates", List.of(1e-4, 1e-4)); // the published RNN rate at every depth
        // two steps cannot solve A5: depth 1 and 2 fail at length 3, nothing is left for length 4
        assertThat(rec.metrics()).containsEntry(SsmA5SearchPlan.minDepthKey(3), 0.0)
                .containsEntry(SsmA5SearchPlan.minDepthKey(4), 0.0).containsEntry("pruned_N4", 1.0)
                .containsKeys(SsmA5SearchPlan.accuracyKey(3, 1), SsmA5SearchPlan.accuracyKey(3, 2))
                .doesNotContainKey(SsmA5SearchPlan.accuracyKey(4, 1)).containsEntry("trainings", 2.0);
        // journalled per training under the checkpoint folder
        assertThat(results.resolve("checkpoints").resolve(rec.key()).resolve("A5-3-depth-2.json")).isRegularFile();
        assertThat(r.out()).contains("RNN").contains("—");
    }

    @Test
    void badUsageAndTheToyPointer(@TempDir Path dir) {
        Result none = run(new ExperimentCommand(), "--configs", CONFIGS.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("-m").contains("-c");
        Result badModel = run(new ExperimentCommand(), "-m", "LSTM", "-e", "A5", "--configs", CONFIGS.toString());
        assertThat(badModel.code()).isEqualTo(2);
        assertThat(badModel.err()).contains("LSTM");
        Result mixed = run(new ExperimentCommand(), "-c", "bdlncde_cycle_nav", "--hidden", "4");
        assertThat(mixed.code()).isEqualTo(2);
        assertThat(mixed.err()).contains("--hidden");
        Result heads = run(new ExperimentCommand(), "-m", "SequenceModel", "-e", "A5", "-n", "Transformer",
                "--configs", CONFIGS.toString(), "--hidden", "6", "--state", "4", "--results",
                dir.resolve("r").toString(), "--backend", "reference");
        assertThat(heads.code()).isEqualTo(2);
        assertThat(heads.err()).contains("hidden_dim").contains("state_dim");
        assertThat(dir.resolve("r")).doesNotExist();
        Result toy = run(new ExperimentCommand(), "-m", "SequenceModel", "-e", "toy", "--configs", CONFIGS.toString());
        assertThat(toy.code()).isZero();
        assertThat(toy.out()).contains("ssm_toy.yaml").contains("ssm-toy-rmse").contains("num_epochs 401");
        Path bad = dir.resolve("bad");
        assertThat(bad.toFile().mkdirs()).isTrue();
        Result badYaml;
        try {
            Files.writeString(bad.resolve("lcde_toy.yaml"), "runs: 5\nhidden_dim: 256\nbatch: 4\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        badYaml = run(new ExperimentCommand(), "-m", "LCDE", "-e", "toy", "--configs", bad.toString());
        assertThat(badYaml.code()).isEqualTo(2);
        assertThat(badYaml.err()).contains("lcde_toy.yaml");
    }
}
