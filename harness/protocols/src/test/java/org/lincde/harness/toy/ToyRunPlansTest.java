package org.lincde.harness.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.spi.Batch;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;

/** The toy run plans end to end on small data. */
class ToyRunPlansTest {
    private static RunContext context() {
        return new RunContext(BackendRegistry.discover(), StructureRegistry.discover(), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 1);
    }

    @Test
    void randomLinearCdeWithLeastSquaresBeatsPredictingZeroDeterministically() {
        ToyData data = new ToyData(2, 400, 20, 1234);
        ToyLcdeRunPlan plan = new ToyLcdeRunPlan("t", "LCDE 2D", data, 64, RandomLinearCde.Method.TSIT5,
                OdeSolver.Settings.r2(), 2345, 0);
        RunRecord a;
        RunRecord b;
        RunRecord euler;
        try (RunContext ctx = context()) {
            a = plan.execute(ctx);
            b = plan.execute(ctx);
            euler = new ToyLcdeRunPlan("t", "LCDE 2D Euler", data, 64, RandomLinearCde.Method.EULER,
                    OdeSolver.Settings.r2(), 2345, 0).execute(ctx);
        }
        double rmse = a.metrics().get("val_rmse");
        double zero = a.metrics().get("predicting_zero_rmse");
        assertThat(rmse).isLessThan(0.2 * zero);
        assertThat(b.metrics().get("val_rmse")).isEqualTo(rmse);
        assertThat(a.metrics().get("accepted_steps_per_path")).isGreaterThanOrEqualTo(19.0);
        assertThat(euler.metrics().get("val_rmse")).isLessThan(zero).isNotEqualTo(rmse);
        assertThat(euler.key()).isNotEqualTo(a.key());
        assertThat(a.config()).containsEntry("solver", "tsit5").containsEntry("rtol", 0.01).containsEntry("hidden_dim", 64);
    }

    /** A regressor from this test: the log-linear CDE on depth-1 log-signatures (increments) of the path. */
    private static final ToyRegressors.Provider TEST_PROVIDER = key -> key.model().equals("test")
            ? Optional.of(new ToyRegressors.ToyRegressor(
                    new LogLinearCdeSpec(key.inputDim(), 1, key.hidden(), StructureSpec.of("diagonal"), 1, 0.5, 128,
                            false), ToyRunPlansTest::increments))
            : Optional.empty();

    private static Batch increments(Batch b) {
        Batch.ChannelInputs in = (Batch.ChannelInputs) b.inputs();
        int n = in.batch();
        int len = in.length();
        int d = in.channels();
        double[] inc = new double[n * (len - 1) * d];
        double[] x0 = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t + 1 < len; t++) {
                for (int c = 0; c < d; c++) {
                    inc[(i * (len - 1) + t) * d + c] = in.values()[(i * len + t + 1) * d + c]
                            - in.values()[(i * len + t) * d + c];
                }
            }
            System.arraycopy(in.values(), i * len * d, x0, i * d, d);
        }
        return Batch.of(new Batch.ChannelInputs(n, len - 1, d, inc, d, x0), b.targets());
    }

    @Test
    void trainedRegressorRunRecordsTheRmseCurve() {
        ToySsmRunPlan plan = new ToySsmRunPlan("t", "test 2D", new ToyModelKey("test", 2, 1, false, 8, 8),
                new ToyData(2, 200, 10, 1234), 60, 20, 1e-2, 16, 7, "reference", DType.FLOAT64);
        RunRecord r;
        try (RunContext ctx = context()) {
            r = plan.execute(ctx, new ToyRegressors(List.of(TEST_PROVIDER)));
        }
        assertThat(r.status()).isEqualTo("completed");
        assertThat(r.stepsTaken()).isEqualTo(60);
        assertThat(r.metrics()).containsKeys("val_rmse@0", "val_rmse@20", "val_rmse@40", "val_rmse@60");
        assertThat(r.metrics().get("val_rmse")).isEqualTo(r.metrics().get("val_rmse@60"))
                .isLessThan(r.metrics().get("val_rmse@0"));
        assertThat(r.curve()).hasSize(4);
        assertThat(r.config()).containsEntry("model_name", "test").containsEntry("num_steps", 60L);
    }

    @Test
    void r2sMambaAndS4AreDiscoveredAndAMissingRegressorIsReportedByName() {
        ToyModelKey mamba = ToyModelKey.r2("mamba", 3, 2, true);
        ToyRegressors.ToyRegressor r = ToyRegressors.discover().find(mamba).orElseThrow();
        assertThat(r.spec()).isInstanceOf(org.lincde.spi.SequenceModelSpec.class);
        org.lincde.spi.SequenceModelSpec s = (org.lincde.spi.SequenceModelSpec) r.spec();
        assertThat(s).isEqualTo(org.lincde.spi.SequenceModelSpec.toy(org.lincde.spi.SequenceModelSpec.Core.S6, 3, 2, true));
        assertThat(ToyRegressors.discover().find(ToyModelKey.r2("s4", 2, 1, false)).orElseThrow().spec())
                .isEqualTo(org.lincde.spi.SequenceModelSpec.toy(org.lincde.spi.SequenceModelSpec.Core.S4D, 2, 1, false));
        ToySsmRunPlan plan = new ToySsmRunPlan("t", "Mamba", ToyModelKey.r2("mamba", 2, 1, false),
                new ToyData(2, 200, 10, 1234), 10, 5, 1e-4, 32, 1, "reference", DType.FLOAT64);
        assertThat(ToyRegressors.discover().find(new ToyModelKey("lstm", 2, 1, false, 8, 8))).isEmpty();
        try (RunContext ctx = context()) {
            assertThatThrownBy(() -> plan.execute(ctx, new ToyRegressors(List.of())))
                    .hasMessageContaining("Mamba depth 1");
        }
    }
}
