package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.config.ConfigException;

/**
 * R3's unmodified repeat configs ({@code experiment_configs/repeats/<model>/<dataset>.json}, shipped for the three
 * neural CDEs) read as R3's {@code run_experiment.py} reads them, and bad files refused with the file and key.
 */
class R3RepeatConfigTest {
    private static final Path REPEATS = Path.of(System.getProperty("lincde.root.dir", ".."), "experiment_configs",
            "repeats");

    @Test
    void everyShippedConfigReadsToThePaperSettings() {
        for (NeuralCdeModel m : NeuralCdeModel.values()) {
            for (UeaExperiment paper : UeaExperiment.PAPER) {
                R3RepeatConfig c = R3RepeatConfig.read(REPEATS.resolve(m.modelName()).resolve(paper.dataset() + ".json"));
                assertThat(c.model()).isEqualTo(m);
                assertThat(c.seeds()).containsExactly(2345L, 3456L, 4567L, 5678L, 6789L);
                assertThat(c.experiment().dataset()).isEqualTo(paper.dataset());
                assertThat(c.experiment().numSteps()).isEqualTo(100_000);
                assertThat(c.experiment().batchSize()).isEqualTo(32);
                assertThat(c.experiment().earlyStoppingSteps()).isEqualTo(10);
                // the file's values are the table's (which the artifacts use)
                assertThat(c.experiment().neuralCde(m)).as(m + " " + paper.dataset()).isEqualTo(paper.neuralCde(m));
            }
        }
        assertThat(R3RepeatConfig.files(REPEATS.resolve("nrde"))).hasSize(6);
    }

    @Test
    void badConfigsNameTheFileAndTheKey(@TempDir Path tmp) throws IOException {
        String hb = Files.readString(REPEATS.resolve("log_ncde/Heartbeat.json"));
        Path dir = Files.createDirectories(tmp.resolve("log_ncde"));
        Path noDepth = write(dir, "a.json", hb.replace("\"vf_depth\": \"3\",", ""));
        assertThatThrownBy(() -> R3RepeatConfig.read(noDepth)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(noDepth.toString()).hasMessageContaining("'vf_depth' is missing");
        Path depth0 = write(dir, "b.json", hb.replace("\"depth\": \"2\"", "\"depth\": \"0\""));
        assertThatThrownBy(() -> R3RepeatConfig.read(depth0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(depth0.toString()).hasMessageContaining("key 'depth' = 0")
                .hasMessageContaining("logsig_depth");
        Path negative = write(dir, "c.json", hb.replace("\"dt0\": \"0.002\"", "\"dt0\": \"-0.002\""));
        assertThatThrownBy(() -> R3RepeatConfig.read(negative)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(negative.toString()).hasMessageContaining("key 'dt0' = -0.002")
                .hasMessageContaining("> 0");
        Path typo = write(dir, "d.json", hb.replace("\"vf_width\"", "\"vf_widht\""));
        assertThatThrownBy(() -> R3RepeatConfig.read(typo)).hasMessageContaining("vf_widht");
        Path words = write(dir, "e.json", hb.replace("\"hidden_dim\": \"16\"", "\"hidden_dim\": \"sixteen\""));
        assertThatThrownBy(() -> R3RepeatConfig.read(words)).hasMessageContaining("key 'hidden_dim' = \"sixteen\"");
        Path other = write(Files.createDirectories(tmp.resolve("gru")), "Heartbeat.json",
                hb.replace("\"model_name\": \"log_ncde\"", "\"model_name\": \"gru\""));
        assertThatThrownBy(() -> R3RepeatConfig.read(other)).hasMessageContaining("'gru'");
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        assertThat(text).isNotEqualTo(Files.readString(REPEATS.resolve("log_ncde/Heartbeat.json")));
        return Files.writeString(dir.resolve(name), text);
    }
}
