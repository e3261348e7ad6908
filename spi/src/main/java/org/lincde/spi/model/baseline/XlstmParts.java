package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.DType;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * Components of NX-AI's xLSTM library shared by the mLSTM and sLSTM layers (docs/models/xlstm.md §1), and the
 * exact element selections their stabilisers need ({@code torch.max}, {@code torch.maximum}, {@code abs}) written
 * over {@link TensorOps}: the choice is made on the host from the tensors' values, the selected entries are taken
 * with {@link TensorOps#pickLast} (no arithmetic with the other entry, so an infinite loser cannot leak a NaN), and
 * the gradient flows to the selected entry, as PyTorch's does.
 */
final class XlstmParts {
    private XlstmParts() {}

    /** {@code components/ln.py}'s {@code eps}. */
    static final double LN_EPS = 1e-5;

    /**
     * {@code components/ln.py LayerNorm(weight=True, bias=False)}: PyTorch's layer norm over the last axis with gain
     * {@code 1 + w} ({@code residual_weight=True}, {@code w} initialised to 0) and no bias.
     */
    static <T> T layerNorm(TensorOps<T> ops, T x, T w) {
        int h = ops.shape(w)[0];
        return ops.layerNorm(x, ops.addScalar(w, 1.0), ops.full(0.0, h), LN_EPS);
    }

    /**
     * {@code MultiHeadLayerNorm}: {@code F.group_norm} with one group per head on each token's {@code NH·DH}
     * features, i.e. a layer norm over each head's {@code DH} units, then the per-feature gain {@code 1 + w}.
     *
     * @param x {@code (..., NH, DH)}
     * @param w {@code (NH·DH)}
     */
    static <T> T multiHeadLayerNorm(TensorOps<T> ops, T x, T w) {
        int[] s = ops.shape(x);
        int nh = s[s.length - 2];
        int dh = s[s.length - 1];
        T normed = ops.layerNorm(x, ops.full(1.0, dh), ops.full(0.0, dh), LN_EPS);
        return ops.mul(normed, ops.reshape(ops.addScalar(w, 1.0), nh, dh));
    }

    /**
     * {@code LinearHeadwiseExpand} without bias: the input's last axis split into {@code NH} heads, each mapped by its
     * own {@code (out/NH × in/NH)} block, {@code y[..., h, o] = Σ_d x[..., h, d] · W[h, o, d]}.
     *
     * @param x {@code (..., in)}
     * @param w {@code (NH, out/NH, in/NH)}
     */
    static <T> T headwise(TensorOps<T> ops, T x, T w) {
        int[] s = ops.shape(x);
        int nh = ops.shape(w)[0];
        int out = ops.shape(w)[1];
        T y = ops.transpose(headMajor(ops, x, w), 0, 1); // (lead, NH, out)
        int[] shape = s.clone();
        shape[shape.length - 1] = nh * out;
        return ops.reshape(y, shape);
    }

    /**
     * {@link #headwise} with the heads first: {@code (NH, lead, out)} for {@code x (..., in)}, one batched product
     * over the heads (a broadcast {@code (lead, NH, 1, in)} product would run {@code lead·NH} tiny ones).
     */
    static <T> T headMajor(TensorOps<T> ops, T x, T w) {
        int[] s = ops.shape(x);
        int[] ws = ops.shape(w);
        int nh = ws[0];
        int in = ws[2];
        if (s[s.length - 1] != nh * in) {
            throw new IllegalArgumentException("headwise projection: input width " + s[s.length - 1] + " is not "
                    + nh + " heads × " + in);
        }
        int lead = Params.size(s) / (nh * in);
        T xs = ops.transpose(ops.reshape(x, lead, nh, in), 0, 1);
        return ops.matmul(xs, ops.transpose(w, 1, 2));
    }

    /**
     * The mLSTM's and sLSTM's {@code CausalConv1d} (docs/models/xlstm.md §2, §4.1): the backend's one-op
     * convolution when its fused kernels are on ({@link TensorOps#fusedCausalConv}), else the generic graph of
     * shifted slices ({@link MambaV1Layer#causalConv}); the same map.
     */
    static <T> T causalConv(TensorOps<T> ops, T x, T weight, T bias) {
        java.util.Optional<org.lincde.spi.CausalConvKernel<T>> fused = ops.fusedCausalConv();
        return fused.isPresent() ? fused.get().outputs(x, weight, bias) : MambaV1Layer.causalConv(ops, x, weight, bias);
    }

    /** {@code small_init_init_(param, dim)}: {@code N(0, 2/(5·dim))}. */
    static void smallInit(ParameterSet p, Rng rng, String name, int dim, int... shape) {
        Layers.initNormal(p, rng, name, Math.sqrt(2.0 / (5.0 * dim)), shape);
    }

    /** {@code wang_init_(param, dim, num_blocks)}: {@code N(0, (2 / num_blocks / √dim)²)}. */
    static void wangInit(ParameterSet p, Rng rng, String name, int dim, int numBlocks, int... shape) {
        Layers.initNormal(p, rng, name, 2.0 / numBlocks / Math.sqrt(dim), shape);
    }

    /** {@code torch.linspace(start, end, n)}. */
    static double[] linspace(double start, double end, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? start : start + (end - start) * i / (n - 1);
        }
        return v;
    }

    // ------------------------------------------------------------------ exact selections

    /**
     * {@code where(takeA, a, b)} for equally shaped {@code a}, {@code b}: the selected entries exactly, the gradient
     * to the selected one only.
     */
    static <T> T select(TensorOps<T> ops, T a, T b, boolean[] takeA) {
        int[] s = ops.shape(a);
        int[] idx = new int[takeA.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = takeA[i] ? 0 : 1;
        }
        return ops.pickLast(ops.stack(List.of(a, b), s.length), idx);
    }

    /**
     * {@code torch.maximum(a, b)} (equal shapes): the larger entry exactly, {@code a} on ties, the gradient to the
     * one selected.
     */
    static <T> T maximum(TensorOps<T> ops, T a, T b) {
        double[] av = ops.value(a).data();
        double[] bv = ops.value(b).data();
        boolean[] takeA = new boolean[av.length];
        for (int i = 0; i < av.length; i++) {
            takeA[i] = !(av[i] < bv[i]);
        }
        return select(ops, a, b, takeA);
    }

    /** {@code |x|} as {@code x · sign(x)}: exact, gradient {@code sign(x)} (0 at 0, as PyTorch's). */
    static <T> T abs(TensorOps<T> ops, T x) {
        double[] v = ops.value(x).data();
        double[] sign = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            sign[i] = Math.signum(v[i]);
        }
        return ops.mul(x, ops.constant(sign, ops.shape(x)));
    }

    /**
     * {@code x} with bfloat16 values (round to nearest even on the float32 bits, as {@code Tensor.to(bfloat16)}),
     * the gradient passed straight through as a cast's is: the rounding enters as a constant added to {@code x}.
     */
    static <T> T bf16(TensorOps<T> ops, T x) {
        double[] v = ops.value(x).data();
        double[] d = new double[v.length];
        boolean any = false;
        for (int i = 0; i < v.length; i++) {
            d[i] = bf16(v[i]) - v[i]; // exact: both are float32 numbers of like magnitude
            any |= d[i] != 0.0;
        }
        return any ? ops.add(x, ops.constant(d, ops.shape(x))) : x;
    }

    /** The bfloat16 number nearest to {@code x} (via float32; ties to even; NaN and ±∞ kept). */
    static double bf16(double x) {
        float f = (float) x;
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    /** Host values rounded as the backend stores them (float32 arithmetic is emulated with Java floats). */
    static boolean single(TensorOps<?> ops) {
        return ops.dtype() == DType.FLOAT32;
    }
}
