package org.lincde.harness.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;

/** The agreement table's comparisons, counts and rule on hand-made records (docs/protocols/agreement.md). */
class AgreementTest {
    static final Reproducer.Target DJL = new Reproducer.Target("djl", DType.FLOAT32);
    static final Reproducer.Target REF = new Reproducer.Target("reference", DType.FLOAT64);

    /** A plan whose key is {@code key} and whose record is {@code record}. */
    record Plan(String cell, String key, RunRecord record) implements RunPlan {
        public String artifact() {
            return "a";
        }

        public Map<String, Object> config() {
            return Map.of("k", key);
        }

        @Override
        public String key() {
            return key;
        }

        public long plannedSteps() {
            return 0;
        }

        public RunRecord execute(RunContext context) {
            return record;
        }
    }

    static RunRecord toy(double loss10, double rmse) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_rmse@10", rmse);
        m.put("val_rmse", rmse);
        m.put("seconds_per_1000_steps", Math.random()); // timings are never compared
        return new RunRecord("k", "a", "c", Map.of(), "completed",
                List.of(new EvaluationPoint(0, 0, Double.NaN), new EvaluationPoint(10, 0, loss10)), m, 10, 0, 0, 0,
                Map.of());
    }

    private static Agreement.Result compare(Map<Reproducer.Target, List<RunPlan>> byTarget) {
        return Agreement.compare("a", byTarget, p -> Optional.ofNullable(((Plan) p).record()));
    }

    @Test
    void continuousQuantitiesAreComparedByRelativeDifferenceAgainstTheRule() {
        Map<Reproducer.Target, List<RunPlan>> byTarget = new LinkedHashMap<>();
        // training loss 2 vs 2.000004: 2e-6 relative (within 5e-6); RMSE 0.1 vs 0.1001: 9.99e-4 (outside)
        byTarget.put(DJL, List.of(new Plan("close", "k1", toy(2.0, 0.1)), new Plan("far", "k3", toy(2.0, 0.1))));
        byTarget.put(REF, List.of(new Plan("close", "k2", toy(2.000004, 0.1000001)),
                new Plan("far", "k4", toy(2.0, 0.1001))));
        Agreement.Result r = compare(byTarget);
        assertThat(r.agree()).isEqualTo(1);
        assertThat(r.outside()).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("a: far — val_rmse")
                .contains("9.99e-04 relative between djl (float32) vs reference (float64), tolerance 5.40e-06"));
        assertThat(r.largestLoss().diff()).isCloseTo(4e-6 / 2.000004, within(1e-12));
        assertThat(r.markdown()).contains("2 cell(s) on 2 backends: 1 ✓ within tolerance, 1 ✗ outside, 0 pending")
                .contains("| close | 10 | val_rmse 1.000000e-01 · 2.000000e+00 | val_rmse 1.000001e-01 · 2.000004e+00 | "
                        + "2.00e-06 [5.40e-06] @10 |");
    }

    @Test
    void aRunWithTheSameKeyOnEveryBackendIsShownOnceAsBackendIndependent() {
        RunRecord lcde = toy(Double.NaN, 5.125836e-4);
        Map<Reproducer.Target, List<RunPlan>> byTarget = new LinkedHashMap<>();
        byTarget.put(DJL, List.of(new Plan("Random Linear CDE + OLS / 2D / run 0", "same", lcde)));
        byTarget.put(REF, List.of(new Plan("Random Linear CDE + OLS / 2D / run 0", "same", lcde)));
        Agreement.Result r = compare(byTarget);
        assertThat(r.independent()).isEqualTo(1);
        assertThat(r.pending()).isZero();
        assertThat(r.outside()).isEmpty();
        assertThat(r.markdown()).contains("0 cell(s) on 2 backends").contains("1 backend-independent run(s)")
                .contains("| Random Linear CDE + OLS / 2D / run 0 | val_rmse@10 5.125836e-04, val_rmse 5.125836e-04 |")
                .doesNotContain("pending |");
    }

    @Test
    void theToleranceGrowsTenfoldEveryThreeHundredStepsUpToOne() {
        assertThat(AgreementTolerance.relative(DType.FLOAT32, DType.FLOAT64, 0)).isEqualTo(5e-6);
        assertThat(AgreementTolerance.relative(DType.FLOAT64, DType.FLOAT32, 300)).isCloseTo(5e-5, within(1e-15));
        assertThat(AgreementTolerance.relative(DType.FLOAT32, DType.FLOAT32, 600)).isCloseTo(1e-3, within(1e-12));
        assertThat(AgreementTolerance.relative(DType.FLOAT64, DType.FLOAT64, 0)).isEqualTo(1e-12);
        assertThat(AgreementTolerance.relative(DType.FLOAT32, DType.FLOAT64, 20_000)).isEqualTo(1);
        // 5e-6 · 10^(s/300) = 1 at s = 300 · log10(2e5) = 1590.3
        assertThat(AgreementTolerance.horizon(DType.FLOAT32, DType.FLOAT64)).isEqualTo(1591);
        // the measured float32-vs-float64 gaps of the BD4 quick-width run stay inside (docs/protocols/agreement.md)
        long[] steps = {250, 500, 750, 1000, 1250, 1500, 1750, 2000};
        double[] gaps = {1.4e-6, 2.2e-5, 3.7e-6, 2.5e-6, 4.8e-5, 7.1e-4, 1.6e-2, 2.0e-1};
        for (int i = 0; i < steps.length; i++) {
            assertThat(gaps[i]).isLessThan(AgreementTolerance.relative(DType.FLOAT32, DType.FLOAT64, steps[i]));
        }
        // one example of 32 validation samples at smoke length; 100·√tolerance later
        assertThat(AgreementTolerance.accuracyPoints(DType.FLOAT32, DType.FLOAT64, 20, 32)).isEqualTo(3.125);
        assertThat(AgreementTolerance.accuracyPoints(DType.FLOAT32, DType.FLOAT64, 600, 0))
                .isCloseTo(100 * Math.sqrt(5e-4), within(1e-9));
        assertThat(AgreementTolerance.depth(DType.FLOAT32, DType.FLOAT64, 20)).isZero();
        assertThat(AgreementTolerance.depth(DType.FLOAT32, DType.FLOAT64, 20_000)).isEqualTo(1);
    }
}
