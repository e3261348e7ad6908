package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Verdicts;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.uea.LinearNcdeVariant;
import org.lincde.harness.uea.NeuralCdeModel;
import org.lincde.harness.uea.UeaStepCostPlan;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.NeuralCdeSpec;
import org.lincde.spi.StructureRegistry;

/**
 * The UEA step-cost runs behind slice-fig5's and slice-costs' Log-NCDE / BD-SLiCE ratio: prefix sizing, a real
 * measurement on the reference backend, and the ratio table and verdict from synthetic records.
 */
class UeaStepCostsTest {
    @TempDir
    Path out;

    private final Map<String, RunRecord> store = new HashMap<>();

    private Artifact.Results results() {
        return plan -> Optional.ofNullable(store.get(plan.key()));
    }

    @Test
    void quickProfileMeasuresEveryModelOnEveryShapeOnAPrefixWithR3sStepsPerObservation() {
        List<RunPlan> plans = UeaStepCosts.plans(Profile.QUICK, "djl", DType.FLOAT32);
        assertThat(plans).hasSize(6 * 6);
        UeaStepCostPlan log = (UeaStepCostPlan) plans.stream()
                .filter(p -> p.cell().equals("Log-NCDE / Heartbeat / step cost")).findFirst().orElseThrow();
        // Heartbeat: dt0 = 0.002 over [0, 404/405] is 499 steps; 8 of them: L' = ⌈8/499 · 405⌉ = 7
        assertThat(log.measuredLength()).isEqualTo(7);
        NeuralCdeSpec spec = (NeuralCdeSpec) log.spec();
        assertThat(spec.dt0()).isCloseTo(0.002 * 405 / 7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(log.workUnits()).isBetween(7, 9);
        assertThat(spec.inputChannels()).isEqualTo(62); // 61 + time (R3's Log-NCDE Heartbeat: time on)
        assertThat(spec.hidden()).isEqualTo(16);
        assertThat(spec.vfWidth()).isEqualTo(128);
        // a linear NCDE on at most 128 intervals: EigenWorms' 1499 → about a twelfth; SCP1's 57 → all
        UeaStepCostPlan bdEw = (UeaStepCostPlan) plans.stream()
                .filter(p -> p.cell().equals("BD-LNCDE / EigenWorms / step cost")).findFirst().orElseThrow();
        assertThat(bdEw.workUnits()).isBetween(127, 130);
        UeaStepCostPlan bdScp1 = (UeaStepCostPlan) plans.stream()
                .filter(p -> p.cell().equals("BD-LNCDE / SelfRegulationSCP1 / step cost")).findFirst().orElseThrow();
        assertThat(bdScp1.effectiveFraction()).isEqualTo(1.0);
        assertThat(bdScp1.workUnits()).isEqualTo(57); // ⌈897/16⌉
        // the paper profile measures full lengths
        assertThat(UeaStepCosts.plans(Profile.PAPER, "djl", DType.FLOAT32)).allSatisfy(
                p -> assertThat(((UeaStepCostPlan) p).fraction()).isEqualTo(1.0));
    }

    @Test
    void smokePlansRunOnTheReferenceBackendAndExtrapolateByTheFraction() {
        List<RunPlan> plans = UeaStepCosts.plans(Profile.SMOKE, "reference", DType.FLOAT64);
        assertThat(plans).extracting(RunPlan::cell).containsExactly("BD-LNCDE / Heartbeat / step cost",
                "Log-NCDE / Heartbeat / step cost");
        try (RunContext ctx = new RunContext(BackendRegistry.discover(), StructureRegistry.discover(), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 1)) {
            for (RunPlan p : plans) {
                RunRecord r = p.execute(ctx);
                double f = r.metrics().get("effective_fraction");
                assertThat(f).isLessThan(1.0);
                assertThat(r.metrics().get("seconds_per_1000_steps"))
                        .isCloseTo(r.metrics().get("measured_seconds_per_1000_steps") / f,
                                org.assertj.core.data.Offset.offset(1e-9));
                assertThat(r.metrics().get("last_loss")).isFinite();
                assertThat(r.peakRssMb()).isPositive();
            }
        }
    }

    @Test
    void fig5AndCostsShowTheRatioBesideThePapersAndCheckTheClaim() throws IOException {
        List<RunPlan> grid = UeaStepCosts.plans(Profile.QUICK, "djl", DType.FLOAT32);
        double[] bd = {10, 20, 40, 80, 5, 10};
        int i = 0;
        for (UeaStepCostPlan.Shape s : UeaStepCostPlan.PAPER_SHAPES) {
            record(find(grid, LinearNcdeVariant.BLOCK_DIAGONAL.label(), s.dataset()), bd[i], 1.0);
            record(find(grid, NeuralCdeModel.LOG_NCDE.label(), s.dataset()), bd[i] * (i == 0 ? 30 : 20), 0.01);
            i++;
        }
        Map<String, Double> ratios = UeaStepCosts.ratios(UeaStepCosts.collect(grid, results()));
        assertThat(ratios.get("EigenWorms")).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ratios.get("Heartbeat")).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        // ratio of averages: (300 + 20·155) / 165
        double avg = UeaStepCosts.ratioOfAverages(UeaStepCosts.collect(grid, results()));
        assertThat(avg).isCloseTo((300 + 20 * 155.0) / 165, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SliceFig5.ratioVerdict(grid, results())).isEqualTo(new Verdicts(0, 1, 0, 0));
        String page = Files.readString(new SliceFig5().render(Profile.QUICK, grid, results(), out.resolve("f")).get(0));
        assertThat(page).contains("Log-NCDE / BD-LNCDE").contains("30.0×").contains("20.0×")
                .contains(String.format("%.1f× (paper 20.5×, 19.4×)", avg)).contains("extrapolated")
                .contains("(0.0100 of L)");
        String costs = Files.readString(new SliceCosts().render(Profile.QUICK, grid, results(), out.resolve("c")).get(0));
        assertThat(costs).contains("Log-NCDE / BD-LNCDE").contains("20.5×");
        // a ratio below 10 refutes the claim
        record(find(grid, NeuralCdeModel.LOG_NCDE.label(), "MotorImagery"), 1.0, 0.01);
        record(find(grid, NeuralCdeModel.LOG_NCDE.label(), "EigenWorms"), 1.0, 0.01);
        record(find(grid, NeuralCdeModel.LOG_NCDE.label(), "Heartbeat"), 1.0, 0.01);
        assertThat(SliceFig5.ratioVerdict(grid, results())).isEqualTo(new Verdicts(0, 0, 1, 0));
    }

    private static RunPlan find(List<RunPlan> grid, String label, String dataset) {
        return grid.stream().filter(p -> p.cell().equals(label + " / " + dataset + " / step cost")).findFirst()
                .orElseThrow();
    }

    private void record(RunPlan p, double seconds1000, double fraction) {
        store.put(p.key(), new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed", List.of(),
                Map.of("seconds_per_1000_steps", seconds1000, "measured_seconds_per_1000_steps", seconds1000 * fraction,
                        "effective_fraction", fraction), 3, seconds1000 / 1000 * fraction, 800, 1.0, Map.of()));
    }
}
