package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.TensorOps;

/**
 * The mLSTM cell's core (docs/models/xlstm.md §3): per batch row and head, with keys scaled by {@code 1/√DH},
 * input-gate pre-activations {@code ĩ_t} and log forget gates {@code φ_t = log σ(f̃_t)},
 * <pre>
 *   m_t = max(φ_t + m_{t−1}, ĩ_t)                      (m_0 = −∞: no state before the sequence)
 *   C_t = e^{φ_t + m_{t−1} − m_t} C_{t−1} + e^{ĩ_t − m_t} k_t v_tᵀ
 *   n_t = e^{φ_t + m_{t−1} − m_t} n_{t−1} + e^{ĩ_t − m_t} k_t
 *   h_t = C_tᵀ q_t / (max(|n_tᵀ q_t|, e^{−m_t}) + ε),   ε = 1e−6
 * </pre>
 * evaluated two ways that give the same outputs:
 * <ul>
 *   <li>{@link #parallel}: {@code backends.py parallel_stabilized_simple}, the form the library trains with:
 *       {@code log D_ij = F_i − F_j + ĩ_j} for {@code j ≤ i} ({@code F} the cumulative sum of {@code φ}), −∞ above
 *       the diagonal, {@code m_i = max_j log D_ij}, {@code C = (q kᵀ/√DH) ⊙ e^{log D − m}},
 *       {@code h = C v / (max(|Σ_j C_ij|, e^{−m_i}) + ε)};</li>
 *   <li>{@link #recurrent}: {@code recurrent_step_stabilized_simple} token by token. The library's step starts from
 *       {@code m_0 = 0}, which changes {@code m_t} (and so the ε term) while every {@code ĩ_j + Σ φ} stays below
 *       {@code Σ_{l≤t} φ_l}; {@code libraryStepStart} reproduces that start, {@code false} gives the state-free start
 *       that equals the parallel form.</li>
 * </ul>
 * Shapes: {@code q, k, v (B, NH, S, DH)}, {@code ig, fg (B, NH, S)}; the result is {@code (B, NH, S, DH)}.
 */
public final class MlstmCell {
    private MlstmCell() {}

    /** {@code eps} of both backends in {@code backends.py}. */
    public static final double EPS = 1e-6;

    /** The stabilised parallel form. */
    public static <T> T parallel(TensorOps<T> ops, T q, T k, T v, T ig, T fg) {
        int[] s = check(ops, q, k, v, ig, fg);
        int b = s[0];
        int nh = s[1];
        int len = s[2];
        int dh = s[3];
        T logF = logSigmoid(ops, fg); // (B, NH, S)
        // F_i = Σ_{l ≤ i} φ_l as a product with the upper-triangular ones (S, S): F = φ U
        double[] upper = new double[len * len];
        double[] mask = new double[len * len];
        for (int j = 0; j < len; j++) {
            for (int i = 0; i < len; i++) {
                upper[j * len + i] = j <= i ? 1.0 : 0.0;
                mask[i * len + j] = j <= i ? 0.0 : Double.NEGATIVE_INFINITY;
            }
        }
        T cum = ops.reshape(ops.matmul(ops.reshape(logF, b * nh, len), ops.constant(upper, len, len)), b, nh, 1, len);
        T logFg = ops.sub(ops.reshape(cum, b, nh, len, 1), cum); // F_i − F_j
        T logDraw = ops.add(logFg, ops.reshape(ig, b, nh, 1, len)); // + ĩ_j
        T m = ops.reshape(ops.pickLast(logDraw, rowArgmax(ops, cum, ig, b * nh, len)), b, nh, len, 1);
        T d = ops.exp(ops.sub(ops.add(logDraw, ops.constant(mask, len, len)), m));
        T qk = ops.matmul(q, ops.transpose(ops.scale(k, 1.0 / Math.sqrt(dh)), 2, 3));
        T c = ops.mul(qk, d);
        T sum = ops.sum(c, 3, true);
        T normalizer = XlstmParts.maximum(ops, XlstmParts.abs(ops, sum), ops.exp(ops.neg(m)));
        return ops.matmul(ops.div(c, ops.addScalar(normalizer, EPS)), v);
    }

