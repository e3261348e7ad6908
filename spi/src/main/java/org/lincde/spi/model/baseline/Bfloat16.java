package org.lincde.spi.model.baseline;

import org.lincde.spi.HostTensor;
import org.lincde.spi.TensorOps;

/**
 * Emulated bfloat16 ([QUIRK], docs/models/deltanet.md §5): R1 runs every fla layer after {@code .bfloat16()}, so
 * the layer's input, weights and the outputs of its bf16 ops are bfloat16 numbers. {@link #round} gives a tensor
 * those values (round to nearest even on the float32 bits, as {@code torch.Tensor.bfloat16()}), with the
 * gradient passed straight through, as the cast's backward does.
 */
public final class Bfloat16 {
    private Bfloat16() {}

    /** {@code x} rounded to bfloat16 when {@code on}, else {@code x}; the gradient is the identity. */
    public static <T> T round(TensorOps<T> ops, T x, boolean on) {
        if (!on) {
            return x;
        }
        HostTensor h = ops.value(x);
        double[] v = h.data();
        double[] d = new double[v.length];
        boolean any = false;
        for (int i = 0; i < v.length; i++) {
            d[i] = round(v[i]) - v[i];
            any |= d[i] != 0.0;
        }
        return any ? ops.add(x, ops.constant(d, ops.shape(x))) : x;
    }

    /** The bfloat16 value nearest to {@code x} (via float32, ties to even; NaN and ±∞ kept). */
    public static double round(double x) {
        float f = (float) x;
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        int lsb = (bits >>> 16) & 1;
        bits += 0x7FFF + lsb;
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }
}
