package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.uea.UeaDataLocator;

/**
 * {@code lincde experiment --r3 PATH}: R3's repeat config format (the shipped Heartbeat file re-targeted to the
 * shared BasicMotions data and shrunk) runs each seed as a UEA run with a record; bad files are one error naming the
 * file and key, before any training.
 */
class ExperimentR3CommandTest {
    private static final Path HB = Path.of(System.getProperty("lincde.root.dir", ".."), "experiment_configs", "repeats",
            "log_ncde", "Heartbeat.json");

    @Test
    void runsAnR3ConfigPerSeedAndResumes(@TempDir Path dir) throws Exception {
        assumeTrue(UeaDataLocator.defaults().available("BasicMotions"), "shared BasicMotions data not found");
        Path folder = Files.createDirectories(dir.resolve("log_ncde"));
        String text = Files.readString(HB).replace("\"Heartbeat\"", "\"BasicMotions\"")
                .replace("\"hidden_dim\": \"16\"", "\"hidden_dim\": \"4\"").replace("\"vf_width\": \"128\"", "\"vf_width\": \"8\"")
                .replace("\"dt0\": \"0.002\"", "\"dt0\": \"0.1\"");
        Path config = Files.writeString(folder.resolve("BasicMotions.json"), text);
        Path results = dir.resolve("results");
        String[] args = {"--r3", config.toString(), "--runs", "2", "--steps", "2", "--print-steps", "1", "--backend",
            "reference", "--dtype", "float64", "--results", results.toString(), "--quiet"};
        ExperimentCommandTest.Result r = ExperimentCommandTest.run(new ExperimentCommand(), args);
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Log-NCDE / BasicMotions / seed 2345").contains("Log-NCDE / BasicMotions / seed 3456")
                .contains("test accuracy");
        List<RunRecord> records = new ResultsStore(results).all("r3-experiment");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).config()).containsEntry("model_name", "log_ncde").containsEntry("hidden_dim", 4)
                .containsEntry("scale", 1000.0).containsEntry("lambd", 1e-6);
        assertThat(((Number) records.get(0).config().get("num_steps")).longValue()).isEqualTo(2); // --steps
        assertThat(records.get(0).stepsTaken()).isEqualTo(2);
        ExperimentCommandTest.Result again = ExperimentCommandTest.run(new ExperimentCommand(), args);
        assertThat(again.out()).contains("record exists, skipped");
    }

    @Test
    void aBadR3ConfigIsOneErrorNamingTheFileAndKey(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("nrde"));
        Path config = Files.writeString(folder.resolve("Heartbeat.json"), Files.readString(HB)
                .replace("\"dt0\": \"0.002\"", "\"dt0\": \"-0.002\""));
        ExperimentCommandTest.Result r = ExperimentCommandTest.run(new ExperimentCommand(), "--r3", config.toString(),
                "--results", dir.resolve("results").toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(config.toString()).contains("'dt0'").doesNotContain("Exception");
        assertThat(dir.resolve("results")).doesNotExist();
    }
}
