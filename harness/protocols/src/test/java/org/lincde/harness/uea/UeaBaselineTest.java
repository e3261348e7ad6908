package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.uea.UeaRawDataset;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LruSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.S5Spec;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/** R3's SSM baselines in the UEA pipeline: SPEC §4.3's settings, the run plan, and real runs on BasicMotions. */
class UeaBaselineTest {

    private static RunContext context() {
        return UeaTestData.context();
    }

    private static UeaRawDataset basicMotions() {
        return UeaTestData.basicMotions();
    }

    private static UeaRunPlan plan(UeaExperiment e, UeaModel m) {
        return new UeaRunPlan("t", m.label(), e, m, 2345, "reference", DType.FLOAT64, ForwardMode.Evaluation.RECURRENT);
    }

    @Test
    void paperSettingsAreSpecSection43sBaselineTable() {
        // spot checks, one per column of SPEC §4.3's baseline table
        assertThat(UeaExperiment.paper("EigenWorms").baseline(R3Baseline.LRU))
                .isEqualTo(SsmSettings.of(1e-3, false, 4, 64, 64));
        assertThat(UeaExperiment.paper("EigenWorms").baseline(R3Baseline.S5))
                .isEqualTo(SsmSettings.s5(1e-4, true, 2, 64, 16, 8));
        assertThat(UeaExperiment.paper("Heartbeat").baseline(R3Baseline.LRU))
                .isEqualTo(SsmSettings.of(1e-4, true, 2, 128, 256));
        assertThat(UeaExperiment.paper("SelfRegulationSCP2").baseline(R3Baseline.S6))
                .isEqualTo(SsmSettings.of(1e-3, false, 2, 16, 256));
        assertThat(UeaExperiment.paper("MotorImagery").baseline(R3Baseline.MAMBA))
                .isEqualTo(SsmSettings.mamba(1e-5, false, 2, 128, 64, 3, 1));
        assertThat(UeaExperiment.paper("EthanolConcentration").baseline(R3Baseline.MAMBA))
                .isEqualTo(SsmSettings.mamba(1e-3, true, 4, 64, 256, 4, 4));
        // the LNCDE values of the same dataset are untouched by the baselines'
        assertThat(UeaExperiment.paper("EigenWorms").learningRate()).isEqualTo(1e-3);
        assertThat(UeaExperiment.paper("EigenWorms").includeTime()).isTrue();
    }

    @Test
    void everyPaperAndMiniDatasetBuildsEveryBaselineWithItsSizes() {
        for (List<UeaExperiment> list : List.of(UeaExperiment.PAPER, UeaExperiment.MINI)) {
            for (UeaExperiment e : list) {
                assertThat(e.baselines()).containsOnlyKeys(R3Baseline.values());
                for (R3Baseline b : R3Baseline.values()) {
                    SsmSettings s = e.baseline(b);
                    ModelSpec spec = b.spec(7, 3, s); // S5's block split and Mamba's sizes validate here
                    assertThat(spec.family()).isEqualTo(b.modelName().toLowerCase(java.util.Locale.ROOT));
                    assertThat(Models.graph(spec, StructureRegistry.discover()).parameterCount()).isPositive();
                }
            }
        }
        S5Spec s5 = (S5Spec) R3Baseline.S5.spec(7, 3, UeaExperiment.paper("SelfRegulationSCP1").baseline(R3Baseline.S5));
        assertThat(List.of(s5.numBlocks(), s5.hiddenDim(), s5.stateDim(), s5.ssmBlocks())).containsExactly(6, 128, 16, 8);
        assertThat(s5.dropoutRate()).isEqualTo(0.05);
        LruSpec lru = (LruSpec) R3Baseline.LRU.spec(7, 3, UeaExperiment.paper("MotorImagery").baseline(R3Baseline.LRU));
        assertThat(List.of(lru.numBlocks(), lru.hiddenDim(), lru.stateDim())).containsExactly(6, 16, 256);
        MambaSpec mamba = (MambaSpec) R3Baseline.MAMBA.spec(7, 3,
                UeaExperiment.paper("SelfRegulationSCP2").baseline(R3Baseline.MAMBA));
        assertThat(mamba.template()).isEqualTo(MambaSpec.Template.R3_PRENORM);
        assertThat(List.of(mamba.numBlocks(), mamba.modelDim(), mamba.stateDim(), mamba.convKernel(), mamba.expand()))
                .containsExactly(6, 64, 64, 2, 2);
        assertThat(((MambaSpec) R3Baseline.S6.spec(7, 3, SsmSettings.of(1e-3, true, 2, 16, 16))).core())
                .isEqualTo(MambaSpec.Core.S6);
    }