    /**
     * Per row {@code i} of {@code log D = (F_i − F_j) + ĩ_j}, the column {@code j ≤ i} of its largest entry (the first
     * on ties), computed on the host with the backend's rounding so it picks what {@code torch.max} would.
     */
    private static <T> int[] rowArgmax(TensorOps<T> ops, T cum, T ig, int rows, int len) {
        double[] f = ops.value(cum).data();
        double[] g = ops.value(ig).data();
        boolean single = XlstmParts.single(ops);
        int[] idx = new int[rows * len];
        for (int r = 0; r < rows; r++) {
            int o = r * len;
            for (int i = 0; i < len; i++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j <= i; j++) {
                    double val = single ? (double) ((float) ((float) f[o + i] - (float) f[o + j]) + (float) g[o + j])
                            : (f[o + i] - f[o + j]) + g[o + j];
                    if (val > best || j == 0) {
                        best = val;
                        arg = j;
                    }
                }
                idx[o + i] = arg;
            }
        }
        return idx;
    }

    /**
     * The recurrence token by token.
     *
     * @param libraryStepStart start from the library step's zero state {@code (C, n, m) = (0, 0, 0)}; false: from no
     *                         state ({@code m_0 = −∞}), which equals {@link #parallel}
     */
    public static <T> T recurrent(TensorOps<T> ops, T q, T k, T v, T ig, T fg, boolean libraryStepStart) {
        int[] s = check(ops, q, k, v, ig, fg);
        int b = s[0];
        int nh = s[1];
        int len = s[2];
        int dh = s[3];
        List<T> qs = ops.unstack(q, 2);
        List<T> ks = ops.unstack(ops.scale(k, 1.0 / Math.sqrt(dh)), 2);
        List<T> vs = ops.unstack(v, 2);
        List<T> igs = ops.unstack(ops.reshape(ig, b, nh, len, 1, 1), 2);
        List<T> phis = ops.unstack(ops.reshape(logSigmoid(ops, fg), b, nh, len, 1, 1), 2);
        List<T> outs = new ArrayList<>(len);
        T c = null;
        T n = null;
        T m = null;
        for (int t = 0; t < len; t++) {
            T kCol = ops.reshape(ks.get(t), b, nh, dh, 1);
            T vRow = ops.reshape(vs.get(t), b, nh, 1, dh);
            T qRow = ops.reshape(qs.get(t), b, nh, 1, dh);
            T it = igs.get(t);
            T mNew;
            T fAct = null;
            if (m == null && !libraryStepStart) {
                mNew = it; // max(φ + (−∞), ĩ) = ĩ; the forget factor e^{−∞} meets the zero state
            } else {
                T decayed = m == null ? phis.get(t) : ops.add(phis.get(t), m); // m_0 = 0 in the library's step
                mNew = XlstmParts.maximum(ops, decayed, it);
                fAct = ops.exp(ops.sub(decayed, mNew));
            }
            T iAct = ops.exp(ops.sub(it, mNew));
            T cIn = ops.mul(iAct, ops.matmul(kCol, vRow));
            T nIn = ops.mul(iAct, kCol);
            c = c == null ? cIn : ops.add(ops.mul(fAct, c), cIn); // the library step's zero C, n contribute nothing
            n = n == null ? nIn : ops.add(ops.mul(fAct, n), nIn);
            m = mNew;
            T num = ops.matmul(qRow, c); // (B, NH, 1, DH)
            T qn = ops.matmul(qRow, n); // (B, NH, 1, 1)
            T den = ops.addScalar(XlstmParts.maximum(ops, XlstmParts.abs(ops, qn), ops.exp(ops.neg(m))), EPS);
            outs.add(ops.div(num, den));
        }
        return ops.reshape(ops.stack(outs, 2), b, nh, len, dh);
    }

    /** {@code logsigmoid(x) = −softplus(−x)}. */
    static <T> T logSigmoid(TensorOps<T> ops, T x) {
        return ops.neg(ops.softplus(ops.neg(x)));
    }

    private static <T> int[] check(TensorOps<T> ops, T q, T k, T v, T ig, T fg) {
        int[] s = ops.shape(q);
        if (s.length != 4 || !java.util.Arrays.equals(s, ops.shape(k)) || !java.util.Arrays.equals(s, ops.shape(v))) {
            throw new IllegalArgumentException("mLSTM cell: q, k, v must be equal (B, NH, S, DH), got "
                    + java.util.Arrays.toString(s) + ", " + java.util.Arrays.toString(ops.shape(k)) + ", "
                    + java.util.Arrays.toString(ops.shape(v)));
        }
        int[] g = {s[0], s[1], s[2]};
        if (!java.util.Arrays.equals(g, ops.shape(ig)) || !java.util.Arrays.equals(g, ops.shape(fg))) {
            throw new IllegalArgumentException("mLSTM cell: gate pre-activations must be (B, NH, S) = "
                    + java.util.Arrays.toString(g));
        }
        return s;
    }
}
