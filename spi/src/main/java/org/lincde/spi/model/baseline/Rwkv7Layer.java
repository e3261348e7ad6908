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
 * fla's {@code RWKV7Attention} (docs/models/rwkv.md §RWKV-7; fla/layers/rwkv7.py at c72662cc), names as its state
 * dict; width {@code h}, {@code H} heads of {@code d_k = d_v}, {@code δ_t = x_{t−1} − x_t} ({@code x_0 = 0}):
 * <pre>
 *   x◦ = x + δ ⊙ x_◦  (◦ = r, w, k, v, a, g)             x_r … x_g (1, 1, h)
 *   r = W_r x_r,  k = W_k x_k,  v = W_v x_v               r_proj, k_proj, v_proj (no bias)
 *   w = −e^{−1/2} σ(LoRA_tanh(x_w))                        w_lora.lora.{0,2}
 *   v = lerp(v, v_first, σ(LoRA(x_v)))  (blocks ≥ 1)       v_lora.lora.{0,2}; block 0 hands v on as v_first
 *   a = σ(LoRA(x_a)),  g = LoRA_σ(x_g)                     a_lora, g_lora (no output bias)
 *   κ = normalize(k ⊙ k_k) per head,  k = k + k(a − 1) ⊙ k_a      k_k, k_a (h)
 *   S_t = diag(e^{w_t}) S_{t−1} + (κ_t ⊙ a_t)(−κ_t)ᵀ S_{t−1} + k_t v_tᵀ,   o_t = S_tᵀ r_t   (per head, S ∈ R^{d_k×d_v})
 *   o = GroupNorm_H(o) + (Σ_k r ⊙ k ⊙ r_k) v               g_norm (eps = d_k·1e−5), r_k (H, d_k)
 *   out = W_o (o ⊙ g)                                      o_proj
 * </pre>
 */
public final class Rwkv7Layer extends RwkvLayer {
    /** {@code −0.6065306597126334 = −e^{−1/2}} (rwkv7.py, the decay's scale). */
    static final double DECAY_SCALE = -0.6065306597126334;
    /** {@code norm_eps} (rwkv7.py line 36); the GroupNorm's eps is {@code head_dim·norm_eps} (line 102). */
    static final double NORM_EPS = 1e-5;
    private static final String[] MIX = {"x_r", "x_w", "x_k", "x_v", "x_a", "x_g"};

    private final int layerIdx;

    /** Block {@code layerIdx} of {@code spec} (block 0 has no {@code v_lora} and sets {@code v_first}). */
    public Rwkv7Layer(RwkvSpec spec, int layerIdx) {
        super(spec);
        this.layerIdx = layerIdx;
    }

    /** The layer output and the {@code v_first} the next block receives. */
    public record Output<T>(T out, T vFirst) {}

    /**
     * Parameters ({@code _initialize_weights} at c72662cc: Xavier on Linear weights, everything else at its
     * constructor value).
     */
    @Override
    void build(List<ParameterShape> decl, ParameterSet out, Rng rng, String prefix) {
        int h = spec.modelDim();
        int kd = spec.keyDim();
        int vd = spec.valueDim();
        for (String m : MIX) {
            constant(decl, out, prefix + m, 0.0, 1, 1, h);
        }
        constant(decl, out, prefix + "k_k", 0.0, kd);
        constant(decl, out, prefix + "k_a", 0.0, kd);
        constant(decl, out, prefix + "r_k", 0.0, spec.numHeads(), spec.headKDim());
        RwkvParts.xavierLinear(decl, out, rng, prefix + "r_proj", h, kd, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "k_proj", h, kd, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "v_proj", h, vd, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + "o_proj", vd, h, false);
        lora(decl, out, rng, prefix + "w_lora", h, kd, spec.decayRank(), true);
        if (layerIdx != 0) {
            lora(decl, out, rng, prefix + "v_lora", h, vd, spec.vRank(), true);
        }
        lora(decl, out, rng, prefix + "a_lora", h, kd, spec.aRank(), true);
        lora(decl, out, rng, prefix + "g_lora", h, vd, spec.gateRank(), false);
        constant(decl, out, prefix + "g_norm.weight", 1.0, vd);
        constant(decl, out, prefix + "g_norm.bias", 0.0, vd);
    }

