package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.TensorOps;

/**
 * Causal multi-head scaled dot-product attention and rotary position embeddings (SPEC §2.7), shared by
 * R1's pre-norm decoder layer and R2's post-norm encoder layer.
 */
public final class Attention {
    private Attention() {}

    /**
     * The additive causal mask {@code (L, L)}: 0 where key ≤ query, {@code −∞} above the diagonal
     * (PyTorch's {@code generate_square_subsequent_mask}); every row keeps its diagonal, so no row is empty.
     */
    public static double[] causalMask(int len) {
        double[] m = new double[len * len];
        for (int q = 0; q < len; q++) {
            for (int k = q + 1; k < len; k++) {
                m[q * len + k] = Double.NEGATIVE_INFINITY;
            }
        }
        return m;
    }

    /**
     * Heads mixed back together: {@code softmax(QKᵀ/√d + mask) V} per head, with RoPE on Q and K when asked
     * and dropout on the attention weights in training. {@code q, k, v} are {@code (B, L, h)}; so is the
     * result (before the output projection).
     */
    public static <T> T causalSelfAttention(TensorOps<T> ops, T q, T k, T v, int heads, boolean rope,
                                            double dropout, ForwardMode mode) {
        int[] s = ops.shape(q);
        int b = s[0];
        int len = s[1];
        int h = s[2];
        int dh = h / heads;
        T qh = splitHeads(ops, q, b, len, heads, dh);
        T kh = splitHeads(ops, k, b, len, heads, dh);
        T vh = splitHeads(ops, v, b, len, heads, dh);
        if (rope) {
            qh = rotary(ops, qh);
            kh = rotary(ops, kh);
        }
        T scores = ops.scale(ops.matmul(qh, ops.transpose(kh, 2, 3)), 1.0 / Math.sqrt(dh));   // (B, nh, L, L)
        T weights = ops.softmax(ops.add(scores, ops.constant(causalMask(len), len, len)));
        weights = Modes.dropout(ops, weights, dropout, mode, "attention");
        T out = ops.matmul(weights, vh);                                                     // (B, nh, L, dh)
        return ops.reshape(ops.transpose(out, 1, 2), b, len, h);
    }

    private static <T> T splitHeads(TensorOps<T> ops, T x, int b, int len, int heads, int dh) {
        return ops.transpose(ops.reshape(x, b, len, heads, dh), 1, 2);                       // (B, nh, L, dh)
    }

    /**
     * Rotary embedding, half-split convention (R1 {@code apply_rope}): with {@code x = [x₁; x₂]} split at
     * {@code d/2} along the last axis and {@code θ_{t,j} = t·10000^{−j/(d/2)}} (positions t from 0 along
     * axis −2), {@code [x₁ cos θ − x₂ sin θ; x₂ cos θ + x₁ sin θ]}. {@code x} is {@code (..., L, d)}, d even.
     */
    public static <T> T rotary(TensorOps<T> ops, T x) {
        int[] s = ops.shape(x);
        int len = s[s.length - 2];
        int d = s[s.length - 1];
        if (d % 2 != 0) {
            throw new IllegalArgumentException("rotary embedding needs an even last axis, got " + d);
        }
        int half = d / 2;
        double[] cos = new double[len * half];
        double[] sin = new double[len * half];
        for (int t = 0; t < len; t++) {
            for (int j = 0; j < half; j++) {
                double angle = t / StrictMath.pow(10000.0, (double) j / half);
                cos[t * half + j] = StrictMath.cos(angle);
                sin[t * half + j] = StrictMath.sin(angle);
            }
        }
        T c = ops.constant(cos, len, half);
        T sn = ops.constant(sin, len, half);
        T x1 = ops.slice(x, -1, 0, half);
        T x2 = ops.slice(x, -1, half, d);
        return ops.concat(List.of(ops.sub(ops.mul(x1, c), ops.mul(x2, sn)), ops.add(ops.mul(x2, c), ops.mul(x1, sn))),
                s.length - 1);
    }

    /**
     * R2's sinusoidal positional encoding {@code (L, h)}: {@code sin(t·w_i)} at feature {@code 2i},
     * {@code cos(t·w_i)} at {@code 2i+1}, {@code w_i = exp(−2i·ln(10000)/h)}.
     */
    public static double[] sinusoidal(int len, int h) {
        double[] pe = new double[len * h];
        for (int t = 0; t < len; t++) {
            for (int f = 0; f < h; f++) {
                int i2 = f - (f % 2);
                double w = StrictMath.exp(i2 * (-StrictMath.log(10000.0) / h));
                pe[t * h + f] = f % 2 == 0 ? StrictMath.sin(t * w) : StrictMath.cos(t * w);
            }
        }
        return pe;
    }
}
