package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.TensorOps;

/**
 * The (gated) delta rule of docs/models/deltanet.md §2, per batch row and head, evaluated two ways that give
 * the same outputs:
 * <pre>
 *   S_0 = 0,   S_t = (I − β_t k_t k_tᵀ) α_t S_{t−1} + β_t k_t v_tᵀ,   o_t = S_tᵀ (q_t · d_k^{−1/2}),   α_t = e^{g_t}
 * </pre>
 * <ul>
 *   <li>{@link #recurrent}: token by token (fla's {@code fused_recurrent_delta_rule} /
 *       {@code fused_recurrent_gated_delta_rule} and {@code ops/delta_rule/naive.py delta_rule_recurrence});</li>
 *   <li>{@link #chunked}: the WY/UT-transform chunked form fla trains with ({@code chunk_delta_rule},
 *       {@code chunk_gated_delta_rule}; {@code naive.py delta_rule_chunkwise}), docs §3: inside a chunk of
 *       length C with cumulative log-decay {@code G_i = Σ_{j≤i} g_j}, {@code Γ_ij = e^{G_i−G_j}} (i ≥ j),
 *       {@code T = (I + StrictLower(diag(β) (KKᵀ ⊙ Γ)))^{−1}}, {@code Ũ = T (β ⊙ V)}, {@code W = T (β e^{G} ⊙ K)};
 *       then across chunks {@code U = Ũ − W S}, {@code O = (e^{G} ⊙ Q) S + (QKᵀ ⊙ Γ ⊙ Lower) U},
 *       {@code S ← e^{G_C} S + (K ⊙ e^{G_C − G})ᵀ U}.</li>
 * </ul>
 * Shapes: {@code q, k (B, H, T, d_k)}, {@code v (B, H, T, d_v)}, {@code beta (B, H, T)}, {@code g (B, H, T)} or
 * null (no decay); the result is {@code (B, H, T, d_v)}. Keys are expected unit-norm (the layer normalises
 * them) but nothing here relies on it.
 */
public final class DeltaRule {
    private DeltaRule() {}

    /** Token-by-token evaluation. */
    public static <T> T recurrent(TensorOps<T> ops, T q, T k, T v, T beta, T g) {
        int[] s = check(ops, q, k, v, beta, g);
        int b = s[0];
        int h = s[1];
        int len = s[2];
        int dk = s[3];
        int dv = ops.shape(v)[3];
        double scale = 1.0 / Math.sqrt(dk);
        List<T> qs = ops.unstack(ops.scale(q, scale), 2);
        List<T> ks = ops.unstack(k, 2);
        List<T> vs = ops.unstack(v, 2);
        List<T> bs = ops.unstack(ops.reshape(beta, b, h, len, 1, 1), 2);
        List<T> as = g == null ? null : ops.unstack(ops.reshape(ops.exp(g), b, h, len, 1, 1), 2);
        List<T> outs = new ArrayList<>(len);
        T state = null;
        for (int t = 0; t < len; t++) {
            T kRow = ops.reshape(ks.get(t), b, h, 1, dk);
            T kCol = ops.reshape(ks.get(t), b, h, dk, 1);
            T vRow = ops.reshape(vs.get(t), b, h, 1, dv);
            T u;
            if (state == null) {
                u = ops.mul(bs.get(t), vRow); // S_0 = 0: u = β v
            } else {
                if (as != null) {
                    state = ops.mul(state, as.get(t));
                }
                u = ops.mul(bs.get(t), ops.sub(vRow, ops.matmul(kRow, state)));
            }
            T write = ops.matmul(kCol, u);
            state = state == null ? write : ops.add(state, write);
            outs.add(ops.matmul(ops.reshape(qs.get(t), b, h, 1, dk), state)); // (B, H, 1, d_v)
        }
        return ops.reshape(ops.stack(outs, 2), b, h, len, dv);
    }