    @Test
    void aBaselinePlansConfigHasItsOwnKeysAndNotTheLinearNcdes() {
        UeaExperiment ew = UeaExperiment.paper("EigenWorms");
        Map<String, Object> c = plan(ew, R3Baseline.S5).config();
        assertThat(c).containsEntry("protocol", "r3-uea").containsEntry("model_name", "S5")
                .containsEntry("dataset_name", "EigenWorms").containsEntry("lr", 1e-4).containsEntry("time", true)
                .containsEntry("num_blocks", 2).containsEntry("hidden_dim", 64).containsEntry("ssm_dim", 16)
                .containsEntry("ssm_blocks", 8).containsEntry("num_steps", 100_000L).containsEntry("print_steps", 1_000L)
                .containsEntry("batch_norm_inference", "running-statistics").containsEntry("inputs", "raw-series")
                .doesNotContainKeys("lambd", "stepsize", "logsig_depth", "structure", "conv_dim", "metric_averaging");
        Map<String, Object> m = plan(ew, R3Baseline.MAMBA).config();
        assertThat(m).containsEntry("model_name", "mamba").containsEntry("conv_dim", 2).containsEntry("expansion", 1)
                .containsEntry("metric_averaging", "per-batch, shuffled loaders").containsEntry("training_loop", "r3-pytorch")
                .doesNotContainKeys("ssm_blocks", "batch_norm_inference");
        // four models, four run keys; the LNCDE key is unchanged by the baselines' settings on the dataset
        assertThat(java.util.stream.Stream.of(R3Baseline.values()).map(b -> plan(ew, b).key()).distinct()).hasSize(4);
        UeaExperiment bare = new UeaExperiment(ew.dataset(), ew.includeTime(), ew.learningRate(), ew.hidden(),
                ew.lambda(), ew.stepsize(), ew.depth(), ew.numSteps(), ew.printSteps(), ew.earlyStoppingSteps(),
                ew.batchSize(), ew.parallelSteps());
        assertThat(plan(bare, LinearNcdeVariant.BLOCK_DIAGONAL).key())
                .isEqualTo(plan(ew, LinearNcdeVariant.BLOCK_DIAGONAL).key());
        assertThatThrownBy(() -> plan(bare, R3Baseline.LRU)).hasMessageContaining("no LRU settings")
                .hasMessageContaining("EigenWorms");
    }

