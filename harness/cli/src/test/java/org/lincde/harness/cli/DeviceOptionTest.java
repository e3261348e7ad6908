package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device} reaches the backend, and an unavailable device is one clear line, not a stack trace. */
class DeviceOptionTest {
    @Test
    void aGpuRequestOnTheCpuOnlyReferenceFailsWithOneLineNamingTheBackend(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.json");
        Files.writeString(config, "{\"task\": \"parity\", \"num_blocks\": 1, \"model_dim\": 4, \"batch_size\": 2,"
                + " \"num_steps\": 1, \"print_steps\": 1, \"learning_rate\": 0.01, \"diagonal\": true,"
                + " \"validation_samples\": 2}");
        Cli.Result r = Cli.run(new TrainCommand(), "train", config.toString(), "--backend", "reference", "--device",
                "gpu", "--results", dir.resolve("results").toString(), "--quiet");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("backend unavailable").contains("'reference'").contains("GPU")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("results")).doesNotExist();
        Cli.Result bad = Cli.run(new TrainCommand(), "train", config.toString(), "--device", "tpu");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("tpu");
    }
}