    private static void lora(List<ParameterShape> decl, ParameterSet out, Rng rng, String prefix, int in, int outDim,
                             int rank, boolean bias) {
        RwkvParts.xavierLinear(decl, out, rng, prefix + ".lora.0", in, rank, false);
        RwkvParts.xavierLinear(decl, out, rng, prefix + ".lora.2", rank, outDim, bias);
    }

    /**
     * The layer on {@code x (B, L, h)}; {@code vFirst} is block 0's values (null in block 0). The recurrence is
     * evaluated in chunks ({@link RwkvChunked#dplr}) or token by token ({@link #recurrent}).
     */
    public <T> Output<T> forward(TensorOps<T> ops, ParameterLookup<T> p0, T x0, T vFirst, boolean chunked) {
        RwkvParts.Precision pr = new RwkvParts.Precision(spec.bf16());
        ParameterLookup<T> p = Bfloat16.rounded(ops, p0, spec.bf16());
        int[] s = ops.shape(x0);
        int b = s[0];
        int len = s[1];
        int nh = spec.numHeads();
        int dk = spec.headKDim();
        int dv = spec.headVDim();
        T x = pr.r(ops, x0);
        T delta = pr.r(ops, RwkvParts.shiftDelta(ops, x));
        List<T> mixed = new ArrayList<>(MIX.length);
        for (String m : MIX) { // fused_addcmul_rwkv7: x + δ ⊙ x_◦
            mixed.add(pr.r(ops, ops.add(x, ops.mul(delta, p.get(m)))));
        }
        T r = pr.r(ops, Layers.linear(ops, mixed.get(0), p.get("r_proj.weight"), null));
        T w = RwkvParts.lora(ops, p, "w_lora", mixed.get(1), "tanh", true, pr);
        w = pr.r(ops, ops.scale(pr.r(ops, ops.sigmoid(w)), DECAY_SCALE));
        T k = pr.r(ops, Layers.linear(ops, mixed.get(2), p.get("k_proj.weight"), null));
        T v = pr.r(ops, Layers.linear(ops, mixed.get(3), p.get("v_proj.weight"), null));
        T vOut;
        if (layerIdx == 0) {
            vOut = v;
        } else {
            if (vFirst == null) {
                throw new IllegalArgumentException("RWKV-7 block " + layerIdx + " needs block 0's v_first");
            }
            T mix = pr.r(ops, ops.sigmoid(RwkvParts.lora(ops, p, "v_lora", mixed.get(3), "none", true, pr)));
            v = pr.r(ops, ops.add(v, ops.mul(ops.sub(vFirst, v), mix))); // torch.lerp(v, v_first, mix)
            vOut = vFirst;
        }
        T a = pr.r(ops, ops.sigmoid(RwkvParts.lora(ops, p, "a_lora", mixed.get(4), "none", true, pr)));
        T g = RwkvParts.lora(ops, p, "g_lora", mixed.get(5), "sigmoid", false, pr);
        // k_k ≡ 0 (R1's init, kept by training: its gradient is exactly 0; docs/models/rwkv.md §"k_k = 0"): then κ = 0,
        // the DPLR term b(aᵀS) vanishes exactly and the chunked form skips it, with the same numbers bit for bit
        boolean removal = chunked ? !RwkvParts.allZero(ops, p.get("k_k")) : true;
        T kk = removal ? pr.r(ops, RwkvParts.normalize(ops, ops.reshape(pr.r(ops, ops.mul(k, p.get("k_k"))), b, len,
                nh, dk))) : null;
        // k.addcmul(k * (a − 1), k_a) = k + k(a − 1) ⊙ k_a
        k = pr.r(ops, ops.add(k, ops.mul(pr.r(ops, ops.mul(k, ops.addScalar(a, -1.0))), p.get("k_a"))));
        T r4 = ops.reshape(r, b, len, nh, dk);
        T w4 = ops.reshape(w, b, len, nh, dk);
        T k4 = ops.reshape(k, b, len, nh, dk);
        T a4 = ops.reshape(a, b, len, nh, dk);
        T v4 = ops.reshape(v, b, len, nh, dv);
        // chunk_rwkv7(r, w, k, v, a=−kk, b=kk·a, scale=1)
        T na = removal ? pr.r(ops, ops.neg(kk)) : null;
        T nb = removal ? pr.r(ops, ops.mul(kk, a4)) : null;
        T o = pr.r(ops, chunked ? RwkvChunked.dplr(ops, r4, w4, k4, v4, na, nb, spec.chunkSize())
                : recurrent(ops, r4, w4, k4, v4, na, nb));
        o = pr.r(ops, RwkvParts.groupNorm(ops, ops.reshape(o, b, len, nh * dv), nh, p.get("g_norm.weight"),
                p.get("g_norm.bias"), dk * NORM_EPS));
        T bonus = ops.sum(pr.r(ops, ops.mul(pr.r(ops, ops.mul(r4, k4)), p.get("r_k"))), -1, true); // (B, L, H, 1)
        o = pr.r(ops, ops.add(o, ops.reshape(pr.r(ops, ops.mul(pr.r(ops, bonus), v4)), b, len, nh * dv)));
        T out = pr.r(ops, Layers.linear(ops, pr.r(ops, ops.mul(o, g)), p.get("o_proj.weight"), null));
        return new Output<>(out, vOut);
    }

