package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code lincde bench --r3-model}: R3's classifiers, LRU and S5 included, timed on synthetic channel batches. */
class BenchCommandTest {

    @Test
    void timesLruAndS5OnTheReferenceBackend() throws Exception {
        for (String m : new String[] {"lru", "S5"}) {
            Cli.Result r = Cli.run(new BenchCommand(), "bench", "--r3-model", m, "--batch", "3", "--length", "5",
                    "--hidden", "8", "--blocks", "2", "--ssm-dim", "4", "--ssm-blocks", "2", "--steps", "2",
                    "--warmup", "1", "--backend", "reference");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode j = new ObjectMapper().readTree(r.out().trim());
            assertThat(j.get("model").asText()).isEqualTo(m);
            assertThat(j.get("family").asText()).isEqualTo(m.toLowerCase(java.util.Locale.ROOT));
            assertThat(j.get("batch").asInt()).isEqualTo(3);
            assertThat(j.get("hidden_dim").asInt()).isEqualTo(8);
            assertThat(j.get("num_blocks").asInt()).isEqualTo(2);
            assertThat(j.get("sec_per_step").asDouble()).isPositive();
            assertThat(j.get("timed_steps").asInt()).isEqualTo(2);
            assertThat(j.has("ssm_blocks")).isEqualTo(m.equals("S5"));
        }
        // LRU, 7 channels → H = 8, N = 4, 2 blocks, 4 classes: 64 + 2·(148 + 144) + 36
        Cli.Result r = Cli.run(new BenchCommand(), "bench", "--r3-model", "lru", "--batch", "2", "--length", "3",
                "--hidden", "8", "--ssm-dim", "4", "--steps", "1", "--warmup", "0", "--backend", "reference");
        assertThat(new ObjectMapper().readTree(r.out().trim()).get("parameters").asLong())
                .isEqualTo(64 + 2 * (148 + 144) + 36);
    }

    @Test
    void theJsonLineCarriesTheModelFlopsAndTheRoofline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path cfg = dir.resolve("de.json");
        java.nio.file.Files.writeString(cfg, "{\"task\": \"cycle_nav\", \"model_name\": \"lcde\", \"num_blocks\": 1, "
                + "\"model_dim\": 4, \"batch_size\": 2, \"diagonal\": false, \"seed\": 1}");
        Cli.Result r = Cli.run(new BenchCommand(), "bench", "--config", cfg.toString(), "--length", "3", "--steps", "1",
                "--warmup", "0", "--backend", "reference", "--roofline", "--roofline-n", "16");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out().trim());
        // B 2, L 3, h 4, 1 dense block, cycle_nav's K labels: ModelFlopsTest's hand count with K from the task
        int k = org.lincde.harness.data.TokenTasks.create("cycle_nav",
                org.lincde.harness.data.TaskOptions.r1Defaults(1)).labelDim();
        double forward = 64 + 640 + 128 + 192 + 2.0 * 6 * 4 * k;
        assertThat(j.get("flops_per_step").asDouble()).isEqualTo(3 * forward);
        assertThat(j.get("gflops_per_s").asDouble())
                .isCloseTo(3 * forward / j.get("sec_per_step").asDouble() / 1e9, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(j.get("roofline_gflops_per_s").asDouble()).isPositive();
        assertThat(j.get("roofline_gemm_n").asInt()).isEqualTo(16);
        assertThat(r.err()).contains("GEMM roofline").contains("% of it");
        // a family without a formula: null and the reason, never a made-up number
        Cli.Result s6 = Cli.run(new BenchCommand(), "bench", "--r3-model", "S6", "--batch", "2", "--length", "3",
                "--hidden", "4", "--ssm-dim", "2", "--steps", "1", "--warmup", "0", "--backend", "reference");
        assertThat(s6.code()).as(s6.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(s6.out().trim());
        assertThat(n.get("flops_per_step").isNull()).isTrue();
        assertThat(n.get("flops_reason").asText()).contains("no FLOP formula");
    }

    @Test
    void anUnknownR3ModelOrBothSourcesAreUsageErrors() {
        Cli.Result bad = Cli.run(new BenchCommand(), "bench", "--r3-model", "gru", "--backend", "reference");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("gru").contains("[lru, S5, S6, mamba]");
        Cli.Result both = Cli.run(new BenchCommand(), "bench", "--r3-model", "lru", "--config", "x.json");
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
        Cli.Result none = Cli.run(new BenchCommand(), "bench", "--backend", "reference");
        assertThat(none.code()).isNotZero();
        assertThat(none.err()).contains("--config").contains("--r3-model");
    }
}