    /**
     * Chunked evaluation with chunks of {@code chunk} tokens (a power of two, or 0 for {@link #cheapestChunk}); the
     * sequence is padded with
     * {@code k = v = q = β = g = 0} tokens, which leave the state unchanged, and the padding is cut off. A chunk
     * as long as the sequence or longer means one chunk of exactly the sequence's length, no padding
     * ({@link #oneChunk}).
     */
    public static <T> T chunked(TensorOps<T> ops, T q, T k, T v, T beta, T g, int chunk) {
        if (chunk < 0 || (chunk > 0 && Integer.bitCount(chunk) != 1)) {
            throw new IllegalArgumentException("chunk size must be a power of two (or 0: automatic), got " + chunk);
        }
        int[] s = check(ops, q, k, v, beta, g);
        int b = s[0];
        int h = s[1];
        int len = s[2];
        int dk = s[3];
        int dv = ops.shape(v)[3];
        int c = chunk == 0 ? cheapestChunk(len, dk, dv, b * h) : Math.min(chunk, len);
        if (c >= len) {
            return oneChunk(ops, q, k, v, beta, g);
        }
        int n = (len + c - 1) / c;
        int padded = n * c;
        double scale = 1.0 / Math.sqrt(dk);
        T qq = pad(ops, ops.scale(q, scale), padded);
        T kk = pad(ops, k, padded);
        T vv = pad(ops, v, padded);
        T bb = pad(ops, ops.reshape(beta, b, h, len, 1), padded);
        qq = ops.reshape(qq, b, h, n, c, dk);
        kk = ops.reshape(kk, b, h, n, c, dk);
        vv = ops.reshape(vv, b, h, n, c, dv);
        bb = ops.reshape(bb, b, h, n, c, 1);
        T lower = ops.constant(triangle(c, true), c, c);         // i ≥ j
        T strict = ops.constant(triangle(c, false), c, c);       // i > j
        T decay = null;       // Γ ⊙ Lower, (B, H, N, C, C)
        T gamma = null;       // e^{G_i}, (B, H, N, C, 1)
        T toEnd = null;       // e^{G_C − G_i}, (B, H, N, C, 1)
        T chunkDecay = null;  // e^{G_C}, (B, H, N, 1, 1)
        if (g != null) {
            T gg = ops.reshape(pad(ops, ops.reshape(g, b, h, len, 1), padded), b, h, n, 1, c);
            T cum = ops.matmul(gg, ops.constant(triangle(c, true, true), c, c));  // G_i = Σ_{j≤i} g_j, (.., 1, C)
            T col = ops.reshape(cum, b, h, n, c, 1);
            // e^{(G_i − G_j)·[i≥j]}·[i≥j]: the mask inside keeps e^{·} from overflowing above the diagonal
            decay = ops.mul(ops.exp(ops.mul(ops.sub(col, cum), lower)), lower);
            gamma = ops.exp(col);
            T last = ops.slice(col, 3, c - 1, c);                               // G_C, (.., 1, 1)
            toEnd = ops.exp(ops.sub(last, col));
            chunkDecay = ops.exp(last);
        }
        T kt = ops.transpose(kk, 3, 4);
        T kkT = ops.matmul(kk, kt);                                              // (.., C, C)
        T a = ops.mul(ops.mul(bb, decay == null ? kkT : ops.mul(kkT, decay)), strict);
        T inv = invertUnitLower(ops, a, c);                                      // (I + A)^{-1}
        T uTilde = ops.matmul(inv, ops.mul(bb, vv));
        T w = ops.matmul(inv, ops.mul(gamma == null ? bb : ops.mul(bb, gamma), kk));
        T qk = ops.mul(ops.matmul(qq, kt), decay == null ? lower : decay);     // inclusive diagonal
        List<T> qs = ops.unstack(gamma == null ? qq : ops.mul(qq, gamma), 2);
        List<T> ks = ops.unstack(toEnd == null ? kk : ops.mul(kk, toEnd), 2);
        List<T> us = ops.unstack(uTilde, 2);
        List<T> ws = ops.unstack(w, 2);
        List<T> qks = ops.unstack(qk, 2);
        List<T> ends = chunkDecay == null ? null : ops.unstack(chunkDecay, 2);
        List<T> outs = new ArrayList<>(n);
        T state = null;
        for (int i = 0; i < n; i++) {
            T u = state == null ? us.get(i) : ops.sub(us.get(i), ops.matmul(ws.get(i), state));
            T o = ops.matmul(qks.get(i), u);
            if (state != null) {
                o = ops.add(o, ops.matmul(qs.get(i), state));
            }
            outs.add(o);
            if (i < n - 1) {
                T write = ops.matmul(ops.transpose(ks.get(i), 2, 3), u);         // (B, H, d_k, d_v)
                if (state == null) {
                    state = write;
                } else {
                    state = ops.add(ends == null ? state : ops.mul(state, ends.get(i)), write);
                }
            }
        }
        T o = ops.reshape(ops.stack(outs, 2), b, h, padded, dv);
        return padded == len ? o : ops.slice(o, 2, 0, len);
    }

