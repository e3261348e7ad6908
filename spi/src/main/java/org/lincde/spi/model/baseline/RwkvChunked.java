package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.TensorOps;

/**
 * The chunked forms of the RWKV recurrences (docs/models/rwkv.md "Chunked form"): the same map as
 * {@link Rwkv7Layer#recurrent} and {@link Rwkv6Layer#recurrent}, evaluated a chunk of {@code C} steps at a time with
 * matrix products inside the chunk and one state hand-over between chunks, as fla's {@code chunk_dplr_delta_rule}
 * and {@code chunk_rwkv6} do. Inside a chunk {@code c_t = Σ_{s≤t} gk_s} (per key channel) and
 * {@code γ_t = e^{c_t}}; every tensor is {@code (B, L, H, ·)} on the way in and out.
 */
public final class RwkvChunked {
    private RwkvChunked() {}

    /** Added to the masked (future) pairwise log-decay differences before {@code exp}: {@code exp(−1e4) = 0}. */
    private static final double MASKED = -1e4;

    /**
     * The generalised delta rule {@code S_t = diag(e^{gk_t}) S_{t−1} + b_t (a_tᵀ S_{t−1}) + k_t v_tᵀ},
     * {@code o_t = S_tᵀ q_t}, in chunks. With {@code u_t = S_{t−1}ᵀ a_t} the chunk's states are
     * {@code S_t = Γ_t S_0 + Σ_{s≤t} diag(γ_t/γ_s)(b_s u_sᵀ + k_s v_sᵀ)}, so the pseudo-values solve the strictly
     * lower-triangular system {@code (I − A_ab) U = A_ak V + Ã S_0} with
     * {@code A_ab[t,s] = (a_t⊙γ_{t−1}/γ_s)·b_s}, {@code A_ak[t,s] = (a_t⊙γ_{t−1}/γ_s)·k_s} ({@code s < t},
     * {@code Ã_t = a_t⊙γ_{t−1}}); its inverse is the finite Neumann product {@code Π_j (I + A_ab^{2^j})}. Then
     * {@code O = A_qb U + A_qk V + (Q⊙Γ) S_0} with {@code A_q◦[t,s] = (q_t⊙γ_t/γ_s)·◦_s} ({@code s ≤ t}) and
     * {@code S_C = Γ_C S_0 + (B⊙γ_C/γ)ᵀ U + (K⊙γ_C/γ)ᵀ V}. The ratios are products of {@code e^{±c}}; RWKV-7's
     * log decays lie in (−0.61, 0], so at {@code C = 16} they stay within {@code e^{±9.8}}.
     *
     * <p>With {@code a} and {@code bb} both null the low-rank term is left out ({@code a = b = 0}: RWKV-7 with
     * {@code k_k = 0}): then {@code U = 0} exactly, every term it enters is a sum of exact zeros, and leaving them out
     * gives the values and gradients of {@code q, gk, k, v} that zero {@code a, bb} give, bit for bit.
     */
    public static <T> T dplr(TensorOps<T> ops, T q, T gk, T k, T v, T a, T bb, int chunk) {
        int[] s = ops.shape(q);
        int b = s[0];
        int len = s[1];
        int nh = s[2];
        int dk = s[3];
        int dv = ops.shape(v)[3];
        int c = Math.min(chunk, len);
        int n = (len + c - 1) / c;
        List<T> qs = chunks(ops, q, n, c);                                        // n × (B, H, C, K)
        List<T> gs = chunks(ops, gk, n, c);
        List<T> ks = chunks(ops, k, n, c);
        List<T> vs = chunks(ops, v, n, c);                                        // n × (B, H, C, V)
        if ((a == null) != (bb == null)) {
            throw new IllegalArgumentException("DPLR chunks: a and b are both given or both left out");
        }
        boolean lowRank = a != null;
        List<T> as = lowRank ? chunks(ops, a, n, c) : null;
        List<T> bs = lowRank ? chunks(ops, bb, n, c) : null;
        T upper = ops.constant(Mamba2Chunks.upper(c), c, c);
        T strict = ops.constant(Mamba2Chunks.lowerMask(c, false), c, c);
        T incl = ops.constant(Mamba2Chunks.lowerMask(c, true), c, c);
        List<T> outs = new ArrayList<>(n);
        T state = null;                                                           // (B, H, K, V)
        for (int i = 0; i < n; i++) {
            T qc = qs.get(i);
            T gc = gs.get(i);
            T kc = ks.get(i);
            T vc = vs.get(i);
            T cum = ops.matmul(ops.transpose(gc, 2, 3), upper);                   // (B, H, K, C)
            cum = ops.transpose(cum, 2, 3);                                       // c_t, (B, H, C, K)
            T gamma = ops.exp(cum);
            T inv = ops.exp(ops.neg(cum));                                        // 1/γ_s
            T qT = ops.mul(qc, gamma);
            T kI = ops.transpose(ops.mul(kc, inv), 2, 3);                         // (B, H, K, C)
            T aqk = ops.mul(ops.matmul(qT, kI), incl);
            T o = ops.matmul(aqk, vc);                                            // (B, H, C, V)
            T u = null;
            if (lowRank) {
                T ac = as.get(i);
                T bc = bs.get(i);
                T aT = ops.mul(ac, ops.exp(ops.sub(cum, gc)));                    // a_t ⊙ γ_{t−1}
                T bI = ops.transpose(ops.mul(bc, inv), 2, 3);
                T aab = ops.mul(ops.matmul(aT, bI), strict);
                T aak = ops.mul(ops.matmul(aT, kI), strict);
                T aqb = ops.mul(ops.matmul(qT, bI), incl);
                T rhs = ops.matmul(aak, vc);
                if (state != null) {
                    rhs = ops.add(rhs, ops.matmul(aT, state));
                }
                u = ops.matmul(neumannInverse(ops, aab, c), rhs);                 // pseudo-values
                o = ops.add(ops.matmul(aqb, u), o);
            }
            if (state != null) {
                o = ops.add(o, ops.matmul(qT, state));
            }
            outs.add(o);
            if (i < n - 1) {
                T last = ops.slice(cum, 2, c - 1, c);                             // c_C, (B, H, 1, K)
                T toEnd = ops.exp(ops.sub(last, cum));                            // γ_C/γ_s ≤ 1
                T next = ops.matmul(ops.transpose(ops.mul(kc, toEnd), 2, 3), vc); // (B, H, K, V)
                if (lowRank) {
                    next = ops.add(ops.matmul(ops.transpose(ops.mul(bs.get(i), toEnd), 2, 3), u), next);
                }
                if (state != null) {
                    next = ops.add(next, ops.mul(ops.reshape(ops.exp(last), b, nh, dk, 1), state));
                }
                state = next;
            }
        }
        return unchunk(ops, outs, b, len, nh, dv);                                // (B, L, H, V)
    }

