package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Reusable Java arrays for the fused kernels, one set per thread (a session may be driven from
 * several threads): the recurrence of an R1 step moves tens of megabytes between libtorch and Java,
 * and allocating (and zeroing) them afresh every call cost as much as the kernels. Arrays above
 * {@link #MAX_CACHED} elements are not kept (the dense structure at h = 128 would pin gigabytes).
 *
 * <p>Callers must fully overwrite what they take: contents are left over from earlier calls.
 */
public final class Workspace {
    /** Largest array (elements) kept between calls. */
    public static final int MAX_CACHED = 1 << 25;

    private final Map<String, double[]> doubles = new HashMap<>();
    private float[] floats = new float[0];

    /** A double array of at least {@code n} elements for {@code key}; contents undefined. */
    public double[] doubles(String key, int n) {
        if (n > MAX_CACHED) {
            return new double[n];
        }
        double[] a = doubles.get(key);
        if (a == null || a.length < n) {
            a = new double[n];
            doubles.put(key, a);
        }
        return a;
    }

    /**
     * Copies {@code x}'s values (float32 or float64, contiguous after DJL's own fix-up) into
     * {@code out[0..n)}, widening floats; one copy, through the tensor's direct buffer.
     */
    public void read(NDArray x, double[] out) {
        int n = Math.toIntExact(x.size());
        java.nio.ByteBuffer bb = x.toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (x.getDataType() == DataType.FLOAT64) {
            bb.asDoubleBuffer().get(out, 0, n);
            return;
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("fused kernels read float32 or float64, got " + x.getDataType());
        }
        float[] f = floatScratch(n);
        bb.asFloatBuffer().get(f, 0, n);
        for (int i = 0; i < n; i++) {
            out[i] = f[i];
        }
    }

    /** A float scratch array of at least {@code n} elements (shared: one use at a time). */
    public float[] floatScratch(int n) {
        if (n > MAX_CACHED) {
            return new float[n];
        }
        if (floats.length < n) {
            floats = new float[n];
        }
        return floats;
    }
}
