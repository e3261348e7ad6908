package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.RwkvSpec;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * fla's {@code RWKV6Attention} (docs/models/rwkv.md §RWKV-6; fla/layers/rwkv6.py at c72662cc), names as its state
 * dict; width {@code h}, {@code H} heads, key width {@code K = h/2}, value width {@code V = h},
 * {@code δ_t = x_{t−1} − x_t} ({@code x_0 = 0}), {@code R} = {@code proj_low_rank_dim}:
 * <pre>
 *   m = tanh(W_1 (x + δ ⊙ μ)) split in 5 parts of R      x_proj.0.mu (h), x_proj.0.linear.weight (5R, h)
 *   μ_n = W_2[:, nR:(n+1)R] m_n + x_bias_n  (n = r,w,k,v,g)  x_proj.2.weight (h, 5R), x_bias (5, h)
 *   r = W_r(x + δ⊙μ_r), k = W_k(…), v = W_v(…), g = W_g(…)   r/k/v/g_proj.linear.weight (no bias)
 *   w = −exp(LoRA_tanh(x + δ⊙μ_w))                          w_proj.linear.lora.{0,2}
 *   o_t = (S_{t−1} + diag(u) k_t v_tᵀ)ᵀ r_t,  S_t = diag(e^{w_t}) S_{t−1} + k_t v_tᵀ   (per head, u = bonus (H, d_k))
 *   out = W_o (GroupNorm_H(o) ⊙ SiLU(g))                    g_norm (eps 1e−5, with bias), o_proj
 * </pre>
 * The layer returns no {@code v_first} (R1 takes its {@code past_key_values}, None, and no later block reads it).
 */
public final class Rwkv6Layer extends RwkvLayer {
    /** {@code norm_eps} (rwkv6.py line 36), the GroupNorm's eps. */
    static final double NORM_EPS = 1e-5;
    private static final String[] PARTS = {"r", "w", "k", "v", "g"};

    /** A block of {@code spec}. */
    public Rwkv6Layer(RwkvSpec spec) {
        super(spec);
    }

