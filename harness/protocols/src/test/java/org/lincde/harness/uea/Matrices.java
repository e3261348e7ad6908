package org.lincde.harness.uea;

/** Small dense row-major matrix helpers for tests (plain loops, float64). */
public final class Matrices {
    private Matrices() {}

    public static double[] multiply(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
        return c;
    }

    public static double[] subtract(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    /** exp(A) by scaling and squaring of a 30-term Taylor series (ample for the small norms in tests). */
    public static double[] expm(double[] a, int n) {
        double norm = 0;
        for (double v : a) {
            norm = Math.max(norm, Math.abs(v));
        }
        int squarings = Math.max(0, (int) Math.ceil(Math.log(norm * n + 1e-300) / Math.log(2)) + 1);
        double scale = Math.pow(2, -squarings);
        double[] x = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = a[i] * scale;
        }
        double[] result = identity(n);
        double[] term = identity(n);
        for (int k = 1; k <= 30; k++) {
            term = multiply(term, x, n);
            for (int i = 0; i < term.length; i++) {
                term[i] /= k;
                result[i] += term[i];
            }
        }
        for (int s = 0; s < squarings; s++) {
            result = multiply(result, result, n);
        }
        return result;
    }

    public static double[] identity(int n) {
        double[] e = new double[n * n];
        for (int i = 0; i < n; i++) {
            e[i * n + i] = 1.0;
        }
        return e;
    }
}