    /**
     * The generalised delta rule token by token (fla/ops/generalized_delta_rule/dplr/fused_recurrent.py lines
     * 88–97, {@code naive.py} {@code dplr_recurrence}), per head with {@code S ∈ R^{d_k×d_v}}, {@code S_0 = 0}:
     * {@code S_t = diag(e^{gk_t}) S_{t−1} + b_t (a_tᵀ S_{t−1}) + k_t v_tᵀ}, {@code o_t = S_tᵀ q_t}.
     *
     * @param q  (B, L, H, K)
     * @param gk (B, L, H, K) log decays
     * @param k  (B, L, H, K)
     * @param v  (B, L, H, V)
     * @param a  (B, L, H, K)
     * @param bb (B, L, H, K)
     * @return o (B, L, H, V)
     */
    public static <T> T recurrent(TensorOps<T> ops, T q, T gk, T k, T v, T a, T bb) {
        int[] s = ops.shape(q);
        int b = s[0];
        int len = s[1];
        int nh = s[2];
        int dk = s[3];
        int dv = ops.shape(v)[3];
        // the step as one transition: S_t = M_t S_{t−1} + k_t v_tᵀ with M_t = diag(e^{gk_t}) + b_t a_tᵀ, built for all
        // t at once, so the loop keeps two tensors per step for the backward pass instead of five
        T eye = ops.constant(identity(dk), dk, dk);
        T m = ops.add(ops.mul(ops.reshape(ops.exp(gk), b, len, nh, dk, 1), eye),
                ops.mul(ops.reshape(bb, b, len, nh, dk, 1), ops.reshape(a, b, len, nh, 1, dk)));  // (B, L, H, K, K)
        T writes = ops.mul(ops.reshape(k, b, len, nh, dk, 1), ops.reshape(v, b, len, nh, 1, dv)); // (B, L, H, K, V)
        List<T> ms = ops.unstack(m, 1);
        List<T> ws = ops.unstack(writes, 1);
        List<T> states = new ArrayList<>(len);
        T state = null;
        for (int t = 0; t < len; t++) {
            state = state == null ? ws.get(t) : ops.add(ops.matmul(ms.get(t), state), ws.get(t));
            states.add(state);
        }
        // o_t = S_tᵀ q_t for all t in one product
        T all = ops.stack(states, 1);                                                              // (B, L, H, K, V)
        return ops.reshape(ops.matmul(ops.reshape(q, b, len, nh, 1, dk), all), b, len, nh, dv);
    }

    private static double[] identity(int n) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1.0;
        }
        return v;
    }
}
