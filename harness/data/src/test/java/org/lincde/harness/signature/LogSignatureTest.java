package org.lincde.harness.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogSignatureTest {
    private static final double TOL = 1e-12;

    @Test
    void levyAreaOfTheLShapedPathIsOneHalf() {
        double[] ls = LogSignature.of(new double[][] {{0, 0}, {1, 0}, {1, 1}}, 2);
        assertThat(ls).hasSize(3);
        assertThat(ls[0]).isEqualTo(1.0);
        assertThat(ls[1]).isEqualTo(1.0);
        assertThat(ls[2]).isCloseTo(0.5, within(TOL));
        // the other way round the square's corner the area changes sign
        assertThat(LogSignature.of(new double[][] {{0, 0}, {0, 1}, {1, 1}}, 2)[2]).isCloseTo(-0.5, within(TOL));
    }

    @Test
    void hallOrderOfTheLevyAreas() {
        assertThat(LogSignature.dimension(4, 1)).isEqualTo(4);
        assertThat(LogSignature.dimension(4, 2)).isEqualTo(10);
        // [A12, A13, A14, A23, A24, A34] after the 4 increments (0-based letters below)
        int[][] pairs = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
        for (int p = 0; p < pairs.length; p++) {
            assertThat(LogSignature.areaIndex(4, pairs[p][0], pairs[p][1])).isEqualTo(4 + p);
        }
        // a path moving only in channels 2 then 3 (0-based 1 then 2) has area only at A^{23}
        double[] ls = LogSignature.of(new double[][] {{0, 0, 0, 0}, {0, 2, 0, 0}, {0, 2, 3, 0}}, 2);
        for (int i = 4; i < 10; i++) {
            assertThat(ls[i]).isCloseTo(i == LogSignature.areaIndex(4, 1, 2) ? 3.0 : 0.0, within(TOL));
        }
    }

    @Test
    void levelTwoIsTheAntisymmetricPartOfTheSignatureAndRecoversIt() {
        double[][] path = SignatureTest.randomPath(21, 12, 4);
        double[] ls = LogSignature.of(path, 2);
        Signature s = Signature.of(path, 2);
        for (int i = 0; i < 4; i++) {
            double delta = path[path.length - 1][i] - path[0][i];
            assertThat(ls[i]).isCloseTo(delta, within(TOL));
            assertThat(s.get(i)).isCloseTo(delta, within(TOL));
        }
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                double area = ls[LogSignature.areaIndex(4, i, j)];
                assertThat(area).isCloseTo(0.5 * (s.get(i, j) - s.get(j, i)), within(TOL));
                // S^{ij} = ½Δ^iΔ^j + A^{ij} and S^{ji} = ½Δ^iΔ^j − A^{ij}
                assertThat(s.get(i, j)).isCloseTo(0.5 * ls[i] * ls[j] + area, within(TOL));
                assertThat(s.get(j, i)).isCloseTo(0.5 * ls[i] * ls[j] - area, within(TOL));
            }
            assertThat(s.get(i, i)).isCloseTo(0.5 * ls[i] * ls[i], within(TOL));
        }
        double[] fromSig = LogSignature.fromSignature(Signature.of(path, 3), 2);
        for (int i = 0; i < ls.length; i++) {
            assertThat(fromSig[i]).isCloseTo(ls[i], within(TOL));
        }
    }

    @Test
    void depthOneIsTheIncrementAndComputeWritesAtTheOffsets() {
        double[][] path = SignatureTest.randomPath(22, 5, 3);
        double[] flat = new double[15];
        for (int p = 0; p < 5; p++) {
            System.arraycopy(path[p], 0, flat, 3 * p, 3);
        }
        double[] out = {7, 7, 7, 7, 7};
        LogSignature.compute(flat, 3, 4, 3, 1, out, 1);
        assertThat(out[0]).isEqualTo(7);
        assertThat(out[4]).isEqualTo(7);
        for (int c = 0; c < 3; c++) {
            assertThat(out[1 + c]).isCloseTo(path[4][c] - path[1][c], within(TOL));
        }
    }

    @Test
    void depthThreeAndBadSizesAreRefused() {
        assertThatThrownBy(() -> LogSignature.of(new double[][] {{0, 0}, {1, 1}}, 3))
                .hasMessageContaining("depth 3 is not supported");
        assertThatThrownBy(() -> LogSignature.compute(new double[4], 0, 3, 2, 2, new double[3], 0))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> LogSignature.compute(new double[4], 0, 2, 2, 2, new double[2], 0))
                .hasMessageContaining("output array");
        assertThatThrownBy(() -> LogSignature.areaIndex(3, 2, 1)).hasMessageContaining("(2, 1)");
    }
}
