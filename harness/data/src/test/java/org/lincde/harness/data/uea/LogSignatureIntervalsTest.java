package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lincde.harness.signature.LogSignature;
import org.lincde.spi.Rng;

class LogSignatureIntervalsTest {
    private static final double TOL = 1e-12;

    // Two series of 4 points in R^2 (sample, time, channel):
    //   A: (1,0) (1,1) (0,1) (3,1)      B: (0,2) (1,2) (1,0) (2,0)
    private static final double[] TWO = {1, 0, 1, 1, 0, 1, 3, 1, 0, 2, 1, 2, 1, 0, 2, 0};

    @Test
    void handWorkedIntervalsStepsizeTwoDepthTwo() {
        // X' = [0, X0..X3]: M = 5, s = 2, r = 1: chunks [0,0,X0], [X0,X1,X2], final [prefix, X2, X3].
        // A: chunk 0 Δ=(1,0) A=0; chunk 1 δ=(0,1),(−1,0): Δ=(−1,1), A=½(0·0−1·(−1))=½;
        //    final clean (0,1)→(3,1): Δ=(3,0) A=0; faithful (first of batch, zero prefix):
        //    δ=(0,1),(3,0): Δ=(3,1), A=½(0·0−1·3)=−3/2.
        // B: chunk 0 Δ=(0,2) A=0; chunk 1 δ=(1,0),(0,−2): Δ=(1,−2), A=½(1·(−2)−0)=−1;
        //    final clean (1,0)→(2,0): Δ=(1,0) A=0; faithful, prefix = A's last point (3,1):
        //    δ=(−2,−1),(1,0): Δ=(−1,−1), A=½((−2)·0−(−1)·1)=½.
        double[] clean = LogSignatureIntervals.compute(TWO, 2, 4, 2, 2, 2, false, true);
        double[] faithful = LogSignatureIntervals.compute(TWO, 2, 4, 2, 2, 2, true, true);
        assertClose(clean, new double[] {
            0, 1, 0, 0, 0, -1, 1, 0.5, 0, 3, 0, 0,
            0, 0, 2, 0, 0, 1, -2, -1, 0, 1, 0, 0});
        assertClose(faithful, new double[] {
            0, 1, 0, 0, 0, -1, 1, 0.5, 0, 3, 1, -1.5,
            0, 0, 2, 0, 0, 1, -2, -1, 0, -1, -1, 0.5});
        double[] noZero = LogSignatureIntervals.compute(TWO, 2, 4, 2, 2, 2, false, false);
        assertClose(noZero, new double[] {1, 0, 0, -1, 1, 0.5, 3, 0, 0, 0, 2, 0, 1, -2, -1, 1, 0, 0});
        double[] depth1 = LogSignatureIntervals.compute(TWO, 2, 4, 2, 2, 1, true, true);
        assertClose(depth1, new double[] {0, 1, 0, 0, -1, 1, 0, 3, 1, 0, 0, 2, 0, 1, -2, 0, -1, -1});
    }

    @Test
    void intervalCountsOfThePaperConfigs() {
        assertThat(LogSignatureIntervals.count(17984, 12)).isEqualTo(1499); // EigenWorms, SPEC §7
        assertThat(LogSignatureIntervals.count(405, 2)).isEqualTo(203);
        assertThat(LogSignatureIntervals.count(3000, 16)).isEqualTo(188);
        assertThat(LogSignatureIntervals.count(1751, 1)).isEqualTo(1752);
        assertThat(LogSignatureIntervals.count(4, 100)).isEqualTo(1); // stepsize lowered to L+1
        assertThat(LogSignatureIntervals.width(62, 2, true)).isEqualTo(1 + 62 + 1891); // Heartbeat with time
    }

    @Test
    void faithfulPrefixResetsAtEachProcessingBatchOf128() {
        int samples = 130;
        int length = 9;
        int c = 3;
        double[] x = new double[samples * length * c];
        Rng.seeded(5).fillNormal(x, 0, 1);
        int s = 4; // M = 10, r = 2: three intervals, the last from 3 points + prefix
        double[] out = LogSignatureIntervals.compute(x, samples, length, c, s, 2, true, false);
        int width = LogSignature.dimension(c, 2);
        int n = 3;
        for (int b : new int[] {0, 1, 127, 128, 129}) {
            double[] prefix = new double[c];
            if (b % 128 != 0) {
                prefix = Arrays.copyOfRange(x, ((b - 1) * length + length - 1) * c, ((b - 1) * length + length) * c);
            }
            double[][] pts = {prefix, point(x, b, length, c, 6), point(x, b, length, c, 7), point(x, b, length, c, 8)};
            double[] expected = LogSignature.of(pts, 2);
            double[] actual = Arrays.copyOfRange(out, (b * n + 2) * width, (b * n + 3) * width);
            assertClose(actual, expected);
        }
    }

    @Test
    void cleanIntervalsComposeToTheWholePathByChen() {
        // depth-2 Chen/BCH: total Δ = Σ Δ_k and total area = Σ A_k + ½ Σ_{k<l} (Δ_k^i Δ_l^j − Δ_k^j Δ_l^i)
        int length = 23;
        int c = 3;
        double[] x = new double[length * c];
        Rng.seeded(6).fillNormal(x, 0, 1);
        double[][] whole = new double[length + 1][];
        whole[0] = new double[c];
        for (int t = 0; t < length; t++) {
            whole[t + 1] = point(x, 0, length, c, t);
        }
        double[] expected = LogSignature.of(whole, 2);
        for (int s : new int[] {1, 2, 5, 7, 24, 50}) {
            double[] ls = LogSignatureIntervals.compute(x, 1, length, c, s, 2, false, false);
            int width = LogSignature.dimension(c, 2);
            int n = LogSignatureIntervals.count(length, s);
            assertThat(ls).hasSize(n * width);
            double[] total = new double[width];
            double[] run = new double[c];
            for (int k = 0; k < n; k++) {
                int o = k * width;
                for (int i = 0; i < c; i++) {
                    for (int j = i + 1; j < c; j++) {
                        int a = LogSignature.areaIndex(c, i, j);
                        total[a] += ls[o + a] + 0.5 * (run[i] * ls[o + j] - run[j] * ls[o + i]);
                    }
                }
                for (int i = 0; i < c; i++) {
                    run[i] += ls[o + i];
                    total[i] += ls[o + i];
                }
            }
            for (int i = 0; i < width; i++) {
                assertThat(total[i]).as("stepsize %d coordinate %d", s, i).isCloseTo(expected[i], within(1e-11));
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> LogSignatureIntervals.compute(TWO, 2, 4, 2, 0, 2, true, true))
                .hasMessageContaining("stepsize");
        assertThatThrownBy(() -> LogSignatureIntervals.compute(TWO, 3, 4, 2, 2, 2, true, true))
                .hasMessageContaining("3×4×2");
        assertThatThrownBy(() -> LogSignatureIntervals.compute(TWO, 2, 4, 2, 2, 3, true, true))
                .hasMessageContaining("depth 3");
    }

    private static double[] point(double[] x, int b, int length, int c, int t) {
        return Arrays.copyOfRange(x, (b * length + t) * c, (b * length + t + 1) * c);
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(TOL));
        }
    }
}
