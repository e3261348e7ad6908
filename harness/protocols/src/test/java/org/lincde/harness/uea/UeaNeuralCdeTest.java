package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.uea.UeaRawDataset;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.NeuralCdeSpec;

/** NCDE, NRDE and Log-NCDE in the UEA pipeline: R3's per-dataset settings, and real runs on BasicMotions. */
class UeaNeuralCdeTest {

    @Test
    void paperSettingsAreR3sRepeatConfigs() {
        // spot checks against experiment_configs/repeats/{ncde,nrde,log_ncde}/<dataset>.json
        assertThat(UeaExperiment.paper("EigenWorms").neuralCde(NeuralCdeModel.NCDE))
                .isEqualTo(NeuralCdeSettings.ncde(true, 1e-3, 128, 3, 128, 5.560189046427579e-05));
        assertThat(UeaExperiment.paper("Heartbeat").neuralCde(NeuralCdeModel.NRDE))
                .isEqualTo(NeuralCdeSettings.nrde(false, 1e-3, 64, 3, 128, 0.002, 2, 2));
        NeuralCdeSettings mi = UeaExperiment.paper("MotorImagery").neuralCde(NeuralCdeModel.LOG_NCDE);
        assertThat(mi).isEqualTo(NeuralCdeSettings.logNcde(false, 1e-3, 16, 3, 64, 0.002, 2, 16, 1e-3));
        assertThat(mi.scale()).isEqualTo(1000.0);
        assertThat(mi.printSteps()).hasValue(100);
        for (UeaExperiment e : UeaExperiment.PAPER) {
            assertThat(e.neuralCdes()).as(e.dataset()).containsOnlyKeys(NeuralCdeModel.values());
        }
        assertThat(UeaModel.parse("log_ncde")).isEqualTo(NeuralCdeModel.LOG_NCDE);
        assertThat(UeaModel.parse("NRDE")).isEqualTo(NeuralCdeModel.NRDE);
        UeaRunPlan plan = new UeaRunPlan("t", "t", UeaExperiment.paper("Heartbeat"), NeuralCdeModel.LOG_NCDE, 2345,
                "djl", DType.FLOAT32, ForwardMode.Evaluation.RECURRENT);
        assertThat(plan.config()).containsEntry("model_name", "log_ncde").containsEntry("dt0", 0.002)
                .containsEntry("lambd", 1e-6).containsEntry("stepsize", 2).containsEntry("print_steps", 100L)
                .containsEntry("hidden_dim", 16).containsEntry("vf_width", 128);
        assertThat(plan.printSteps()).isEqualTo(100);
    }

    @Test
    void eachNeuralCdeTrainsOnBasicMotionsDeterministically() {
        UeaRawDataset raw = UeaTestData.basicMotions();
        UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(4, 2)
                .mapNeuralCdes((m, s) -> s.withSizes(4, 1, 8, m == NeuralCdeModel.NCDE ? 0.05 : 0.08)
                        .withDatasetPrintSteps());
        try (RunContext ctx = UeaTestData.context()) {
            for (NeuralCdeModel m : NeuralCdeModel.values()) {
                UeaRunPlan plan = new UeaRunPlan("uea-mini", m.label(), e, m, 2345, "reference", DType.FLOAT64,
                        ForwardMode.Evaluation.RECURRENT);
                RunRecord a = plan.execute(ctx, raw);
                RunRecord b = plan.execute(ctx, raw);
                assertThat(a.status()).as(m.label()).isEqualTo("completed");
                assertThat(a.curve()).extracting(EvaluationPoint::step).containsExactly(2L, 4L);
                assertThat(b.curve()).isEqualTo(a.curve());
                assertThat(b.metrics().get("test_accuracy")).isEqualTo(a.metrics().get("test_accuracy"));
                assertThat(a.metrics().get("test_cases")).isEqualTo(12.0);
                NeuralCdeSpec spec = (NeuralCdeSpec) plan.modelSpec(plan.dataset(raw, org.lincde.spi.Rng.seeded(2345)));
                assertThat(spec.inputChannels()).isEqualTo(7); // time + 6
                assertThat(spec.length()).isEqualTo(100);
                // ts_{L−1} = 0.99 over steps of 0.05 (20) or 0.08 (13, the last clipped)
                assertThat(a.metrics().get("solver_steps")).isEqualTo(m == NeuralCdeModel.NCDE ? 20.0 : 13.0);
                assertThat(a.config()).containsEntry("model_name", m.modelName()).containsEntry("vf_depth", 1);
                if (m == NeuralCdeModel.NCDE) {
                    assertThat(a.metrics()).containsEntry("length", 100.0);
                } else {
                    assertThat(a.metrics()).containsEntry("intervals", 26.0); // ⌈101/4⌉
                }
            }
        }
    }

    @Test
    void miniSettingsExistForBothMiniDatasets() {
        for (UeaExperiment e : UeaExperiment.MINI) {
            for (NeuralCdeModel m : NeuralCdeModel.values()) {
                assertThat(e.neuralCde(m).hidden()).isEqualTo(16);
            }
        }
        assertThat(List.of(NeuralCdeModel.values())).allMatch(m -> UeaModel.all().contains(m));
    }
}
