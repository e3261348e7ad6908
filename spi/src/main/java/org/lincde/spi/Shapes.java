package org.lincde.spi;

import java.util.Arrays;

/**
 * Shape rules written once (Keras' {@code compute_output_spec} idea): every backend calls these
 * before its numerics, so a bad shape gets the same message on every backend.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class Shapes {
    private Shapes() {}

    /** Number of elements of {@code shape} (1 for a scalar). */
    public static long size(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    /** Row-major strides of {@code shape}. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Row-major offset of {@code index} in {@code shape}, bounds-checked. */
    public static int offset(int[] shape, int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length
                    + " but shape " + Arrays.toString(shape) + " has rank " + shape.length);
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Multi-index of row-major {@code offset} in {@code shape}. */
    public static int[] unravel(int[] shape, int offset) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = offset % shape[i];
            offset /= shape[i];
        }
        return idx;
    }

    /** Normalises a possibly negative axis against {@code rank}; the message names the op. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** NumPy broadcasting of two shapes; the message names the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " cannot be broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /**
     * Output shape of a batched matrix product {@code (..., n, k) × (..., k, m) → (..., n, m)} with
     * broadcast batch dimensions (both operands must have rank ≥ 2).
     */
    public static int[] matmul(int[] a, int[] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2 operands, got " + Arrays.toString(a)
                    + " and " + Arrays.toString(b));
        }
        int n = a[a.length - 2];
        int k = a[a.length - 1];
        int k2 = b[b.length - 2];
        int m = b[b.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Arrays.toString(a) + " × "
                    + Arrays.toString(b));
        }
        int[] batch = broadcast("matmul", Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = n;
        out[batch.length + 1] = m;
        return out;
    }

    /** Checks that {@code newShape} has as many elements as {@code shape}. */
    public static void checkReshape(int[] shape, int[] newShape) {
        if (size(shape) != size(newShape)) {
            throw new IllegalArgumentException("reshape: cannot view " + Arrays.toString(shape) + " ("
                    + size(shape) + " values) as " + Arrays.toString(newShape) + " (" + size(newShape) + " values)");
        }
    }

    /** Whether {@code n} is a power of two (and positive). */
    public static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }
}
