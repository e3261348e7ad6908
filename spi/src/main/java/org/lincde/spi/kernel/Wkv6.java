package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * RWKV-6's state recurrence and its hand-derived adjoint over primitive arrays, for one batch row (all heads) at
 * a time (docs/models/rwkv.md §"Fused RWKV-6 recurrence"): the inner loops of the backends' fused
 * {@code TensorOps.fusedWkv6}, written once. Per head, with {@code D_t = diag(e^{w_t})} and {@code S_{−1} = 0},
 * <pre>
 *   β_t = Σ_k q_t u k_t,   o_t = S_{t−1}ᵀ q_t + β_t v_t,   S_t = D_t S_{t−1} + k_t v_tᵀ
 * </pre>
 * Adjoint, with {@code G_t = ∂loss/∂S_t} ({@code G_{L−1} = 0}) and {@code g_t = ∂loss/∂o_t}, newest step first:
 * <pre>
 *   ∂q_t = S_{t−1} g_t + u ⊙ k_t (g_t·v_t)        ∂k_t = G_t v_t + u ⊙ q_t (g_t·v_t)
 *   ∂v_t = β_t g_t + G_tᵀ k_t                      ∂w_t = e^{w_t} ⊙ rowsum(G_t ⊙ S_{t−1})
 *   ∂u  += q_t ⊙ k_t (g_t·v_t)                     G_{t−1} = D_t G_t + q_t g_tᵀ
 * </pre>
 * The backward recomputes the row's states ({@code L·K·V} values per head, kept in this object) instead of
 * saving all {@code B·L·H·K·V} of them in the forward pass. Arrays are row-major {@code (L, H, K)} /
 * {@code (L, H, V)} for one batch row, {@code u} is {@code (H, K)}. One instance per thread.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class Wkv6 {
    private final int len;
    private final int heads;
    private final int dk;
    private final int dv;
    private final double[] states;
    private final double[] grad;
    private final double[] decay;

    /** Scratch for rows of {@code len} steps of {@code heads} heads with key width {@code dk}, value width {@code dv}. */
    public Wkv6(int len, int heads, int dk, int dv) {
        this.len = len;
        this.heads = heads;
        this.dk = dk;
        this.dv = dv;
        this.states = new double[(len + 1) * dk * dv];
        this.grad = new double[dk * dv];
        this.decay = new double[dk];
    }

    /** Values per batch row of {@code q}, {@code k}, {@code w}: {@code L·H·K}. */
    public int keySize() {
        return len * heads * dk;
    }

    /** Values per batch row of {@code v} and {@code o}: {@code L·H·V}. */
    public int valueSize() {
        return len * heads * dv;
    }

    /** Multiply-adds of one row's forward pass (for splitting rows over threads). */
    public long work() {
        return 3L * len * heads * dk * dv;
    }

    /** The outputs {@code o} of one batch row (overwritten). */
    public void forward(double[] q, double[] k, double[] v, double[] w, double[] u, double[] o) {
        double[] s = grad; // the running state
        for (int h = 0; h < heads; h++) {
            java.util.Arrays.fill(s, 0.0);
            for (int t = 0; t < len; t++) {
                int kb = (t * heads + h) * dk;
                int vb = (t * heads + h) * dv;
                double beta = 0.0;
                for (int i = 0; i < dk; i++) {
                    beta += q[kb + i] * u[h * dk + i] * k[kb + i];
                }
                for (int j = 0; j < dv; j++) {
                    o[vb + j] = beta * v[vb + j];
                }
                for (int i = 0; i < dk; i++) {
                    double qi = q[kb + i];
                    double ki = k[kb + i];
                    double d = Math.exp(w[kb + i]);
                    int r = i * dv;
                    for (int j = 0; j < dv; j++) {
                        double sij = s[r + j];
                        o[vb + j] += qi * sij;
                        s[r + j] = d * sij + ki * v[vb + j];
                    }
                }
            }
        }
    }

    /**
     * The gradients of one batch row from {@code dO = ∂loss/∂o}: {@code dq, dk, dv, dw} are overwritten,
     * {@code du} {@code (H, K)} is added to.
     */
    public void backward(double[] q, double[] k, double[] v, double[] w, double[] u, double[] dO,
                         double[] dq, double[] dkOut, double[] dvOut, double[] dw, double[] du) {
        int kv = dk * dv;
        for (int h = 0; h < heads; h++) {
            // states[t·K·V …] = S_{t−1}, t = 0 … L−1 (S_{−1} = 0)
            java.util.Arrays.fill(states, 0, kv, 0.0);
            for (int t = 0; t + 1 < len; t++) {
                int kb = (t * heads + h) * dk;
                int vb = (t * heads + h) * dv;
                int from = t * kv;
                int to = from + kv;
                for (int i = 0; i < dk; i++) {
                    double d = Math.exp(w[kb + i]);
                    double ki = k[kb + i];
                    int r = i * dv;
                    for (int j = 0; j < dv; j++) {
                        states[to + r + j] = d * states[from + r + j] + ki * v[vb + j];
                    }
                }
            }
            double[] g = grad; // G_t
            java.util.Arrays.fill(g, 0.0);
            for (int t = len - 1; t >= 0; t--) {
                int kb = (t * heads + h) * dk;
                int vb = (t * heads + h) * dv;
                int sb = t * kv;
                double gv = 0.0; // g_t · v_t
                for (int j = 0; j < dv; j++) {
                    gv += dO[vb + j] * v[vb + j];
                }
                double beta = 0.0;
                for (int i = 0; i < dk; i++) {
                    beta += q[kb + i] * u[h * dk + i] * k[kb + i];
                }
                for (int j = 0; j < dv; j++) {
                    dvOut[vb + j] = beta * dO[vb + j];
                }
                for (int i = 0; i < dk; i++) {
                    decay[i] = Math.exp(w[kb + i]);
                }
                for (int i = 0; i < dk; i++) {
                    double qi = q[kb + i];
                    double ki = k[kb + i];
                    double ui = u[h * dk + i];
                    double d = decay[i];
                    int r = i * dv;
                    double sq = 0.0;
                    double gvRow = 0.0;
                    double gs = 0.0;
                    for (int j = 0; j < dv; j++) {
                        double sij = states[sb + r + j];
                        double gij = g[r + j];
                        sq += sij * dO[vb + j];
                        gvRow += gij * v[vb + j];
                        gs += gij * sij;
                        dvOut[vb + j] += gij * ki;
                        g[r + j] = d * gij + qi * dO[vb + j];
                    }
                    dq[kb + i] = sq + ui * ki * gv;
                    dkOut[kb + i] = gvRow + ui * qi * gv;
                    dw[kb + i] = d * gs;
                    du[h * dk + i] += qi * ki * gv;
                }
            }
        }
    }
}
