package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options the GPU run script (ci/gpu/run-on-device.sh) uses: bench --forms and conformance --device. */
class GpuRunOptionsTest {
    private static Path config(Path dir) throws Exception {
        Path c = dir.resolve("c.json");
        Files.writeString(c, "{\"task\": \"parity\", \"num_blocks\": 1, \"model_dim\": 4, \"batch_size\": 2,"
                + " \"num_steps\": 1, \"print_steps\": 1, \"learning_rate\": 0.01, \"diagonal\": true,"
                + " \"validation_samples\": 2}");
        return c;
    }

    @Test
    void benchFormsTimesTheRecurrentAndScanFormsWhichAgreeInFloat64(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run(new BenchCommand(), "bench", "--config", config(dir).toString(), "--backend",
                "reference", "--length", "9", "--forms", "--forms-batch", "2", "--no-train-steps");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out().trim());
        assertThat(j.get("device").asText()).isEqualTo("cpu");
        assertThat(j.get("forms_batch").asInt()).isEqualTo(2);
        assertThat(j.get("forward_recurrent_sec").asDouble()).isPositive();
        assertThat(j.get("forward_scan_sec").asDouble()).isPositive();
        // the two forms compute the same states (SPEC §1.0): in float64 they agree to rounding
        assertThat(j.get("forms_max_abs_diff").asDouble()).isLessThan(1e-10);
        assertThat(j.has("sec_per_step")).isFalse();
        // the memory of the forms alone is still reported (a JVM holds well over 1 MB)
        assertThat(j.get("peak_rss_mb").asLong()).isGreaterThan(1);
    }

    @Test
    void benchWithNothingToTimeOrABadFormsBatchIsAUsageError(@TempDir Path dir) throws Exception {
        Cli.Result none = Cli.run(new BenchCommand(), "bench", "--config", config(dir).toString(), "--backend",
                "reference", "--no-train-steps");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--no-train-steps needs --forms");
        Cli.Result bad = Cli.run(new BenchCommand(), "bench", "--config", config(dir).toString(), "--backend",
                "reference", "--forms", "--forms-batch", "0");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--forms-batch must be >= 1, got 0");
    }

    @Test
    void conformanceRejectsAnUnknownDeviceNamingIt() {
        Cli.Result r = Cli.run(new ConformanceCommand(), "conformance", "--backend", "reference", "--device", "tpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown device 'tpu'");
    }
}
