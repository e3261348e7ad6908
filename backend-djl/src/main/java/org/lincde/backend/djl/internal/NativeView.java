package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A tensor's native memory seen from Java (float32 or float64), read and written in ranges that the
 * fused kernels' row tasks copy to and from their double arrays. Copying row by row inside the
 * (parallel) row loops, instead of converting whole tensors on the calling thread before and after,
 * halves the copy time on two threads and touches each row while it is in cache; writing into a
 * direct buffer that becomes the result tensor saves DJL's heap-to-native copy (docs/PERFORMANCE.md:
 * these conversions were ~17 % of a D-LNCDE step).
 */
public final class NativeView {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final int size;

    private NativeView(ByteBuffer bytes, DataType type, int size) {
        this.bytes = bytes;
        this.size = size;
        if (type == DataType.FLOAT64) {
            this.doubles = bytes.asDoubleBuffer();
            this.floats = null;
        } else if (type == DataType.FLOAT32) {
            this.floats = bytes.asFloatBuffer();
            this.doubles = null;
        } else {
            throw new IllegalArgumentException("fused kernels read float32 or float64, got " + type);
        }
    }

    /**
     * A view of {@code x}'s values (contiguous after DJL's own fix-up); valid while {@code x} is open.
     */
    public static NativeView of(NDArray x) {
        return new NativeView(x.toByteBuffer(true).order(ByteOrder.nativeOrder()), x.getDataType(),
                Math.toIntExact(x.size()));
    }

    /**
     * Native memory for {@code n} values of {@code type} (from {@code arena}, valid while
     * {@code manager} is open; contents undefined), to fill completely and then {@link #toArray}.
     */
    public static NativeView allocate(NativeArena arena, NDManager manager, DataType type, int n) {
        return new NativeView(arena.take(manager, Math.multiplyExact(n, type.getNumOfBytes())), type, n);
    }

    /** Number of values. */
    public int size() {
        return size;
    }

    /** Widens values {@code [from, from + n)} into {@code dst[off, off + n)}. */
    public void get(int from, double[] dst, int off, int n) {
        if (doubles != null) {
            doubles.get(from, dst, off, n);
            return;
        }
        float[] f = scratch(n);
        floats.get(from, f, 0, n); // bulk copy, then a widening loop the JIT vectorises
        for (int i = 0; i < n; i++) {
            dst[off + i] = f[i];
        }
    }

    /** Writes {@code src[off, off + n)} (rounded to float32 where the view is float32) at {@code to}. */
    public void put(double[] src, int off, int to, int n) {
        if (doubles != null) {
            doubles.put(to, src, off, n);
            return;
        }
        float[] f = scratch(n);
        for (int i = 0; i < n; i++) {
            f[i] = (float) src[off + i];
        }
        floats.put(to, f, 0, n);
    }

    /** Per-thread float scratch of at least {@code n} elements (rows are small: kilobytes). */
    private static float[] scratch(int n) {
        float[] f = SCRATCH.get();
        if (f.length < n) {
            f = new float[Math.max(n, 2 * f.length)];
            SCRATCH.set(f);
        }
        return f;
    }

    /** Whether the values are float32 (then {@link #getFloats}/{@link #putFloats} move them without conversion). */
    public boolean isFloat32() {
        return floats != null;
    }

    /** Copies float32 values {@code [from, from + n)} into {@code dst[off, off + n)} (float32 views only). */
    public void getFloats(int from, float[] dst, int off, int n) {
        floats.get(from, dst, off, n);
    }

    /** Writes {@code src[off, off + n)} at {@code to} (float32 views only). */
    public void putFloats(float[] src, int off, int to, int n) {
        floats.put(to, src, off, n);
    }

    /** Writes one value (rounded to float32 where the view is float32) at {@code i}. */
    public void set(int i, double v) {
        if (doubles != null) {
            doubles.put(i, v);
        } else {
            floats.put(i, (float) v);
        }
    }

    /**
     * The tensor over values {@code [from, from + size(shape))} of this memory (no copy), for a kernel that
     * hands finished parts of its buffer to the engine while it still writes other parts. Only for views
     * made by {@link #allocate}; that range must not be written afterwards.
     */
    public NDArray sliceArray(NDManager manager, DataType type, int from, int... shape) {
        long n = 1;
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
            n *= shape[i];
        }
        int es = type.getNumOfBytes();
        ByteBuffer part = bytes.slice(Math.multiplyExact(from, es), Math.toIntExact(n * es)).order(ByteOrder.nativeOrder());
        return manager.create(part, new Shape(l), type);
    }

    /**
     * The tensor over this memory (no copy; the tensor keeps the buffer alive). Only for views made
     * by {@link #allocate}; the view must not be written afterwards.
     */
    public NDArray toArray(NDManager manager, DataType type, int... shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
        }
        return manager.create(bytes, new Shape(l), type);
    }
}
