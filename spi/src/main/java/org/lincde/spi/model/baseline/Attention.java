package org.lincde.spi.model.baseline;

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
     * result (before the output projection). RoPE is applied per head while the heads are still the
     * contiguous {@code (B, L, nh, dh)} view of the projection, before they are moved to axis 1 (the same
     * values as rotating {@code (B, nh, L, dh)}: the rotation acts on each head's last axis by position).
     */
    public static <T> T causalSelfAttention(TensorOps<T> ops, T q, T k, T v, int heads, boolean rope,
                                            double dropout, ForwardMode mode) {
        return causalSelfAttention(ops, q, k, v, heads, rope, false, dropout, mode);
    }

    /**
     * {@link #causalSelfAttention(TensorOps, Object, Object, Object, int, boolean, double, ForwardMode)}, with
     * {@code scaleQuery}: multiply the queries by {@code 1/√d} (inside their rotary tables when {@code rope}) instead
     * of the {@code (B, nh, L, L)} scores, {@code (sQ)Kᵀ = s(QKᵀ)} up to rounding (the fused path's layout,
     * docs/models/transformer.md, "Fused path").
     */
    public static <T> T causalSelfAttention(TensorOps<T> ops, T q, T k, T v, int heads, boolean rope,
                                            boolean scaleQuery, double dropout, ForwardMode mode) {
        int[] s = ops.shape(q);
        int b = s[0];
        int len = s[1];
        int h = s[2];
        int dh = h / heads;
        T q4 = ops.reshape(q, b, len, heads, dh);
        T k4 = ops.reshape(k, b, len, heads, dh);
        if (rope) {
            if (dh % 2 != 0) {
                throw new IllegalArgumentException("rotary embedding needs an even head dimension, got " + dh);
            }
            RopeTables t = RopeTables.of(len, dh);
            T cos = ops.constant(t.cos, len, 1, dh);
            T sin = ops.constant(t.sin, len, 1, dh);
            T rot = ops.constant(t.rotateHalf, dh, dh);
            q4 = scaleQuery ? rotate(ops, q4, ops.constant(t.cosScaled, len, 1, dh),
                    ops.constant(t.sinScaled, len, 1, dh), rot) : rotate(ops, q4, cos, sin, rot);
            k4 = rotate(ops, k4, cos, sin, rot);
        } else if (scaleQuery) {
            q4 = ops.scale(q4, 1.0 / Math.sqrt(dh));
        }
        T qh = ops.transpose(q4, 1, 2);                                                     // (B, nh, L, dh)
        T kh = ops.transpose(k4, 1, 2);
        T vh = splitHeads(ops, v, b, len, heads, dh);
        T product = ops.matmul(qh, ops.transpose(kh, 2, 3));                                  // (B, nh, L, L)
        T scores = scaleQuery ? product : ops.scale(product, 1.0 / Math.sqrt(dh));
        T weights = ops.softmax(ops.add(scores, ops.constant(causalMaskOf(len), len, len)));
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
        RopeTables t = RopeTables.of(len, d);
        return rotate(ops, x, ops.constant(t.cos, len, d), ops.constant(t.sin, len, d),
                ops.constant(t.rotateHalf, d, d));
    }

    /**
     * {@code x ⊙ [cos θ; cos θ] + (x·R) ⊙ [sin θ; sin θ]} with {@code x·R = [−x₂; x₁]}: four ops instead of two
     * slices, four products, a sum, a difference and a concatenation. The same values bit for bit: {@code R}
     * holds one ±1 per column, so {@code x·R} is exact, and {@code a + (−b)·c} equals {@code a − b·c} exactly.
     */
    private static <T> T rotate(TensorOps<T> ops, T x, T cos, T sin, T rotateHalf) {
        return ops.add(ops.mul(x, cos), ops.mul(ops.matmul(x, rotateHalf), sin));
    }

    /**
     * RoPE's tables for {@code len} positions and head dimension {@code d}, computed once per size while it
     * keeps coming (every forward of a training run asks for the same ones): {@code cos θ, sin θ} duplicated over both halves,
     * {@code (L, d)} row-major, the {@code (d, d)} matrix {@code R} with {@code x·R = [−x₂; x₁]}, and
     * {@code cos θ/√d, sin θ/√d} for queries that carry the attention scale.
     */
    private record RopeTables(double[] cos, double[] sin, double[] rotateHalf, double[] cosScaled,
                              double[] sinScaled) {
        private static final java.util.Map<Long, RopeTables> CACHE = recent();

        static RopeTables of(int len, int d) {
            synchronized (CACHE) {
                return CACHE.computeIfAbsent(((long) len << 32) | d, key -> compute(len, d));
            }
        }

        private static RopeTables compute(int len, int d) {
            int half = d / 2;
            double[] cos = new double[len * d];
            double[] sin = new double[len * d];
            for (int t = 0; t < len; t++) {
                for (int j = 0; j < half; j++) {
                    double angle = t / StrictMath.pow(10000.0, (double) j / half);
                    cos[t * d + j] = StrictMath.cos(angle);
                    cos[t * d + half + j] = cos[t * d + j];
                    sin[t * d + j] = StrictMath.sin(angle);
                    sin[t * d + half + j] = sin[t * d + j];
                }
            }
            double[] r = new double[d * d];
            for (int j = 0; j < half; j++) {
                r[(j + half) * d + j] = -1.0;    // output j < d/2 takes −x_{j+d/2}
                r[j * d + j + half] = 1.0;       // output j + d/2 takes x_j
            }
            double s = 1.0 / Math.sqrt(d);
            double[] cosScaled = new double[len * d];
            double[] sinScaled = new double[len * d];
            for (int i = 0; i < len * d; i++) {
                cosScaled[i] = cos[i] * s;
                sinScaled[i] = sin[i] * s;
            }
            return new RopeTables(cos, sin, r, cosScaled, sinScaled);
        }
    }

    /** {@link #causalMask}, computed once per length while that length keeps coming. */
    private static double[] causalMaskOf(int len) {
        synchronized (MASKS) {
            return MASKS.computeIfAbsent(len, Attention::causalMask);
        }
    }

    private static final java.util.Map<Integer, double[]> MASKS = recent();

    /**
     * Most recently used entries only: a run sees a few sequence lengths over and over, but a length sweep sees
     * hundreds, and an {@code L × L} mask per length would add up to gigabytes.
     */
    private static <K, V> java.util.Map<K, V> recent() {
        return new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<K, V> eldest) {
                return size() > 8;
            }
        };
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
