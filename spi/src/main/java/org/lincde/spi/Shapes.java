package org.lincde.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    // ---------------------------------------------------------------- per-op argument checks
    // One message per error, raised by every TensorOps implementation before its numerics.

    /** The shapes of {@code xs}, for the list checks ({@link #concat}, {@link #stack}). */
    public static <T> List<int[]> of(TensorOps<T> ops, List<T> xs) {
        List<int[]> s = new ArrayList<>(xs.size());
        for (T x : xs) {
            s.add(ops.shape(x));
        }
        return s;
    }

    /**
     * Checks {@code slice(x, axis, start, end)} on a tensor of {@code shape} and returns the normalised
     * axis.
     */
    public static int slice(int[] shape, int axis, int start, int end) {
        int ax = axis("slice", axis, shape.length);
        if (start < 0 || end > shape[ax] || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for axis "
                    + ax + " of shape " + Arrays.toString(shape));
        }
        return ax;
    }

    /**
     * Checks {@code concat} of tensors with {@code shapes} along {@code axis} (at least one; equal ranks;
     * equal extents off the axis) and returns the result's shape.
     */
    public static int[] concat(List<int[]> shapes, int axis) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("concat of no tensors");
        }
        int[] first = shapes.get(0);
        int ax = axis("concat", axis, first.length);
        int[] out = first.clone();
        out[ax] = 0;
        for (int[] s : shapes) {
            if (s.length != first.length) {
                throw new IllegalArgumentException("concat: ranks differ: " + Arrays.toString(first) + " and "
                        + Arrays.toString(s));
            }
            for (int d = 0; d < s.length; d++) {
                if (d != ax && s[d] != first[d]) {
                    throw new IllegalArgumentException("concat along axis " + ax + ": shapes "
                            + Arrays.toString(first) + " and " + Arrays.toString(s) + " differ elsewhere");
                }
            }
            out[ax] += s[ax];
        }
        return out;
    }

    /**
     * Checks {@code stack} of tensors with {@code shapes} along a new {@code axis} (at least one; all
     * shapes equal) and returns the result's shape.
     */
    public static int[] stack(List<int[]> shapes, int axis) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("stack of no tensors");
        }
        int[] first = shapes.get(0);
        int ax = axis("stack", axis, first.length + 1);
        for (int[] s : shapes) {
            if (!Arrays.equals(s, first)) {
                throw new IllegalArgumentException("stack: shapes " + Arrays.toString(first) + " and "
                        + Arrays.toString(s) + " differ");
            }
        }
        int[] out = new int[first.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == ax ? shapes.size() : first[j++];
        }
        return out;
    }

    /**
     * Checks {@code embedding(table, ids, idsShape)}: a {@code (V, h)} table, {@code ids} filling
     * {@code idsShape}, every id in {@code [0, V)}. Returns the result's shape {@code idsShape + [h]}.
     */
    public static int[] embedding(int[] table, int[] ids, int[] idsShape) {
        if (table.length != 2) {
            throw new IllegalArgumentException("embedding: table must be (V, h), got " + Arrays.toString(table));
        }
        checkReshape(new int[] {ids.length}, idsShape);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= table[0]) {
                throw new IllegalArgumentException("embedding: token id " + ids[i] + " at position " + i
                        + " is outside [0, " + table[0] + ")");
            }
        }
        int[] out = Arrays.copyOf(idsShape, idsShape.length + 1);
        out[idsShape.length] = table[1];
        return out;
    }

    /** Checks {@code layerNorm(x, gamma, beta)}: gain and bias hold one value per entry of {@code x}'s last axis. */
    public static void layerNorm(int[] x, int[] gamma, int[] beta) {
        int h = x.length == 0 ? 1 : x[x.length - 1];
        if (x.length == 0 || size(gamma) != h || size(beta) != h) {
            throw new IllegalArgumentException("layerNorm: gain " + Arrays.toString(gamma) + " and bias "
                    + Arrays.toString(beta) + " must hold " + h + " values each, one per entry of the last axis of "
                    + Arrays.toString(x));
        }
    }

    /**
     * Checks {@code pickLast(x, index)}: one index per leading position, each inside the last axis.
     * Returns the number of leading positions.
     */
    public static int pickLast(int[] x, int[] index) {
        if (x.length == 0) {
            throw new IllegalArgumentException("pickLast: needs rank >= 1, got a scalar");
        }
        int k = x[x.length - 1];
        int rows = k == 0 ? 0 : Math.toIntExact(size(x) / k);
        if (index.length != rows) {
            throw new IllegalArgumentException("pickLast: " + index.length + " indices for " + rows
                    + " positions of shape " + Arrays.toString(x));
        }
        for (int r = 0; r < rows; r++) {
            if (index[r] < 0 || index[r] >= k) {
                throw new IllegalArgumentException("pickLast: index " + index[r] + " at position " + r
                        + " is outside [0, " + k + ")");
            }
        }
        return rows;
    }

    /** Checks {@code walshHadamard(x)}: the last axis is a power of two, which it returns. */
    public static int walshHadamard(int[] x) {
        int n = x.length == 0 ? 1 : x[x.length - 1];
        if (x.length == 0 || !isPowerOfTwo(n)) {
            throw new IllegalArgumentException("walshHadamard: last axis " + (x.length == 0 ? "(none)" : n)
                    + " of shape " + Arrays.toString(x) + " is not a power of two");
        }
        return n;
    }

    /**
     * Checks the arguments of a fused recurrence ({@code RecurrenceKernel.states}): {@code y0} is
     * {@code (B, h)}, the coefficients {@code (B, L−1, P)}, the clip {@code > 0}.
     */
    public static void recurrence(int[] y0, int[] coefficients, int hidden, int coefficientCount, double clip) {
        if (y0.length != 2 || y0[1] != hidden) {
            throw new IllegalArgumentException("fused recurrence: y0 must be (B, " + hidden + "), got "
                    + Arrays.toString(y0));
        }
        if (coefficients.length != 3 || coefficients[0] != y0[0] || coefficients[2] != coefficientCount) {
            throw new IllegalArgumentException("fused recurrence: coefficients must be (" + y0[0] + ", L-1, "
                    + coefficientCount + "), got " + Arrays.toString(coefficients));
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("fused recurrence: clip must be > 0, got " + clip);
        }
    }

    /** Whether {@code n} is a power of two (and positive). */
    public static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }
}
