package org.lincde.spi.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.spi.Rng;

class WalshHadamardTransformTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 64})
    void fastTransformEqualsExplicitSylvesterProduct(int n) {
        double[] x = new double[n];
        Rng.seeded(n).fillNormal(x, 0, 1);
        double[] h = WalshHadamardTransform.matrix(n);
        double[] expected = new double[n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                expected[r] += h[r * n + c] * x[c];
            }
        }
        double[] fast = x.clone();
        WalshHadamardTransform.transform(fast, 0, n);
        for (int i = 0; i < n; i++) {
            assertThat(fast[i]).isCloseTo(expected[i], within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 16})
    void normalisedHadamardIsAnInvolution(int n) {
        double[] h = WalshHadamardTransform.matrix(n);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += h[r * n + k] * h[k * n + c] / n;   // (H/√n)(H/√n)
                }
                assertThat(acc).isCloseTo(r == c ? 1.0 : 0.0, within(1e-15));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void secondOrderMatrixIsHandWritten() {
        assertThat(WalshHadamardTransform.matrix(2)).containsExactly(1, 1, 1, -1);
        assertThat(WalshHadamardTransform.matrix(4)).containsExactly(
                1, 1, 1, 1,
                1, -1, 1, -1,
                1, 1, -1, -1,
                1, -1, -1, 1);
    }
}