    /**
     * The chunked form when one chunk holds the whole sequence (docs/models/deltanet.md §3): no state enters or
     * leaves it, so {@code W} and the state products drop out and
     * {@code O = (QKᵀ ⊙ Γ ⊙ Lower) T (β ⊙ V) = ((QKᵀ ⊙ Γ ⊙ Lower) T diag(β)) V}: the {@code L × L}
     * matrix in front of {@code V} is formed first (its products cost {@code L³}, against {@code L²d_v} for each
     * product with {@code V}), so the only products over the head widths are {@code KKᵀ}, {@code QKᵀ} and one
     * with {@code V}, and no {@code (B, H, L, d)} intermediate is made. fla's gated heads (256 × 512) at R1's
     * L = 40 take this path: 2 L²d_k + L²d_v multiply-adds a head, against 3 L d_k d_v for the recurrence's state
     * products (docs/models/deltanet.md §8).
     */
    static <T> T oneChunk(TensorOps<T> ops, T q, T k, T v, T beta, T g) {
        int[] s = ops.shape(q);
        int b = s[0];
        int h = s[1];
        int len = s[2];
        int dk = s[3];
        T lower = ops.constant(triangle(len, true), len, len);         // i ≥ j
        T strict = ops.constant(triangle(len, false), len, len);       // i > j
        T decay = null;                                                // Γ ⊙ Lower, (B, H, L, L)
        if (g != null) {
            T cum = ops.matmul(ops.reshape(g, b, h, 1, len), ops.constant(triangle(len, true, true), len, len));
            T col = ops.reshape(cum, b, h, len, 1);                    // G_i = Σ_{j≤i} g_j
            // e^{(G_i − G_j)·[i≥j]}·[i≥j]: the mask inside keeps e^{·} from overflowing above the diagonal
            decay = ops.mul(ops.exp(ops.mul(ops.sub(col, cum), lower)), lower);
        }
        T kt = ops.transpose(k, 2, 3);
        T kkT = ops.matmul(k, kt);                                     // (B, H, L, L)
        T a = ops.mul(ops.mul(ops.reshape(beta, b, h, len, 1), decay == null ? kkT : ops.mul(kkT, decay)), strict);
        T inv = invertUnitLower(ops, a, len);                          // T = (I + A)^{-1}
        // (QKᵀ ⊙ Γ ⊙ Lower) with Q's scale d_k^{-1/2} applied to the L × L product, not to Q
        T qk = ops.mul(ops.scale(ops.matmul(q, kt), 1.0 / Math.sqrt(dk)), decay == null ? lower : decay);
        T weights = ops.mul(ops.matmul(qk, inv), ops.reshape(beta, b, h, 1, len)); // column j times β_j
        return ops.matmul(weights, v);                                 // (B, H, L, d_v)
    }

    /** The smallest power of two ≥ {@code n} (1 for n ≤ 1). */
    static int nextPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Multiply-adds one more op costs in dispatch, bookkeeping and kept intermediates (tens of µs on a CPU). */
    private static final double OP_OVERHEAD = 2e6;

