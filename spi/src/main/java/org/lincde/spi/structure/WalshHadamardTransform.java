package org.lincde.spi.structure;

import org.lincde.spi.Shapes;

/**
 * The Walsh–Hadamard transform in natural (Sylvester) order: {@code H_1 = [1]},
 * {@code H_2n = [[H_n, H_n], [H_n, −H_n]]}. The fast transform costs {@code O(n log n)}; the explicit
 * matrix exists for tests and for the reference dense materialisation.
 */
public final class WalshHadamardTransform {
    private WalshHadamardTransform() {}

    /**
     * In-place unnormalised fast transform of {@code x[offset .. offset+n)} ({@code n} a power of
     * two): after the call the segment holds {@code H_n x}. Read and written: {@code x}.
     */
    public static void transform(double[] x, int offset, int n) {
        if (!Shapes.isPowerOfTwo(n)) {
            throw new IllegalArgumentException("Walsh–Hadamard length must be a power of two, got " + n);
        }
        for (int len = 1; len < n; len <<= 1) {
            for (int i = 0; i < n; i += len << 1) {
                for (int j = i; j < i + len; j++) {
                    double a = x[offset + j];
                    double b = x[offset + j + len];
                    x[offset + j] = a + b;
                    x[offset + j + len] = a - b;
                }
            }
        }
    }

    /** The explicit Sylvester matrix {@code H_n} (unnormalised), row-major. */
    public static double[] matrix(int n) {
        if (!Shapes.isPowerOfTwo(n)) {
            throw new IllegalArgumentException("Hadamard order must be a power of two, got " + n);
        }
        double[] h = {1.0};
        for (int size = 1; size < n; size <<= 1) {
            int s2 = size << 1;
            double[] next = new double[s2 * s2];
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    double v = h[r * size + c];
                    next[r * s2 + c] = v;
                    next[r * s2 + c + size] = v;
                    next[(r + size) * s2 + c] = v;
                    next[(r + size) * s2 + c + size] = -v;
                }
            }
            h = next;
        }
        return h;
    }
}
