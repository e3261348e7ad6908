package org.lincde.harness.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.lincde.harness.uea.Matrices;
import org.lincde.spi.Rng;

/** R2's random Linear CDE feature map against exact per-interval matrix exponentials. */
class RandomLinearCdeTest {
    private static final int H = 6;
    private static final int D = 2;
    private static final int L = 5;

    private static double[] path(Rng rng) {
        double[] x = new double[L * D];
        rng.fillNormal(x, 0, 0.5);
        return x;
    }

    /** y_0 = M0 X_0 + m0, then exp(Δt·[[M_k, b_k], [0, 0]]) per interval, assembled here from A_j and Bξ. */
    private static double[] exact(RandomLinearCde cde, double[] x, Rng rng) {
        Rng init = Rng.seeded(77);
        double[] m0w = new double[H * D];
        init.stream("M0").fillNormal(m0w, 0, 1);
        double[] m0b = new double[H];
        init.stream("m0").fillNormal(m0b, 0, 1);
        double[] y = new double[H + 1];
        for (int p = 0; p < H; p++) {
            y[p] = m0b[p] + m0w[p * D] * x[0] + m0w[p * D + 1] * x[1];
        }
        y[H] = 1.0;
        double dt = 1.0 / (L - 1);
        int n = H + 1;
        for (int k = 0; k + 1 < L; k++) {
            double[] omega = {dt, x[(k + 1) * D] - x[k * D], x[(k + 1) * D + 1] - x[k * D + 1]}; // Δω = Δξ
            double[] g = new double[n * n];
            for (int j = 0; j <= D; j++) {
                double[] aj = cde.channelMatrix(j);
                double[] bj = cde.forcing(j);
                for (int p = 0; p < H; p++) {
                    for (int q = 0; q < H; q++) {
                        g[p * n + q] += omega[j] * aj[p * H + q];
                    }
                    g[p * n + H] += omega[j] * bj[p];
                }
            }
            double[] e = Matrices.expm(g, n);
            double[] next = new double[n];
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < n; q++) {
                    next[p] += e[p * n + q] * y[q];
                }
            }
            y = next;
        }
        double[] out = new double[H];
        System.arraycopy(y, 0, out, 0, H);
        return out;
    }

    @Test
    void adaptiveFeaturesAreTheExactSolutionOfTheCde() {
        Rng rng = Rng.seeded(3);
        RandomLinearCde cde = RandomLinearCde.initialize(H, D, Rng.seeded(77));
        double[] x = path(rng);
        double[] expected = exact(cde, x, rng);
        double[] tight = new double[H];
        cde.workspace().features(x, 0, L, RandomLinearCde.Method.TSIT5, new OdeSolver.Settings(1e-11, 1e-11, 0.01,
                1_000_000), tight, 0);
        double[] loose = new double[H];
        cde.workspace().features(x, 0, L, RandomLinearCde.Method.TSIT5, OdeSolver.Settings.r2(), loose, 0);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int p = 0; p < H; p++) {
            assertThat(tight[p]).isCloseTo(expected[p], offset(1e-8 * scale));
            assertThat(loose[p]).isCloseTo(expected[p], offset(0.1 * scale)); // R2's 1e−2 tolerances
        }
    }

    @Test
    void eulerTakesOneCdeStepPerKnotInterval() {
        Rng rng = Rng.seeded(4);
        RandomLinearCde cde = RandomLinearCde.initialize(H, D, Rng.seeded(77));
        double[] x = path(rng);
        double[] out = new double[H];
        cde.workspace().features(x, 0, L, RandomLinearCde.Method.EULER, null, out, 0);
        // y_k = y_{k−1} + Σ_j Δω_j A_j y_{k−1} + Bξ Δξ, ω = ξ = [t, X]
        Rng init = Rng.seeded(77);
        double[] m0w = new double[H * D];
        init.stream("M0").fillNormal(m0w, 0, 1);
        double[] m0b = new double[H];
        init.stream("m0").fillNormal(m0b, 0, 1);
        double[] y = new double[H];
        for (int p = 0; p < H; p++) {
            y[p] = m0b[p] + m0w[p * D] * x[0] + m0w[p * D + 1] * x[1];
        }
        for (int k = 0; k + 1 < L; k++) {
            double[] dw = {1.0 / (L - 1), x[(k + 1) * D] - x[k * D], x[(k + 1) * D + 1] - x[k * D + 1]};
            double[] next = y.clone();
            for (int j = 0; j <= D; j++) {
                double[] aj = cde.channelMatrix(j);
                double[] bj = cde.forcing(j);
                for (int p = 0; p < H; p++) {
                    double acc = bj[p];
                    for (int q = 0; q < H; q++) {
                        acc += aj[p * H + q] * y[q];
                    }
                    next[p] += dw[j] * acc;
                }
            }
            y = next;
        }
        for (int p = 0; p < H; p++) {
            assertThat(out[p]).isCloseTo(y[p], offset(1e-12));
        }
    }

    @Test
    void initialisationFollowsR2() {
        RandomLinearCde cde = RandomLinearCde.initialize(64, 2, Rng.seeded(1));
        double s = 0;
        int count = 0;
        for (int j = 0; j < 3; j++) {
            for (double v : cde.channelMatrix(j)) {
                s += v * v;
                count++;
            }
        }
        assertThat(Math.sqrt(s / count)).isCloseTo(1.0 / 8.0, offset(0.003)); // N(0,1)/√h
        double b = 0;
        for (int j = 0; j < 3; j++) {
            for (double v : cde.forcing(j)) {
                b += v * v;
            }
        }
        assertThat(Math.sqrt(b / (3 * 64))).isCloseTo(1.0, offset(0.15));
    }

    @Test
    void featuresDoNotDependOnTheThreadCount() {
        Rng rng = Rng.seeded(9);
        RandomLinearCde cde = RandomLinearCde.initialize(8, D, Rng.seeded(2));
        int n = 12;
        double[] paths = new double[n * L * D];
        rng.fillNormal(paths, 0, 0.3);
        ToyFeatures.Result one = ToyFeatures.compute(cde, paths, n, L, RandomLinearCde.Method.TSIT5,
                OdeSolver.Settings.r2(), 1);
        ToyFeatures.Result two = ToyFeatures.compute(cde, paths, n, L, RandomLinearCde.Method.TSIT5,
                OdeSolver.Settings.r2(), 2);
        assertThat(two.values()).containsExactly(one.values());
        assertThat(one.accepted()).isEqualTo(two.accepted()).isGreaterThanOrEqualTo((long) n * (L - 1));
    }
}
