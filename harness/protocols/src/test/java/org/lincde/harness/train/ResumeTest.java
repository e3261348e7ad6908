package org.lincde.harness.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.io.Safetensors;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.run.TokenRunPlan;
import org.lincde.harness.toy.ToyData;
import org.lincde.harness.toy.ToyModelKey;
import org.lincde.harness.toy.ToySsmRunPlan;
import org.lincde.harness.uea.LinearNcdeVariant;
import org.lincde.harness.uea.R3Baseline;
import org.lincde.harness.uea.SsmSettings;
import org.lincde.harness.uea.UeaExperiment;
import org.lincde.harness.uea.UeaRunPlan;
import org.lincde.harness.uea.UeaSources;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.StructureRegistry;

/**
 * A run stopped by SIGTERM (it checkpoints the step in flight) or killed outright (it loses what came after its last
 * checkpoint) and run again gives, on the float64 reference backend, the record of a run never interrupted: same
 * status, steps, curve and metrics, bit for bit (measured times aside). One case per training loop: R1's (token
 * tasks; R2's A5 plans use the same loop), R2's toy regressors, R3's JAX loop (a linear NCDE) and its PyTorch loop
 * for S6, and an LRU with BatchNorm running statistics.
 */
class ResumeTest {
    /** Stands in for kill -9: nothing after the last checkpoint survives. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @AfterEach
    void clearRequests() {
        Preemption.clear();
    }

    private static RunContext context(Path checkpoints, long interruptAt, boolean sigterm) {
        RunContext.ProgressFactory progress = (label, steps) -> new TrainingListener() {
            @Override
            public void step(long step, double loss) {
                if (step == interruptAt) {
                    if (sigterm) {
                        Preemption.request();
                    } else {
                        throw new Killed();
                    }
                }
            }
        };
        return new RunContext(BackendRegistry.discover(), StructureRegistry.discover(), checkpoints, progress,
                new PrintWriter(new StringWriter()), 1);
    }

    /** Uninterrupted, then SIGTERM at one step and kill at another, each resumed: three equal records. */
    private static void resumesExactly(RunPlan plan, Function<RunContext, RunRecord> execute, long sigtermAt,
                                       long killAt, Path dir) throws Exception {
        RunRecord whole;
        try (RunContext ctx = context(null, -1, false)) {
            whole = execute.apply(ctx);
        }
        assertThat(whole.stepsTaken()).as("the run must last past the interruptions").isGreaterThan(killAt);

        Path sig = dir.resolve("sigterm");
        try (RunContext ctx = context(sig, sigtermAt, true)) {
            assertThatThrownBy(() -> execute.apply(ctx)).isInstanceOf(RunPreempted.class);
        }
        Preemption.clear();
        assertThat(savedStep(sig, plan)).isEqualTo(sigtermAt + 1);
        RunRecord afterSigterm;
        try (RunContext ctx = context(sig, -1, false)) {
            afterSigterm = execute.apply(ctx);
        }
        assertThat(result(afterSigterm)).isEqualTo(result(whole));

        Path kill = dir.resolve("kill");
        try (RunContext ctx = context(kill, killAt, false)) {
            assertThatThrownBy(() -> execute.apply(ctx)).isInstanceOf(Killed.class);
        }
        long resumedAt = savedStep(kill, plan);
        assertThat(resumedAt).as("a checkpoint before the kill").isPositive().isLessThanOrEqualTo(killAt);
        RunRecord afterKill;
        try (RunContext ctx = context(kill, -1, false)) {
            afterKill = execute.apply(ctx);
        }
        assertThat(result(afterKill)).isEqualTo(result(whole));
    }

    /** The step a checkpoint of {@code plan} under {@code root} resumes at (searched below the run's folder). */
    private static long savedStep(Path root, RunPlan plan) throws Exception {
        Path dir = root.resolve(plan.key());
        try (var files = Files.walk(dir)) {
            Path f = files.filter(p -> p.getFileName().toString().equals("resume.safetensors")).findFirst()
                    .orElseThrow(() -> new AssertionError("no checkpoint under " + dir));
            String loop = Safetensors.metadata(f).get("lincde.loop");
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(loop).get("step").asLong();
        }
    }

    /** What a run computed, without measured times. */
    private static List<Object> result(RunRecord r) {
        Map<String, Double> m = new TreeMap<>(r.metrics());
        m.keySet().removeIf(k -> k.contains("sec") || k.contains("rss"));
        return List.of(r.status(), r.stepsTaken(), r.curve(), m);
    }

    @Test
    void r1TokenRunsResume(@TempDir Path dir) throws Exception {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", "parity");
        c.put("model_name", "lcde");
        c.put("structure", "block-diagonal");
        c.put("structure_options", Map.of("block_size", 4));
        c.put("num_blocks", 1);
        c.put("model_dim", 8);
        c.put("batch_size", 4);
        c.put("num_steps", 30);
        c.put("print_steps", 5);
        c.put("learning_rate", 0.01);
        c.put("dropout_rate", 0.1);
        c.put("train_lengths", List.of(3, 6));
        c.put("validation_lengths", List.of(6, 8));
        c.put("validation_samples", 8);
        c.put("train_padding", 8);
        TokenRunPlan plan = new TokenRunPlan("t", "BD", R1Config.fromMap("resume.json", c), 0, "reference",
                DType.FLOAT64);
        resumesExactly(plan, plan::execute, 12, 17, dir);
    }

    @Test
    void r2ToyRegressorRunsResume(@TempDir Path dir) throws Exception {
        ToySsmRunPlan plan = new ToySsmRunPlan("t", "Mamba", new ToyModelKey("mamba", 2, 1, false, 4, 4),
                new ToyData(2, 32, 8, 1234), 20, 5, 1e-3, 8, 1, "reference", DType.FLOAT64);
        resumesExactly(plan, plan::execute, 8, 13, dir);
    }

    @Test
    void r3JaxLoopResumes(@TempDir Path dir) throws Exception {
        UeaRunPlan plan = new UeaRunPlan("t", "D", UeaExperiment.mini("BasicMotions").withSteps(30, 5).withHidden(8),
                LinearNcdeVariant.DIAGONAL, 2345, "reference", DType.FLOAT64, ForwardMode.Evaluation.RECURRENT);
        var raw = UeaSources.bundled("BasicMotions");
        resumesExactly(plan, ctx -> plan.execute(ctx, raw), 11, 18, dir);
    }

    @Test
    void r3PyTorchLoopAndBatchNormStatisticsResume(@TempDir Path dir) throws Exception {
        var raw = UeaSources.bundled("BasicMotions");
        SsmSettings tiny = SsmSettings.of(1e-3, true, 1, 4, 4);
        Map<R3Baseline, SsmSettings> small = new java.util.EnumMap<>(R3Baseline.class);
        for (R3Baseline b : R3Baseline.values()) {
            small.put(b, tiny);
        }
        UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(20, 5).withBaselines(small);
        UeaRunPlan s6 = new UeaRunPlan("t", "S6", e, R3Baseline.S6, 2345, "reference", DType.FLOAT64,
                ForwardMode.Evaluation.RECURRENT);
        resumesExactly(s6, ctx -> s6.execute(ctx, raw), 8, 13, dir.resolve("s6"));
        UeaRunPlan lru = new UeaRunPlan("t", "LRU", e, R3Baseline.LRU, 2345, "reference", DType.FLOAT64,
                ForwardMode.Evaluation.RECURRENT);
        resumesExactly(lru, ctx -> lru.execute(ctx, raw), 8, 13, dir.resolve("lru"));
    }
}