    /**
     * {@code x (B, L, H, D)} as {@code n} chunks {@code (B, H, c, D)}, the last padded with zero tokens up to
     * {@code n·c}. One split instead of a slice per chunk: a slice's backward fills a zero tensor the size of its
     * whole input (docs/PERFORMANCE.md item 2). The zero tokens (no decay, zero q, k, v, a, b) leave the earlier
     * tokens' outputs unchanged, and every sum they enter gains only exact zeros, so the values are those of a
     * shorter last chunk bit for bit.
     */
    static <T> List<T> chunks(TensorOps<T> ops, T x, int n, int c) {
        int[] s = ops.shape(x);
        int pad = n * c - s[1];
        T padded = pad == 0 ? x : ops.concat(List.of(x, ops.full(0.0, s[0], pad, s[2], s[3])), 1);
        T h = ops.transpose(padded, 1, 2);                                        // (B, H, n·c, D)
        return n == 1 ? List.of(h) : ops.unstack(ops.reshape(h, s[0], s[2], n, c, s[3]), 2);
    }

    /** The chunks' outputs {@code n × (B, H, c, D)} as {@code (B, L, H, D)}, the padding cut off. */
    static <T> T unchunk(TensorOps<T> ops, List<T> outs, int b, int len, int nh, int d) {
        int n = outs.size();
        int c = ops.shape(outs.get(0))[2];
        T o = n == 1 ? outs.get(0) : ops.reshape(ops.stack(outs, 2), b, nh, n * c, d);
        o = ops.transpose(o, 1, 2);                                               // (B, n·c, H, D)
        return n * c == len ? o : ops.slice(o, 1, 0, len);
    }

