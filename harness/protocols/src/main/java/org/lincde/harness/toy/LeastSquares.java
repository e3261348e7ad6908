package org.lincde.harness.toy;

/**
 * Ordinary least squares with an intercept by Householder QR in float64 (SPEC §7: the toy's 256-feature
 * normal equations are ill-conditioned, so no normal equations). Solves {@code min ||[1, X] β − y||₂}
 * for {@code X} of {@code n×p} (row-major), the readout of R2's toy experiment (sklearn's
 * {@code LinearRegression}, SPEC §4.2). A design whose triangular factor has a diagonal entry below
 * {@code 1e−12·max|R_jj|} is refused as rank deficient (sklearn would return the minimum-norm solution).
 */
public final class LeastSquares {
    /** Relative threshold on {@code |R_jj|} below which the design is rank deficient. */
    public static final double RANK_TOLERANCE = 1e-12;

    /**
     * A fitted linear model {@code ŷ = intercept + Σ_j coefficients[j] x_j}.
     *
     * @param intercept    the intercept
     * @param coefficients one per feature
     */
    public record Fit(double intercept, double[] coefficients) {
        /** Predictions for {@code n×p} row-major features. */
        public double[] predict(double[] x, int n) {
            int p = coefficients.length;
            if ((long) n * p != x.length) {
                throw new IllegalArgumentException("features: expected " + n + "×" + p + " values, got " + x.length);
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double acc = intercept;
                for (int j = 0; j < p; j++) {
                    acc += coefficients[j] * x[i * p + j];
                }
                out[i] = acc;
            }
            return out;
        }

        /** Root mean squared error of the predictions against {@code y}. */
        public double rmse(double[] x, int n, double[] y) {
            double[] yhat = predict(x, n);
            double s = 0;
            for (int i = 0; i < n; i++) {
                double r = yhat[i] - y[i];
                s += r * r;
            }
            return Math.sqrt(s / n);
        }
    }

    private LeastSquares() {}

    /** Fits {@code y ≈ β_0 + X β} for {@code X} of {@code n×p} (row-major). x, y: read. */
    public static Fit fit(double[] x, int n, int p, double[] y) {
        if ((long) n * p != x.length || y.length != n) {
            throw new IllegalArgumentException("least squares: expected " + n + "×" + p + " features and " + n
                    + " targets, got " + x.length + " and " + y.length);
        }
        int q = p + 1;
        if (n < q) {
            throw new IllegalArgumentException("least squares with intercept needs at least " + q + " samples for "
                    + p + " features, got " + n);
        }
        // column-major design [1, X]: the Householder sweeps walk columns contiguously
        double[] a = new double[n * q];
        java.util.Arrays.fill(a, 0, n, 1.0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                a[(j + 1) * n + i] = x[i * p + j];
            }
        }
        double[] b = y.clone();
        double[] diag = new double[q];
        for (int j = 0; j < q; j++) {
            int cj = j * n;
            double norm = 0;
            for (int i = j; i < n; i++) {
                norm += a[cj + i] * a[cj + i];
            }
            norm = Math.sqrt(norm);
            double alpha = a[cj + j] > 0 ? -norm : norm;
            diag[j] = alpha;
            if (norm == 0) {
                continue;
            }
            // v = x − alpha e_1, stored in place; H = I − 2 v vᵀ / (vᵀ v)
            a[cj + j] -= alpha;
            double vtv = 0;
            for (int i = j; i < n; i++) {
                vtv += a[cj + i] * a[cj + i];
            }
            for (int k = j + 1; k < q; k++) {
                int ck = k * n;
                double dot = 0;
                for (int i = j; i < n; i++) {
                    dot += a[cj + i] * a[ck + i];
                }
                double s = 2 * dot / vtv;
                for (int i = j; i < n; i++) {
                    a[ck + i] -= s * a[cj + i];
                }
            }
            double dot = 0;
            for (int i = j; i < n; i++) {
                dot += a[cj + i] * b[i];
            }
            double s = 2 * dot / vtv;
            for (int i = j; i < n; i++) {
                b[i] -= s * a[cj + i];
            }
        }
        double max = 0;
        for (double v : diag) {
            max = Math.max(max, Math.abs(v));
        }
        for (int j = 0; j < q; j++) {
            if (!(Math.abs(diag[j]) > RANK_TOLERANCE * max)) {
                throw new IllegalArgumentException("least squares: the design [1, X] is rank deficient at column " + j
                        + " (|R_jj| = " + Math.abs(diag[j]) + ", max " + max + ")");
            }
        }
        // back substitution R β = (Qᵀ y)[0..q): R_jj = diag[j], R_jk = a[k·n + j] for k > j
        double[] beta = new double[q];
        for (int j = q - 1; j >= 0; j--) {
            double acc = b[j];
            for (int k = j + 1; k < q; k++) {
                acc -= a[k * n + j] * beta[k];
            }
            beta[j] = acc / diag[j];
        }
        double[] coef = new double[p];
        System.arraycopy(beta, 1, coef, 0, p);
        return new Fit(beta[0], coef);
    }
}
