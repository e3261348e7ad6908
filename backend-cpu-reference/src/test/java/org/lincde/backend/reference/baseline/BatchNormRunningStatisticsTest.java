package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.BatchNormState;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.Activations;

/** SPEC §2.5/§2.6: BatchNorm normalises with batch statistics in training and running ones at inference. */
class BatchNormRunningStatisticsTest {
    private static final double EPS = 1e-5;

    private static double[] norm(double[] x, int b, int l, int h, ForwardMode mode) {
        try (Session s = BaselineFixtures.session()) {
            return s.gradient(new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    return Activations.batchNorm(ops, p.get("x"), EPS, mode, "blocks.0.norm");
                }
            }, Map.of("x", HostTensor.of(x, b, l, h))).value().data();
        }
    }

    /** Per-channel mean and biased variance over batch × time, by hand. */
    private static double[][] stats(double[] x, int h) {
        int rows = x.length / h;
        double[] mean = new double[h];
        double[] var = new double[h];
        for (int c = 0; c < h; c++) {
            for (int r = 0; r < rows; r++) {
                mean[c] += x[r * h + c] / rows;
            }
            for (int r = 0; r < rows; r++) {
                var[c] += (x[r * h + c] - mean[c]) * (x[r * h + c] - mean[c]) / rows;
            }
        }
        return new double[][] {mean, var};
    }

    @Test
    void trainingReportsBatchStatisticsAndInferenceUsesTheirMovingAverage() {
        double[] x1 = {-1.5, 0.2, 3.0, -0.7, 1.1, 0.0, 2.5, -2.0, 0.4, 0.9, -0.3, 1.7}; // (2, 2, 3)
        double[] x2 = {0.5, 1.2, -3.0, 0.7, -1.1, 2.0, 0.5, 4.0, 0.4, -0.9, 0.3, 0.7};
        BatchNormState state = new BatchNormState(0.99);
        ForwardMode train = ForwardMode.training(Rng.seeded(1)).withBatchNorm(state);

        double[] y1 = norm(x1, 2, 2, 3, train);
        double[][] s1 = stats(x1, 3);
        for (int i = 0; i < x1.length; i++) {
            assertThat(y1[i]).isCloseTo((x1[i] - s1[0][i % 3]) / Math.sqrt(s1[1][i % 3] + EPS), within(1e-14));
        }
        double[][] r1 = state.running("blocks.0.norm").orElseThrow();
        for (int c = 0; c < 3; c++) {
            assertThat(r1[0][c]).isCloseTo(s1[0][c], within(1e-15)); // the first batch is taken as it is
            assertThat(r1[1][c]).isCloseTo(s1[1][c], within(1e-15));
        }

        norm(x2, 2, 2, 3, train);
        double[][] s2 = stats(x2, 3);
        double[][] r2 = state.running("blocks.0.norm").orElseThrow();
        for (int c = 0; c < 3; c++) {
            assertThat(r2[0][c]).isCloseTo(0.99 * s1[0][c] + 0.01 * s2[0][c], within(1e-15));
            assertThat(r2[1][c]).isCloseTo(0.99 * s1[1][c] + 0.01 * s2[1][c], within(1e-15));
        }

        ForwardMode infer = ForwardMode.inference().withBatchNorm(state);
        double[] y = norm(x2, 2, 2, 3, infer);
        for (int i = 0; i < x2.length; i++) {
            assertThat(y[i]).isCloseTo((x2[i] - r2[0][i % 3]) / Math.sqrt(r2[1][i % 3] + EPS), within(1e-14));
        }
        // with running statistics a sample's output no longer depends on the rest of its batch
        double[] alone = norm(java.util.Arrays.copyOf(x2, 6), 1, 2, 3, infer);
        assertThat(alone).containsExactly(java.util.Arrays.copyOf(y, 6), within(0.0));
        double[] aloneBatchStats = norm(java.util.Arrays.copyOf(x2, 6), 1, 2, 3, ForwardMode.inference());
        assertThat(aloneBatchStats[0]).isNotCloseTo(y[0], within(1e-3));
        assertThat(state.running("blocks.0.norm").orElseThrow()[0]).containsExactly(r2[0], within(0.0));
    }

    @Test
    void beforeAnyTrainingStepInferenceUsesEquinoxsInitialState() {
        double[] x = {1.0, -2.0, 0.5, 4.0};
        double[] y = norm(x, 1, 2, 2, ForwardMode.inference().withBatchNorm(new BatchNormState(0.99)));
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).isCloseTo(x[i] / Math.sqrt(1 + EPS), within(1e-15));
        }
    }

    @Test
    void badMomentumAndChannelCountsAreRefusedByName() {
        assertThatThrownBy(() -> new BatchNormState(1.0)).hasMessageContaining("[0, 1)").hasMessageContaining("1.0");
        BatchNormState s = new BatchNormState(0.9);
        s.observe("blocks.1.norm", new double[2], new double[2]);
        assertThatThrownBy(() -> s.observe("blocks.1.norm", new double[3], new double[3]))
                .hasMessageContaining("blocks.1.norm").hasMessageContaining("2").hasMessageContaining("3");
    }
}