    /** {@code (I − N)^{-1} = (I + N)(I + N²)(I + N⁴)…} for a strictly lower-triangular {@code N} of size {@code c}. */
    static <T> T neumannInverse(TensorOps<T> ops, T n, int c) {
        T eye = ops.constant(Mamba2Chunks.identity(c), c, c);
        T x = ops.add(eye, n);
        T p = n;
        for (int reach = 2; reach < c; reach <<= 1) {                             // x holds N^0 … N^{reach−1}
            p = ops.matmul(p, p);
            x = ops.add(x, ops.matmul(x, p));
        }
        return x;
    }

    /**
     * RWKV-6, {@code o_t = S_{t−1}ᵀ q_t + (q_t·(u⊙k_t)) v_t}, {@code S_t = diag(e^{w_t}) S_{t−1} + k_t v_tᵀ}, in
     * chunks. RWKV-6's log decays {@code w = −exp(·)} are unbounded below, so the intra-chunk scores take the
     * decay difference inside the exponential per key channel ({@code Σ_k q_t k_s e^{c_{t−1} − c_s}},
     * {@code s < t}, a {@code (C, C, K)} tensor per head, as fla's sub-chunk kernels do); the inter-chunk terms
     * use {@code e^{c}} and {@code e^{c_C − c}}, both ≤ 1.
     */
    public static <T> T rwkv6(TensorOps<T> ops, T q, T k, T v, T w, T u, int chunk) {
        int[] s = ops.shape(q);
        int b = s[0];
        int len = s[1];
        int nh = s[2];
        int dk = s[3];
        T bonus = ops.mul(ops.sum(ops.mul(ops.mul(q, u), k), -1, true), v);     // (B, L, H, V)
        int dv = ops.shape(v)[3];
        int c = Math.min(chunk, len);
        int n = (len + c - 1) / c;
        List<T> qs = chunks(ops, q, n, c);
        List<T> ks = chunks(ops, k, n, c);
        List<T> vs = chunks(ops, v, n, c);
        List<T> ws = chunks(ops, w, n, c);
        T upper = ops.constant(Mamba2Chunks.upper(c), c, c);
        T mask = ops.constant(Mamba2Chunks.lowerMask(c, false), c, c, 1);
        T offset = ops.constant(Mamba2Chunks.maskOffset(c, MASKED), c, c, 1);
        List<T> outs = new ArrayList<>(n);
        T state = null;
        for (int i = 0; i < n; i++) {
            T qc = qs.get(i);
            T kc = ks.get(i);
            T vc = vs.get(i);
            T wc = ws.get(i);
            T cum = ops.transpose(ops.matmul(ops.transpose(wc, 2, 3), upper), 2, 3);
            T ex = ops.sub(cum, wc);                                              // c_{t−1}
            T diff = ops.sub(ops.reshape(ex, b, nh, c, 1, dk), ops.reshape(cum, b, nh, 1, c, dk)); // (B, H, C, C, K)
            T decay = ops.exp(ops.add(ops.mul(diff, mask), offset));
            T pair = ops.mul(ops.mul(ops.reshape(qc, b, nh, c, 1, dk), ops.reshape(kc, b, nh, 1, c, dk)), decay);
            T o = ops.matmul(ops.sum(pair, -1, false), vc);                       // (B, H, C, V)
            if (state != null) {
                o = ops.add(o, ops.matmul(ops.mul(qc, ops.exp(ex)), state));
            }
            outs.add(o);
            if (i < n - 1) {
                T last = ops.slice(cum, 2, c - 1, c);
                T next = ops.matmul(ops.transpose(ops.mul(kc, ops.exp(ops.sub(last, cum))), 2, 3), vc);
                if (state != null) {
                    next = ops.add(next, ops.mul(ops.reshape(ops.exp(last), b, nh, dk, 1), state));
                }
                state = next;
            }
        }
        return ops.add(unchunk(ops, outs, b, len, nh, dv), bonus);
    }
}
