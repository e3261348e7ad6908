package org.lincde.spi.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * {@link DenseSums}' row loops on a hand-worked case: {@code h = 2}, {@code d+1 = 5} (one full group of four
 * partial sums and a remainder), at offsets into larger arrays.
 */
class DenseSumsTest {
    private static final double[] Y = {9, 2, -1};              // y = (2, −1) at offset 1
    private static final double[] U = {7, 7, 1, 0.5, -2, 3, 4}; // u = (1, 0.5, −2, 3, 4) at offset 2

    @Test
    void outerIsYTimesUWithQSlowest() {
        double[] z = new double[12];
        DenseSums.outer(Y, 1, U, 2, 2, 5, z, 1);
        assertThat(z).containsExactly(0, 2, 1, -4, 6, 8, -1, -0.5, 2, -3, -4, 0);
        float[] zf = new float[10];
        DenseSums.outer(new float[] {2, -1}, 0, new float[] {1, 0.5f, -2, 3, 4}, 0, 2, 5, zf, 0);
        assertThat(zf).containsExactly(2, 1, -4, 6, 8, -1, -0.5f, 2, -3, -4);
    }

    @Test
    void contractGivesTheStateAndControlGradients() {
        // dz as a 2×5 matrix (row q): gy[q] += Σ_c dz[q,c]·u[c]; du[c] = Σ_q dz[q,c]·y[q]
        double[] dz = {0, 1, 2, 0, -1, 3, 0.5, 0, 1, 2, -2};   // at offset 1
        double[] gy = {5, 10, 20};
        double[] du = {9, 9, 9, 9, 9, 9};                        // written at offset 1; du[0] untouched
        DenseSums.contract(dz, 1, Y, 1, U, 2, 2, 5, gy, 1, du, 1);
        // row 0: 1·1 + 2·0.5 + 0·(−2) + (−1)·3 + 3·4 = 11;  row 1: 0.5·1 + 0 + 1·(−2) + 2·3 + (−2)·4 = −3.5
        assertThat(gy).containsExactly(5, 21, 16.5);
        // du[c] = 2·dz[0,c] − 1·dz[1,c]
        assertThat(du).containsExactly(9, 1.5, 4, -1, -4, 8);
        float[] dzf = {1, 2, 0, -1, 3, 0.5f, 0, 1, 2, -2};
        double[] gy2 = {0, 0};
        double[] du2 = new double[5];
        DenseSums.contract(dzf, 0, Y, 1, U, 2, 2, 5, gy2, 0, du2, 0);
        assertThat(gy2[0]).isCloseTo(11, within(1e-15));
        assertThat(gy2[1]).isCloseTo(-3.5, within(1e-15));
        assertThat(du2).containsExactly(1.5, 4, -1, -4, 8);
    }
}
