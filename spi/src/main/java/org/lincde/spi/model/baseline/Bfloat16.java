package org.lincde.spi.model.baseline;

import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.TensorOps;

/**
 * Emulated bfloat16 ([QUIRK], docs/models/rwkv.md "bfloat16", docs/models/deltanet.md §5): R1's {@code models/fla.py} calls
 * {@code .bfloat16()} on every flash-linear-attention layer and feeds it {@code x.bfloat16()}, so the
 * layer's parameters, inputs and the outputs of its ops are stored with 8 significant bits. lincde keeps
 * float32/float64 arithmetic and rounds values to the nearest bfloat16 (ties to even) at the points
 * where the library stores a bfloat16 tensor. The rounding is a constant offset, so gradients pass
 * through unchanged (the library's bfloat16 gradients are not emulated).
 */
public final class Bfloat16 {
    private Bfloat16() {}

    /** {@code v} rounded to the nearest bfloat16 value, ties to even; NaN and infinities unchanged. */
    public static double round(double v) {
        float f = (float) v;
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        int lsb = (bits >>> 16) & 1;
        bits += 0x7FFF + lsb;
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    /** {@code x} with its values rounded to bfloat16 and the identity as gradient. */
    public static <T> T round(TensorOps<T> ops, T x) {
        HostTensor h = ops.value(x);
        double[] v = h.data();
        double[] offset = new double[v.length];
        boolean any = false;
        for (int i = 0; i < v.length; i++) {
            offset[i] = round(v[i]) - v[i];
            any |= offset[i] != 0;
        }
        return any ? ops.add(x, ops.constant(offset, ops.shape(x))) : x;
    }

    /** {@code x} rounded when {@code on}, unchanged otherwise (the delta-rule layers' spelling of {@link #maybe}). */
    public static <T> T round(TensorOps<T> ops, T x, boolean on) {
        return maybe(ops, x, on);
    }

    /** {@code x} rounded when {@code on}, unchanged otherwise. */
    public static <T> T maybe(TensorOps<T> ops, T x, boolean on) {
        return on ? round(ops, x) : x;
    }

    /** A lookup whose tensors are rounded to bfloat16 ({@code .bfloat16()} on the module's parameters). */
    public static <T> ParameterLookup<T> rounded(TensorOps<T> ops, ParameterLookup<T> p, boolean on) {
        return on ? name -> round(ops, p.get(name)) : p;
    }
}