    /** Parameters ({@code _initialize_weights}: Xavier on Linear weights, zeros for μ, x_bias, bonus). */
    @Override
    void build(List<ParameterShape> decl, ParameterSet out, Rng rng, String prefix) {
        int h = spec.modelDim();
        int kd = spec.keyDim();
        int vd = spec.valueDim();
        int mr = spec.mixRank();
        constant(decl, out, prefix + "x_proj.0.mu", 0.0, h);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "x_proj.0.linear", h, 5 * mr, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "x_proj.2", 5 * mr, h, false);
        constant(decl, out, prefix + "x_bias", 0.0, 5, h);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "r_proj.linear", h, kd, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "w_proj.linear.lora.0", h, spec.decayRank(), false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "w_proj.linear.lora.2", spec.decayRank(), kd, true);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "k_proj.linear", h, kd, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "v_proj.linear", h, vd, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "g_proj.linear", h, vd, false);
        constant(decl, out, prefix + "bonus", 0.0, spec.numHeads(), spec.headKDim());
        constant(decl, out, prefix + "g_norm.weight", 1.0, vd);
        constant(decl, out, prefix + "g_norm.bias", 0.0, vd);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "o_proj", vd, h, false);
    }

    /** The layer on {@code x (B, L, h)}; the recurrence runs in chunks ({@link RwkvChunked#rwkv6}) or token by token. */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p0, T x0, boolean chunked) {
        RwkvParts.Precision pr = new RwkvParts.Precision(spec.bf16());
        ParameterLookup<T> p = Bfloat16.rounded(ops, p0, spec.bf16());
        int[] s = ops.shape(x0);
        int b = s[0];
        int len = s[1];
        int nh = spec.numHeads();
        int dk = spec.headKDim();
        int dv = spec.headVDim();
        int mr = spec.mixRank();
        T x = pr.r(ops, x0);
        T delta = pr.r(ops, RwkvParts.shiftDelta(ops, x));
        // x_proj[0] (LerpLinear): linear(x + δ ⊙ mu); x_proj[1]: tanh
        T lerp = pr.r(ops, ops.add(x, pr.r(ops, ops.mul(delta, p.get("x_proj.0.mu")))));
        T m = pr.r(ops, ops.tanh(pr.r(ops, Layers.linear(ops, lerp, p.get("x_proj.0.linear.weight"), null))));
        int h = s[2];
        // the five parts of m and of W_2 by one split each, not five slices: a slice's backward fills a zero tensor
        // the size of its whole input, (B, L, 5R) here, five times (docs/PERFORMANCE.md item 2). The five lerps stay
        // five ops: batched over (5, B, L, h) they measured slower (docs/PERFORMANCE.md item 17)
        List<T> ms = ops.unstack(ops.reshape(m, b, len, PARTS.length, mr), 2);       // 5 × (B, L, R)
        List<T> w2 = ops.unstack(ops.reshape(p.get("x_proj.2.weight"), h, PARTS.length, mr), 1); // 5 × (h, R)
        List<T> bias = ops.unstack(p.get("x_bias"), 0);
        List<T> inputs = new ArrayList<>(PARTS.length);
        for (int n = 0; n < PARTS.length; n++) {
            // einsum('b t n r, h n r -> b t n h') + x_bias[n], then DDLerpLinear's x + δ ⊙ μ_n
            T mu = pr.r(ops, ops.add(pr.r(ops, Layers.linear(ops, ms.get(n), w2.get(n), null)), bias.get(n)));
            inputs.add(pr.r(ops, ops.add(x, pr.r(ops, ops.mul(delta, mu)))));
        }
        T r = pr.r(ops, Layers.linear(ops, inputs.get(0), p.get("r_proj.linear.weight"), null));
        T w = RwkvParts.lora(ops, p, "w_proj.linear", inputs.get(1), "tanh", true, pr);
        T k = pr.r(ops, Layers.linear(ops, inputs.get(2), p.get("k_proj.linear.weight"), null));
        T v = pr.r(ops, Layers.linear(ops, inputs.get(3), p.get("v_proj.linear.weight"), null));
        T g = pr.r(ops, Layers.linear(ops, inputs.get(4), p.get("g_proj.linear.weight"), null));
        T r4 = ops.reshape(r, b, len, nh, dk);
        T k4 = ops.reshape(k, b, len, nh, dk);
        T v4 = ops.reshape(v, b, len, nh, dv);
        T w4 = pr.r(ops, ops.neg(ops.exp(ops.reshape(w, b, len, nh, dk))));           // w = −exp(w)
        // a backend's fused recurrence when it offers one (the same map as both generic forms; docs/models/rwkv.md
        // §"Fused RWKV-6 recurrence"), else the chunked or the token-by-token graph
        java.util.Optional<org.lincde.spi.Wkv6Kernel<T>> fused = ops.fusedWkv6();
        T o = pr.r(ops, fused.isPresent() ? fused.get().outputs(r4, k4, v4, w4, p.get("bonus"))
                : chunked ? RwkvChunked.rwkv6(ops, r4, k4, v4, w4, p.get("bonus"), spec.chunkSize())
                : recurrent(ops, r4, k4, v4, w4, p.get("bonus")));
        o = pr.r(ops, RwkvParts.groupNorm(ops, ops.reshape(o, b, len, nh * dv), nh, p.get("g_norm.weight"),
                p.get("g_norm.bias"), NORM_EPS));
        o = pr.r(ops, ops.mul(o, pr.r(ops, ops.silu(g))));                               // gate_fn = swish
        return pr.r(ops, Layers.linear(ops, o, p.get("o_proj.weight"), null));
    }

    /**
     * RWKV-6 token by token (fla/ops/rwkv6/recurrent_naive.py {@code naive_recurrent_rwkv6}, lines 30–38, scale 1):
     * {@code o_t = S_{t−1}ᵀ q_t + (q_t · (u ⊙ k_t)) v_t}, {@code S_t = diag(e^{w_t}) S_{t−1} + k_t v_tᵀ}.
     *
     * @param q (B, L, H, K)
     * @param k (B, L, H, K)
     * @param v (B, L, H, V)
     * @param w (B, L, H, K) log decays
     * @param u (H, K) bonus
     * @return o (B, L, H, V)
     */
    public static <T> T recurrent(TensorOps<T> ops, T q, T k, T v, T w, T u) {
        int[] s = ops.shape(q);
        int b = s[0];
        int len = s[1];
        int nh = s[2];
        int dk = s[3];
        int dv = ops.shape(v)[3];
        T bonus = ops.mul(ops.sum(ops.mul(ops.mul(q, u), k), -1, true), v);           // (B, L, H, V)
        List<T> qs = ops.unstack(ops.reshape(q, b, len, nh, 1, dk), 1);
        List<T> decay = ops.unstack(ops.reshape(ops.exp(w), b, len, nh, dk, 1), 1);
        List<T> ks = ops.unstack(ops.reshape(k, b, len, nh, dk, 1), 1);
        List<T> vs = ops.unstack(ops.reshape(v, b, len, nh, 1, dv), 1);
        List<T> os = new ArrayList<>(len);
        T state = null;
        for (int t = 0; t < len; t++) {
            os.add(state == null ? ops.full(0.0, b, nh, dv) : ops.reshape(ops.matmul(qs.get(t), state), b, nh, dv));
            T write = ops.mul(ks.get(t), vs.get(t));
            state = state == null ? write : ops.add(ops.mul(decay.get(t), state), write);
        }
        return ops.add(ops.stack(os, 1), bonus);
    }
}
