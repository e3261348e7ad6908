package org.lincde.harness.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.lincde.spi.Rng;

/** Householder least squares against the normal equations and a planted model. */
class LeastSquaresTest {

    @Test
    void matchesTheNormalEquationsOnAWellConditionedProblem() {
        Rng rng = Rng.seeded(4);
        int n = 200;
        int p = 5;
        double[] x = new double[n * p];
        rng.stream("x").fillNormal(x, 0, 1);
        double[] y = new double[n];
        rng.stream("y").fillNormal(y, 0, 1);
        LeastSquares.Fit fit = LeastSquares.fit(x, n, p, y);
        double[] beta = normalEquations(x, n, p, y);
        assertThat(fit.intercept()).isCloseTo(beta[0], offset(1e-12));
        for (int j = 0; j < p; j++) {
            assertThat(fit.coefficients()[j]).isCloseTo(beta[j + 1], offset(1e-12));
        }
    }

    @Test
    void recoversAPlantedLinearModelExactly() {
        Rng rng = Rng.seeded(5);
        int n = 300;
        int p = 40;
        double[] x = new double[n * p];
        rng.fillNormal(x, 0, 1);
        double[] planted = new double[p];
        rng.stream("beta").fillNormal(planted, 0, 1);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = -0.7;
            for (int j = 0; j < p; j++) {
                acc += planted[j] * x[i * p + j];
            }
            y[i] = acc;
        }
        LeastSquares.Fit fit = LeastSquares.fit(x, n, p, y);
        assertThat(fit.intercept()).isCloseTo(-0.7, offset(1e-12));
        for (int j = 0; j < p; j++) {
            assertThat(fit.coefficients()[j]).isCloseTo(planted[j], offset(1e-12));
        }
        assertThat(fit.rmse(x, n, y)).isLessThan(1e-12);
    }

    @Test
    void withoutFeaturesTheFitIsTheMean() {
        LeastSquares.Fit fit = LeastSquares.fit(new double[0], 4, 0, new double[] {1, 2, 3, 6});
        assertThat(fit.intercept()).isCloseTo(3.0, offset(1e-15));
        assertThat(fit.rmse(new double[0], 4, new double[] {1, 2, 3, 6})).isCloseTo(Math.sqrt(14.0 / 4), offset(1e-14));
    }

    @Test
    void rankDeficientAndUnderdeterminedDesignsAreRefused() {
        double[] x = {1, 2, 2, 4, 3, 6, 4, 8}; // column 2 = 2 × column 1
        assertThatThrownBy(() -> LeastSquares.fit(x, 4, 2, new double[] {1, 2, 3, 4}))
                .hasMessageContaining("rank deficient").hasMessageContaining("column 2");
        assertThatThrownBy(() -> LeastSquares.fit(new double[6], 2, 3, new double[2]))
                .hasMessageContaining("at least 4 samples");
    }

    /** (AᵀA) β = Aᵀy with A = [1, X], by Gaussian elimination with partial pivoting. */
    private static double[] normalEquations(double[] x, int n, int p, double[] y) {
        int q = p + 1;
        double[][] m = new double[q][q + 1];
        for (int i = 0; i < n; i++) {
            double[] row = new double[q];
            row[0] = 1;
            System.arraycopy(x, i * p, row, 1, p);
            for (int r = 0; r < q; r++) {
                for (int c = 0; c < q; c++) {
                    m[r][c] += row[r] * row[c];
                }
                m[r][q] += row[r] * y[i];
            }
        }
        for (int c = 0; c < q; c++) {
            int piv = c;
            for (int r = c + 1; r < q; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = c + 1; r < q; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= q; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] beta = new double[q];
        for (int r = q - 1; r >= 0; r--) {
            double acc = m[r][q];
            for (int k = r + 1; k < q; k++) {
                acc -= m[r][k] * beta[k];
            }
            beta[r] = acc / m[r][r];
        }
        return beta;
    }
}
