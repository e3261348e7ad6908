package org.lincde.harness.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.InitPerturbation;
import org.lincde.harness.run.PerturbedRunPlan;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;

/** The agreement table's comparisons, counts and rule on hand-made records (docs/protocols/agreement.md). */
class AgreementTest {
    static final Reproducer.Target DJL = new Reproducer.Target("djl", DType.FLOAT32);
    static final Reproducer.Target REF = new Reproducer.Target("reference", DType.FLOAT64);

    /**
     * A plan whose key is {@code key} and whose record is {@code record}; a {@code trained} one trains from initial
     * parameters (10 steps), so a conditioning run can re-run it.
     */
    record Plan(String cell, String key, RunRecord record, boolean trained) implements RunPlan {
        Plan(String cell, String key, RunRecord record) {
            this(cell, key, record, false);
        }

        static Plan trained(String cell, String key, RunRecord record) {
            return new Plan(cell, key, record, true);
        }

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
            return trained ? 10 : 0;
        }

        @Override
        public boolean perturbable() {
            return trained;
        }

        public RunRecord execute(RunContext context) {
            return record;
        }
    }

    /** A record with training losses at steps 10 and 20 (the ill-conditioned NCDE cell's shape). */
    static RunRecord trained(double loss10, double loss20) {
        return new RunRecord("k", "a", "c", Map.of(), "completed",
                List.of(new EvaluationPoint(10, 0, loss10), new EvaluationPoint(20, 0, loss20)), Map.of(), 20, 0, 0, 0,
                Map.of());
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

    /** The records of a cell on djl (float32) and the reference, and the reference's conditioning run. */
    private static Agreement.Result illConditioned(RunRecord djl, RunRecord ref, RunRecord perturbed, DType ulp) {
        Plan refPlan = Plan.trained("NCDE", "ref", ref);
        PerturbedRunPlan cond = new PerturbedRunPlan(refPlan, InitPerturbation.oneUlp(ulp));
        Map<Reproducer.Target, List<RunPlan>> byTarget = new LinkedHashMap<>();
        byTarget.put(DJL, List.of(Plan.trained("NCDE", "djl", djl)));
        byTarget.put(REF, List.of(refPlan));
        Map<String, RunRecord> records = Map.of("djl", djl, "ref", ref, cond.key(), perturbed);
        return Agreement.compare("uea-mini", byTarget, List.of(cond), p -> Optional.ofNullable(records.get(p.key())));
    }

    @Test
    void anIllConditionedCellIsHeldToTenTimesItsOwnSensitivityAndCountedApart() {
        // the smoke NCDE / BasicMotions numbers (docs/protocols/agreement.md §3.1): djl 9.557 against the
        // reference's 9.6445 is 9.1e-3 apart, far outside the rule (5.2e-6 at step 10); the reference one ulp off
        // moved by 2.3e-3 (and 1e-3 at step 20), so the cell is allowed 2.3e-2
        RunRecord ref = trained(9.6445, 9.50);
        RunRecord djl = trained(9.557, 9.49);
        RunRecord ulpOff = trained(9.6222, 9.49);
        Agreement.Result r = illConditioned(djl, ref, ulpOff, DType.FLOAT32);
        assertThat(r.outside()).isEmpty();
        assertThat(r.agree()).isZero();
        assertThat(r.illConditioned()).isEqualTo(1);
        double s10 = Agreement.relative(9.6445, 9.6222);
        assertThat(r.markdown())
                .contains("1 cell(s) on 2 backends: 0 ✓ within tolerance, 1 ✓ ill-conditioned (outside the rule, "
                        + "within 10× the cell's own one-ulp sensitivity), 0 ✗ outside, 0 pending")
                .contains("| ✓ (ill-conditioned: one float32 ulp of the initial parameters moves the reference's "
                        + "training loss at step 10 by " + Agreement.sci(s10) + ") |")
                // the tolerance shown is k·S, not the rule
                .contains(Agreement.sci(Agreement.relative(9.557, 9.6445)) + " [" + Agreement.sci(10 * s10) + "] @10")
                .contains("Ill-conditioned cells, judged by their sensitivity: largest training loss difference "
                        + Agreement.sci(Agreement.relative(9.557, 9.6445)) + " relative (NCDE, step 10");
        // its difference is not reported as agreement within the rule
        assertThat(r.largestLoss()).isNull();
    }

    @Test
    void aFaultLargerThanTenTimesTheSensitivityIsStillOutside() {
        // a backend whose step-10 loss is 5 % off: more than 10 × 2.3e-3
        RunRecord ref = trained(9.6445, 9.50);
        Agreement.Result r = illConditioned(trained(9.16, 9.0), ref, trained(9.6222, 9.49), DType.FLOAT32);
        assertThat(r.illConditioned()).isZero();
        assertThat(r.outside()).hasSize(1).allSatisfy(d -> assertThat(d)
                .startsWith("uea-mini: NCDE — training loss at step ")
                .contains("tolerance ").contains("one float32 ulp of the initial parameters moves the reference's "
                        + "training loss"));
        assertThat(r.markdown()).contains("0 ✓ within tolerance, 1 ✗ outside");
    }

    @Test
    void aWellConditionedCellKeepsTheRuleAndOnlyTheMatchingUlpCounts() {
        // one ulp moves this reference by 1e-8: 10 × that is below the rule (5.2e-6 at step 10), so a 1e-4 drift
        // is outside
        RunRecord ref = trained(0.6931, 0.6900);
        RunRecord ulpOff = trained(0.6931 * (1 + 1e-8), 0.6900 * (1 + 1e-8));
        Agreement.Result tight = illConditioned(trained(0.6931 * (1 + 1e-4), 0.69), ref, ulpOff, DType.FLOAT32);
        assertThat(tight.outside()).hasSize(1);
        assertThat(tight.outside().get(0)).doesNotContain("ulp");
        // a float64-ulp sensitivity does not loosen a float32 pair, however large it is
        Agreement.Result other = illConditioned(trained(9.557, 9.49), trained(9.6445, 9.50), trained(9.6222, 9.49),
                DType.FLOAT64);
        assertThat(other.illConditioned()).isZero();
        assertThat(other.outside()).hasSize(1);
    }

    @Test
    void aReproductionOnSeveralBackendsPlansOneConditioningRunPerReferenceRunThatTrains() {
        Plan trains = Plan.trained("NCDE", "ref", null);
        Plan fixed = new Plan("Random Linear CDE + OLS", "same", null);
        Map<Reproducer.Target, List<RunPlan>> byTarget = new LinkedHashMap<>();
        byTarget.put(DJL, List.of(Plan.trained("NCDE", "djl", null), fixed));
        byTarget.put(REF, List.of(trains, fixed));
        List<PerturbedRunPlan> c = Reproducer.conditioning(byTarget, Reproducer.Conditioning.FAILING);
        assertThat(c).hasSize(1);
        assertThat(c.get(0).base()).isSameAs(trains);
        assertThat(c.get(0).perturbation()).isEqualTo(new InitPerturbation(DType.FLOAT32, 1));
        assertThat(c.get(0).cell()).isEqualTo("NCDE / conditioning (one float32 ulp)");
        // its own run: the config names the perturbation, so the key differs from the reference run's
        assertThat(c.get(0).config()).containsEntry("k", "ref").containsKey("perturbation");
        assertThat(c.get(0).key()).isNotEqualTo(trains.key());
        // a float64 djl adds a float64-ulp run; one backend alone, or no reference, or 'none': no conditioning
        byTarget.put(new Reproducer.Target("nd4j", DType.FLOAT32), List.of());
        Map<Reproducer.Target, List<RunPlan>> f64 = new LinkedHashMap<>(byTarget);
        f64.put(new Reproducer.Target("djl", DType.FLOAT64), List.of());
        assertThat(Reproducer.conditioning(f64, Reproducer.Conditioning.ALL)).extracting(p -> p.perturbation().dtype())
                .containsExactlyInAnyOrder(DType.FLOAT32, DType.FLOAT64);
        assertThat(Reproducer.conditioning(Map.of(REF, List.of(trains)), Reproducer.Conditioning.ALL)).isEmpty();
        assertThat(Reproducer.conditioning(Map.of(DJL, List.of(trains), new Reproducer.Target("nd4j", DType.FLOAT32),
                List.of(trains)), Reproducer.Conditioning.ALL)).isEmpty();
        assertThat(Reproducer.conditioning(byTarget, Reproducer.Conditioning.NONE)).isEmpty();
    }
}