    @Test
    void modelNamesParseAcrossBothFamiliesAndBadOnesListTheKnownNames() {
        assertThat(UeaModel.parse("lru")).isEqualTo(R3Baseline.LRU);
        assertThat(UeaModel.parse("s5")).isEqualTo(R3Baseline.S5);
        assertThat(UeaModel.parse("Mamba")).isEqualTo(R3Baseline.MAMBA);
        assertThat(UeaModel.parse("bd_linear_ncde")).isEqualTo(LinearNcdeVariant.BLOCK_DIAGONAL);
        assertThat(UeaModel.all()).hasSize(LinearNcdeVariant.values().length + 4 + NeuralCdeModel.values().length);
        assertThatThrownBy(() -> UeaModel.parse("gru")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gru'").hasMessageContaining("lru").hasMessageContaining("S5")
                .hasMessageContaining("bd_linear_ncde");
        assertThatThrownBy(() -> R3Baseline.parse("bd_linear_ncde")).hasMessageContaining("[lru, S5, S6, mamba]");
        assertThatThrownBy(() -> SsmSettings.of(0, true, 2, 16, 16)).hasMessageContaining("lr");
        assertThatThrownBy(() -> SsmSettings.of(1e-3, true, 0, 16, 16)).hasMessageContaining("num_blocks");
    }

    @Test
    void tinyLruAndS5TrainOnBasicMotionsDeterministically() {
        UeaRawDataset raw = basicMotions();
        UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(20, 10).withBaselines(Map.of(
                R3Baseline.LRU, SsmSettings.of(1e-2, true, 1, 8, 4),
                R3Baseline.S5, SsmSettings.s5(1e-2, false, 1, 8, 4, 2)));
        RunRecord lru;
        RunRecord again;
        RunRecord s5;
        try (RunContext ctx = context()) {
            lru = plan(e, R3Baseline.LRU).execute(ctx, raw);
            again = plan(e, R3Baseline.LRU).execute(ctx, raw);
            s5 = plan(e, R3Baseline.S5).execute(ctx, raw);
        }
        assertThat(lru.config()).containsEntry("model_name", "lru").containsEntry("hidden_dim", 8)
                .containsEntry("time", true);
        assertThat(lru.status()).isEqualTo("completed");
        assertThat(lru.stepsTaken()).isEqualTo(20);
        assertThat(lru.curve()).extracting(EvaluationPoint::step).containsExactly(10L, 20L);
        assertThat(lru.curve().get(1).trainLoss()).isLessThan(lru.curve().get(0).trainLoss());
        double test = lru.metrics().get("test_accuracy");
        assertThat(lru.metrics().get("test_cases")).isEqualTo(12.0);
        assertThat(Math.abs(test * 12 - Math.rint(test * 12))).isLessThan(1e-9);
        assertThat(lru.metrics().get("length")).isEqualTo(100.0);
        // 7 channels (time + 6) → H = 8: encoder 7·8 + 8; LRU ν, θ, γ (3·4), B (2·4·8), C (2·8·4), D 8;
        // GLU 2·(8·8 + 8); head 8·4 + 4
        assertThat(lru.metrics().get("parameters")).isEqualTo(64 + 3 * 4 + 64 + 64 + 8 + 144 + 36.0);
        assertThat(again.curve()).isEqualTo(lru.curve());
        assertThat(again.metrics().get("test_accuracy")).isEqualTo(test);
        // S5 without the time channel: 6 channels
        assertThat(s5.config()).containsEntry("model_name", "S5").containsEntry("time", false)
                .containsEntry("ssm_blocks", 2);
        assertThat(s5.status()).isEqualTo("completed");
        assertThat(s5.curve()).hasSize(2);
        assertThat(s5.metrics().get("parameters")).isPositive();
        assertThat(s5.key()).isNotEqualTo(lru.key());
    }

    /**
     * S6 through R3's PyTorch loop on BasicMotions (56 training cases: batches of 32 and 24): with num_steps 3
     * and print_steps 2 the loop runs two whole epochs (steps 0..3), evaluating after updates 0 and 2; the
     * per-batch accuracies over shuffled loaders are means of per-batch fractions of 12 test cases in
     * batches of 32 (one batch): a multiple of 1/12.
     */
    @Test
    void tinyS6TrainsWithR3sPyTorchLoop() {
        UeaRawDataset raw = basicMotions();
        UeaExperiment e = UeaExperiment.mini("BasicMotions").withSteps(3, 2).withBaselines(Map.of(
                R3Baseline.S6, SsmSettings.of(1e-2, true, 1, 8, 4)));
        RunRecord s6;
        RunRecord again;
        try (RunContext ctx = context()) {
            s6 = plan(e, R3Baseline.S6).execute(ctx, raw);
            again = plan(e, R3Baseline.S6).execute(ctx, raw);
        }
        assertThat(s6.config()).containsEntry("training_loop", "r3-pytorch");
        assertThat(s6.status()).isEqualTo("completed");
        assertThat(s6.stepsTaken()).isEqualTo(4);
        assertThat(s6.curve()).extracting(EvaluationPoint::step).containsExactly(0L, 2L);
        double test = s6.metrics().get("test_accuracy");
        assertThat(Math.abs(test * 12 - Math.rint(test * 12))).isLessThan(1e-9);
        assertThat(again.curve()).isEqualTo(s6.curve());
        assertThat(again.metrics().get("test_accuracy")).isEqualTo(test);
    }
}
