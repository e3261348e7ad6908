package org.lincde.backend.djl.internal;

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
