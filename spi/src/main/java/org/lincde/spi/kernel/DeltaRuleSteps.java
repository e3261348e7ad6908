package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * The (gated) delta rule and its hand-derived adjoint over primitive arrays, for one sequence (one batch row and
 * head) at a time (docs/models/deltanet.md §8): the inner loops of the backends' fused
 * {@code TensorOps.fusedDeltaRule}, written once. With {@code S_{−1} = 0}, {@code a_t = e^{g_t}} (1 without a
 * gate) and {@code s = d_k^{−1/2}}:
 * <pre>
 *   A_t = a_t S_{t−1},   w_t = v_t − A_tᵀ k_t,   u_t = β_t w_t,   S_t = A_t + k_t u_tᵀ,   o_t = s S_tᵀ q_t
 * </pre>
 * Adjoint, with {@code G = ∂loss/∂S_t} (0 after the last step) and {@code dO_t = ∂loss/∂o_t}, newest step first:
 * <pre>
 *   G  += s q_t dO_tᵀ                    ∂q_t = s S_t dO_t
 *   ∂u  = Gᵀ k_t                         ∂k_t = G u_t − A_t (β_t ∂u)
 *   ∂β_t = ∂u · w_t                      ∂v_t = β_t ∂u
 *   ∂A  = G − k_t (β_t ∂u)ᵀ              ∂g_t = Σ ∂A ⊙ A_t,   G ← a_t ∂A   (= ∂loss/∂S_{t−1})
 * </pre>
 * The backward recomputes the sequence's states ({@code (T+1)·d_k·d_v} values, kept in this object) instead of
 * saving all {@code B·H·T·d_k·d_v} of them in the forward pass. Arrays are row-major {@code (T, d_k)} /
 * {@code (T, d_v)} / {@code (T)} for one sequence. One instance per thread.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class DeltaRuleSteps {
    private final int len;
    private final int dk;
    private final int dv;
    private final double scale;
    private final double[] states;
    private final double[] ws;
    private final double[] grad;
    private final double[] du;
    private final double[] u;

    /** Scratch for sequences of {@code len} steps with key width {@code dk} and value width {@code dv}. */
    public DeltaRuleSteps(int len, int dk, int dv) {
        this.len = len;
        this.dk = dk;
        this.dv = dv;
        this.scale = 1.0 / Math.sqrt(dk);
        this.states = new double[(len + 1) * dk * dv];
        this.ws = new double[len * dv];
        this.grad = new double[dk * dv];
        this.du = new double[dv];
        this.u = new double[dv];
    }

    /** Values per sequence of {@code q} and {@code k}: {@code T·d_k}. */
    public int keySize() {
        return len * dk;
    }

    /** Values per sequence of {@code v} and {@code o}: {@code T·d_v}. */
    public int valueSize() {
        return len * dv;
    }

    /** Multiply-adds of one sequence's forward pass (for splitting sequences over threads). */
    public long work() {
        return 3L * len * dk * dv;
    }

    /**
     * The outputs {@code o} of one sequence (overwritten).
     *
     * @param g log decays, or null for none
     */
    public void forward(double[] q, double[] k, double[] v, double[] beta, double[] g, double[] o) {
        double[] s = grad; // the running state
        java.util.Arrays.fill(s, 0.0);
        for (int t = 0; t < len; t++) {
            int vb = t * dv;
            java.util.Arrays.fill(o, vb, vb + dv, 0.0);
            step(s, 0, s, 0, t, k, v, beta, g, du, 0, q, o);
            for (int j = 0; j < dv; j++) {
                o[vb + j] *= scale;
            }
        }
    }

    /**
     * One step from {@code from} ({@code S_{t−1}}, at {@code fromOff}) into {@code to} ({@code S_t}, at
     * {@code toOff}; may be the same array and offset), leaving {@code w_t} in {@code w} at {@code wOff}; with
     * {@code q} given, also adds {@code S_tᵀ q_t} (unscaled) to {@code o}'s step {@code t}. Two passes over the
     * state, each with a contiguous inner loop that accumulates into a vector, not a scalar (the JIT vectorises it).
     */
    private void step(double[] from, int fromOff, double[] to, int toOff, int t, double[] k, double[] v,
                      double[] beta, double[] g, double[] w, int wOff, double[] q, double[] o) {
        double a = g == null ? 1.0 : Math.exp(g[t]);
        int kb = t * dk;
        int vb = t * dv;
        double[] u = this.u;
        java.util.Arrays.fill(u, 0.0);
        int i0 = 0;
        for (; i0 + 3 < dk; i0 += 4) { // u = S_{t−1}ᵀ k_t, four rows a sweep (a fixed order at any size)
            double k0 = k[kb + i0];
            double k1 = k[kb + i0 + 1];
            double k2 = k[kb + i0 + 2];
            double k3 = k[kb + i0 + 3];
            int r0 = fromOff + i0 * dv;
            int r1 = r0 + dv;
            int r2 = r1 + dv;
            int r3 = r2 + dv;
            for (int j = 0; j < dv; j++) {
                u[j] += k0 * from[r0 + j] + k1 * from[r1 + j] + k2 * from[r2 + j] + k3 * from[r3 + j];
            }
        }
        for (int i = i0; i < dk; i++) {
            double ki = k[kb + i];
            int r = fromOff + i * dv;
            for (int j = 0; j < dv; j++) {
                u[j] += ki * from[r + j];
            }
        }
        double b = beta[t];
        for (int j = 0; j < dv; j++) {
            double wj = v[vb + j] - a * u[j];
            w[wOff + j] = wj;
            u[j] = b * wj;
        }
        for (int i = 0; i < dk; i++) { // S_t = a S_{t−1} + k uᵀ  (and o += q_i S_t[i, ·])
            double ki = k[kb + i];
            int rf = fromOff + i * dv;
            int rt = toOff + i * dv;
            if (q == null) {
                for (int j = 0; j < dv; j++) {
                    to[rt + j] = a * from[rf + j] + ki * u[j];
                }
            } else {
                double qi = q[kb + i];
                for (int j = 0; j < dv; j++) {
                    double x = a * from[rf + j] + ki * u[j];
                    to[rt + j] = x;
                    o[vb + j] += qi * x;
                }
            }
        }
    }

    /**
     * The gradients of one sequence from {@code dO = ∂loss/∂o}: {@code dq, dk, dv, dbeta} and (with a gate)
     * {@code dg} are overwritten.
     *
     * @param g  log decays, or null for none
     * @param dg the gate's gradient, ignored (may be null) without a gate
     */
    public void backward(double[] q, double[] k, double[] v, double[] beta, double[] g, double[] dO,
                         double[] dq, double[] dkOut, double[] dvOut, double[] dbeta, double[] dg) {
        int kv = dk * dv;
        // states[(t+1)·K·V …] = S_t, t = −1 … T−1 (S_{−1} = 0); ws[t·V …] = w_t
        java.util.Arrays.fill(states, 0, kv, 0.0);
        for (int t = 0; t < len; t++) {
            step(states, t * kv, states, (t + 1) * kv, t, k, v, beta, g, ws, t * dv, null, null);
        }
        double[] gs = grad; // G
        java.util.Arrays.fill(gs, 0.0);
        double[] u = this.u;
        for (int t = len - 1; t >= 0; t--) {
            int kb = t * dk;
            int vb = t * dv;
            int prev = t * kv;
            int cur = (t + 1) * kv;
            double b = beta[t];
            double a = g == null ? 1.0 : Math.exp(g[t]);
            for (int j = 0; j < dv; j++) {
                u[j] = b * ws[vb + j];
            }
            java.util.Arrays.fill(du, 0.0);
            for (int i = 0; i < dk; i++) { // G += s q dOᵀ; ∂u = Gᵀ k; ∂q = s S_t dO; ∂k = G u
                double qi = q[kb + i] * scale;
                double ki = k[kb + i];
                int r = i * dv;
                for (int j = 0; j < dv; j++) {
                    double gij = gs[r + j] + qi * dO[vb + j];
                    gs[r + j] = gij;
                    du[j] += gij * ki;
                }
                dq[kb + i] = scale * dot(states, cur + r, dO, vb, dv);
                dkOut[kb + i] = dot(gs, r, u, 0, dv);
            }
            double db = dot(du, 0, ws, vb, dv);
            for (int j = 0; j < dv; j++) {
                du[j] *= b; // β ∂u: ∂v_t, and the write's share of ∂A and ∂k
                dvOut[vb + j] = du[j];
            }
            dbeta[t] = db;
            // ∂A = G − k (β∂u)ᵀ; ∂k −= A (β∂u) = a S_{t−1} (β∂u); ∂g = Σ ∂A ⊙ a S_{t−1}; G ← a ∂A
            double gsp = 0.0;
            double ksd = 0.0;
            for (int i = 0; i < dk; i++) {
                double ki = k[kb + i];
                int r = i * dv;
                double sd = dot(states, prev + r, du, 0, dv);
                dkOut[kb + i] -= a * sd;
                if (g != null) {
                    gsp += dot(gs, r, states, prev + r, dv);
                    ksd += ki * sd;
                }
                for (int j = 0; j < dv; j++) {
                    gs[r + j] = a * (gs[r + j] - ki * du[j]);
                }
            }
            if (g != null) {
                dg[t] = a * (gsp - ksd);
            }
        }
    }

    /** {@code Σ_j x[xo + j] y[yo + j]} in four interleaved partial sums (a fixed order; no serial add chain). */
    private static double dot(double[] x, int xo, double[] y, int yo, int n) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += x[xo + j] * y[yo + j];
            s1 += x[xo + j + 1] * y[yo + j + 1];
            s2 += x[xo + j + 2] * y[yo + j + 2];
            s3 += x[xo + j + 3] * y[yo + j + 3];
        }
        for (; j < n; j++) {
            s0 += x[xo + j] * y[yo + j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
