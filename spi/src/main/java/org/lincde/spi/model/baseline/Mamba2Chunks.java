package org.lincde.spi.model.baseline;

/** Constant matrices of the chunked forms (Mamba2's SSD, the RWKV chunks). */
final class Mamba2Chunks {
    private Mamba2Chunks() {}

    /** {@code U[s, l] = 1} for {@code s ≤ l}: {@code a U} is the inclusive cumulative sum along the last axis. */
    static double[] upper(int q) {
        double[] v = new double[q * q];
        for (int r = 0; r < q; r++) {
            for (int c = r; c < q; c++) {
                v[r * q + c] = 1.0;
            }
        }
        return v;
    }

    /** 1 on and below the diagonal ({@code inclusive}) or strictly below it, 0 elsewhere. */
    static double[] lowerMask(int q, boolean inclusive) {
        double[] v = new double[q * q];
        for (int l = 0; l < q; l++) {
            for (int c = 0; c < q; c++) {
                v[l * q + c] = c < l || (inclusive && c == l) ? 1.0 : 0.0;
            }
        }
        return v;
    }

    /** 0 strictly below the diagonal, {@code offset} on and above it. */
    static double[] maskOffset(int q, double offset) {
        double[] v = new double[q * q];
        for (int l = 0; l < q; l++) {
            for (int c = 0; c < q; c++) {
                v[l * q + c] = c < l ? 0.0 : offset;
            }
        }
        return v;
    }

    static double[] identity(int n) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1.0;
        }
        return v;
    }
}