    /**
     * The chunk length that costs least for {@code batchHeads} sequences of {@code len} tokens: a power of two below
     * {@code len} (at most 256), or {@code len} itself, one chunk ({@link #oneChunk}). Per chunk of length C the
     * intra-chunk products cost about {@code C²(3d_k + 2d_v)} multiply-adds, every chunk after the first adds
     * {@code 3 C d_k d_v} for the state, and every op a fixed overhead (about ten per chunk and fifteen per doubling
     * step of the inverse); one chunk costs {@code L²(2d_k + d_v)} (no {@code W}, no state, one product with
     * {@code V}). Any chunk length gives the same numbers (chunk boundaries are exact); fla fixes 64.
     */
    public static int cheapestChunk(int len, int dk, int dv, int batchHeads) {
        int best = len;
        double bestCost = Double.MAX_VALUE;
        if (len <= 256) {
            double flops = (double) len * len * (2.0 * dk + dv);
            double ops = 10.0 + 15.0 * Integer.numberOfTrailingZeros(nextPowerOfTwo(len));
            bestCost = batchHeads * flops + OP_OVERHEAD * ops;
        }
        for (int c = 1; c < len && c <= 256; c *= 2) {
            int n = (len + c - 1) / c;
            double flops = (double) n * c * c * (3.0 * dk + 2.0 * dv) + (double) (n - 1) * 3.0 * c * dk * dv;
            double ops = 10.0 * n + 15.0 * Integer.numberOfTrailingZeros(c);
            double cost = batchHeads * flops + OP_OVERHEAD * ops;
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }

    /**
     * {@code (I + a)^{−1}} for {@code a (..., C, C)} strictly lower triangular (any C; zero-padded to a power of
     * two), by doubling: the inverses of the
     * diagonal blocks of size {@code b} give those of size {@code 2b} through
     * {@code [[A, 0], [C, D]]^{−1} = [[A^{−1}, 0], [−D^{−1} C A^{−1}, D^{−1}]]} (fla's {@code solve_tril} merges
     * 16×16 blocks the same way). Exact; no division (the diagonal is 1).
     */
    public static <T> T invertUnitLower(TensorOps<T> ops, T a, int c) {
        int[] s = ops.shape(a);
        int rank = s.length;
        int[] lead = java.util.Arrays.copyOf(s, rank - 2);
        int p = nextPowerOfTwo(c);
        if (p != c) {
            // zero rows and columns up to a power of two: the inverse is blockdiag((I + a)^{−1}, I), cut back
            T wide = ops.concat(List.of(a, ops.full(0.0, concat(lead, c, p - c))), rank - 1);
            T square = ops.concat(List.of(wide, ops.full(0.0, concat(lead, p - c, p))), rank - 2);
            return ops.slice(ops.slice(invertUnitLower(ops, square, p), rank - 2, 0, c), rank - 1, 0, c);
        }
        if (c == 1) {
            return ops.addScalar(ops.mul(a, ops.scalar(0.0)), 1.0);
        }
        T blocks = ops.full(1.0, concat(lead, c, 1, 1));                          // C inverted 1×1 blocks
        for (int bs = 1; bs < c; bs *= 2) {
            int m = c / (2 * bs);
            T pairs = ops.reshape(blocks, concat(lead, m, 2, bs, bs));
            T ainv = ops.reshape(ops.slice(pairs, rank - 1, 0, 1), concat(lead, m, bs, bs));
            T dinv = ops.reshape(ops.slice(pairs, rank - 1, 1, 2), concat(lead, m, bs, bs));
            // the lower-left bs×bs block of each 2bs×2bs diagonal block of a
            T grid = ops.reshape(a, concat(lead, m, 2 * bs, m, 2 * bs));
            T diag = ops.sum(ops.mul(grid, ops.constant(eyeGrid(m), m, 1, m, 1)), rank, false); // (.., m, 2bs, 2bs)
            T low = ops.slice(ops.slice(diag, rank - 1, bs, 2 * bs), rank, 0, bs);
            T lowerLeft = ops.neg(ops.matmul(ops.matmul(dinv, low), ainv));
            T zeros = ops.full(0.0, concat(lead, m, bs, bs));
            T top = ops.concat(List.of(ainv, zeros), rank);
            T bottom = ops.concat(List.of(lowerLeft, dinv), rank);
            blocks = ops.concat(List.of(top, bottom), rank - 1);                     // (.., m, 2bs, 2bs)
        }
        return ops.reshape(blocks, s);
    }

    private static int[] concat(int[] lead, int... tail) {
        int[] out = java.util.Arrays.copyOf(lead, lead.length + tail.length);
        System.arraycopy(tail, 0, out, lead.length, tail.length);
        return out;
    }

    /** {@code [i = j]} laid out as {@code (m, 1, m, 1)}. */
    private static double[] eyeGrid(int m) {
        double[] e = new double[m * m];
        for (int i = 0; i < m; i++) {
            e[i * m + i] = 1.0;
        }
        return e;
    }

    /** {@code [i ≥ j]} (inclusive) or {@code [i > j]} as a C×C matrix. */
    static double[] triangle(int c, boolean inclusive) {
        return triangle(c, inclusive, false);
    }

    /** As {@link #triangle(int, boolean)}, transposed when {@code upper} ({@code [j ≥ i]}: a cumulative sum on the right). */
    static double[] triangle(int c, boolean inclusive, boolean upper) {
        double[] m = new double[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                int r = upper ? j : i;
                int col = upper ? i : j;
                if (r > col || (inclusive && r == col)) {
                    m[i * c + j] = 1.0;
                }
            }
        }
        return m;
    }

    /** Zero-pads axis 2 of a rank-4 tensor to {@code length}. */
    private static <T> T pad(TensorOps<T> ops, T x, int length) {
        int[] s = ops.shape(x);
        if (s[2] == length) {
            return x;
        }
        int[] z = s.clone();
        z[2] = length - s[2];
        return ops.concat(List.of(x, ops.full(0.0, z)), 2);
    }

    private static <T> int[] check(TensorOps<T> ops, T q, T k, T v, T beta, T g) {
        int[] sq = ops.shape(q);
        int[] sk = ops.shape(k);
        int[] sv = ops.shape(v);
        int[] sb = ops.shape(beta);
        boolean ok = sq.length == 4 && java.util.Arrays.equals(sq, sk) && sv.length == 4 && sv[0] == sq[0]
                && sv[1] == sq[1] && sv[2] == sq[2] && java.util.Arrays.equals(sb, new int[] {sq[0], sq[1], sq[2]})
                && (g == null || java.util.Arrays.equals(ops.shape(g), sb));
        if (!ok) {
            throw new IllegalArgumentException("delta rule expects q, k (B, H, T, d_k), v (B, H, T, d_v), beta and g "
                    + "(B, H, T); got q " + java.util.Arrays.toString(sq) + ", k " + java.util.Arrays.toString(sk)
                    + ", v " + java.util.Arrays.toString(sv) + ", beta " + java.util.Arrays.toString(sb)
                    + (g == null ? "" : ", g " + java.util.Arrays.toString(ops.shape(g))));
        }
        return sq;
    }
}
