package org.lincde.harness.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.spi.Rng;

class SignatureTest {
    private static final double TOL = 1e-12;

    static double[][] randomPath(long seed, int points, int dim) {
        Rng rng = Rng.seeded(seed).stream("path");
        double[][] p = new double[points][dim];
        for (double[] row : p) {
            rng.fillNormal(row, 0.0, 1.0);
        }
        return p;
    }

    static void assertSameSignature(Signature actual, Signature expected) {
        assertThat(actual.depth()).isEqualTo(expected.depth());
        for (int k = 0; k <= expected.depth(); k++) {
            double[] a = actual.level(k);
            double[] e = expected.level(k);
            assertThat(a).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                assertThat(a[i]).as("level %d index %d", k, i).isCloseTo(e[i], within(TOL));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void chensIdentityOnASplitPath(int split) {
        double[][] path = randomPath(11, 7, 3);
        Signature whole = Signature.of(path, 4);
        Signature head = Signature.of(Arrays.copyOfRange(path, 0, split + 1), 4);
        Signature tail = Signature.of(Arrays.copyOfRange(path, split, path.length), 4);
        assertSameSignature(head.times(tail), whole);
    }

    @Test
    void productOfSegmentExponentialsIsThePathSignature() {
        double[][] path = randomPath(12, 5, 2);
        Signature prod = Signature.identity(2, 4);
        for (int p = 1; p < path.length; p++) {
            prod = prod.times(Signature.exp(new double[] {path[p][0] - path[p - 1][0], path[p][1] - path[p - 1][1]}, 4));
        }
        assertSameSignature(prod, Signature.of(path, 4));
    }

    @Test
    void pathFollowedByItsReverseHasTheTrivialSignature() {
        double[][] path = randomPath(13, 6, 3);
        double[][] reversed = new double[path.length][];
        for (int p = 0; p < path.length; p++) {
            reversed[p] = path[path.length - 1 - p];
        }
        assertSameSignature(Signature.of(path, 4).times(Signature.of(reversed, 4)), Signature.identity(3, 4));
    }

    @Test
    void shuffleIdentityAtLevelsTwoAndThree() {
        double[][] path = randomPath(14, 9, 3);
        Signature s = Signature.of(path, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // e_i ⧢ e_j = e_ij + e_ji
                assertThat(s.get(i) * s.get(j)).isCloseTo(s.get(i, j) + s.get(j, i), within(TOL));
                for (int k = 0; k < 3; k++) {
                    // e_i ⧢ e_jk = e_ijk + e_jik + e_jki
                    assertThat(s.get(i) * s.get(j, k))
                            .isCloseTo(s.get(i, j, k) + s.get(j, i, k) + s.get(j, k, i), within(TOL));
                }
            }
        }
    }

    @Test
    void straightLineIsTheTensorExponentialOfItsIncrement() {
        // collinear points with uneven spacing: reparametrisation must not matter
        double[] start = {0.3, -1.2, 2.0};
        double[] delta = {1.5, 0.5, -2.5};
        double[] fractions = {0.0, 0.1, 0.15, 0.6, 1.0};
        double[][] path = new double[fractions.length][3];
        for (int p = 0; p < fractions.length; p++) {
            for (int c = 0; c < 3; c++) {
                path[p][c] = start[c] + fractions[p] * delta[c];
            }
        }
        Signature s = Signature.of(path, 4);
        double factorial = 1;
        for (int k = 1; k <= 4; k++) {
            factorial *= k;
            double[] level = s.level(k);
            for (int idx = 0; idx < level.length; idx++) {
                double expected = 1.0 / factorial;
                int rest = idx;
                for (int pos = 0; pos < k; pos++) {
                    expected *= delta[rest % 3];
                    rest /= 3;
                }
                assertThat(level[idx]).as("level %d index %d", k, idx).isCloseTo(expected, within(TOL));
            }
        }
    }

    @Test
    void handWorkedLShapedPath() {
        // (0,0) → (1,0) → (1,1): S = exp(e1) ⊗ exp(e2), so a word 1^a 2^b has coefficient 1/(a! b!)
        // and every word with a 2 before a 1 vanishes.
        Signature s = Signature.of(new double[][] {{0, 0}, {1, 0}, {1, 1}}, 4);
        assertThat(s.get(0)).isEqualTo(1.0);
        assertThat(s.get(1)).isEqualTo(1.0);
        assertThat(s.get(0, 1)).isCloseTo(1.0, within(TOL));
        assertThat(s.get(1, 0)).isCloseTo(0.0, within(TOL));
        assertThat(s.get(0, 0)).isCloseTo(0.5, within(TOL));
        assertThat(s.get(0, 0, 1)).isCloseTo(0.5, within(TOL));
        assertThat(s.get(0, 1, 1)).isCloseTo(0.5, within(TOL));
        assertThat(s.get(0, 1, 0)).isCloseTo(0.0, within(TOL));
        assertThat(s.get(0, 0, 1, 1)).isCloseTo(0.25, within(TOL));
        assertThat(s.get(0, 0, 0, 1)).isCloseTo(1.0 / 6.0, within(TOL));
        assertThat(s.get(1, 0, 0, 1)).isCloseTo(0.0, within(TOL));
    }

    @Test
    void specLevelThreeUpdateForTwoSegments() {
        // SPEC §3.3: after segment 1 (δ) S^{ijk} = δ^iδ^jδ^k/6; segment 2 (η) adds
        // S^{ij}η^k + ½S^iη^jη^k + ⅙η^iη^jη^k, with S^{ij} = δ^iδ^j/2 and S^i = δ^i.
        double[] d = {0.7, -0.4, 1.1};
        double[] e = {-0.3, 0.9, 0.2};
        Signature s = Signature.of(new double[][] {{0, 0, 0}, d, {d[0] + e[0], d[1] + e[1], d[2] + e[2]}}, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    double expected = d[i] * d[j] * d[k] / 6 + d[i] * d[j] / 2 * e[k] + 0.5 * d[i] * e[j] * e[k]
                            + e[i] * e[j] * e[k] / 6;
                    assertThat(s.get(i, j, k)).isCloseTo(expected, within(TOL));
                }
            }
        }
    }

    @Test
    void wordIndexIsLexicographicWithTheFirstLetterMostSignificant() {
        assertThat(Signature.index(3, 2, 0, 1)).isEqualTo(2 * 9 + 0 * 3 + 1);
        assertThat(Signature.levelSize(3, 4)).isEqualTo(81);
        Signature s = Signature.of(randomPath(15, 4, 3), 2);
        assertThat(s.level(2)[Signature.index(3, 1, 2)]).isEqualTo(s.get(1, 2));
    }

    @Test
    void onePointPathIsTheIdentity() {
        assertSameSignature(Signature.of(new double[][] {{4.0, 5.0}}, 3), Signature.identity(2, 3));
    }

    @Test
    void flatOverloadReadsFromTheOffset() {
        double[][] path = randomPath(16, 5, 2);
        double[] flat = new double[3 + 10];
        flat[0] = 99;
        for (int p = 0; p < 5; p++) {
            flat[3 + 2 * p] = path[p][0];
            flat[3 + 2 * p + 1] = path[p][1];
        }
        assertSameSignature(Signature.of(flat, 3, 5, 2, 3), Signature.of(path, 3));
    }

    @Test
    void badInputIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> Signature.of(new double[][] {{0, 0}, {1, Double.NaN}}, 2))
                .hasMessageContaining("point 1, channel 1");
        assertThatThrownBy(() -> Signature.of(new double[][] {{0, 0}, {1}}, 2)).hasMessageContaining("point 1");
        assertThatThrownBy(() -> Signature.identity(2, 0)).hasMessageContaining("depth");
        assertThatThrownBy(() -> Signature.identity(2, 3).times(Signature.identity(2, 4)))
                .hasMessageContaining("depth 4");
        assertThatThrownBy(() -> Signature.identity(1000, 4)).hasMessageContaining("coefficients");
        assertThatThrownBy(() -> Signature.index(2, 0, 2)).hasMessageContaining("letter 2");
    }
}
