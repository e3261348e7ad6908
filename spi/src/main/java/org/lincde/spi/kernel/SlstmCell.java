package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * The sLSTM cell's recurrence and its hand-derived adjoint over primitive arrays, for one (head, batch row)
 * sequence at a time (docs/models/xlstm.md §"Fused sLSTM cell"): the inner loops of the backends' fused
 * {@code TensorOps.fusedSlstm}, written once. With gate order {@code i, f, z, o}, {@code φ = log σ(f̃)},
 * {@code a = e^{ĩ − m}}, {@code b = e^{φ + m_{t−1} − m}} ({@code m} a constant for the gradient):
 * <pre>
 *   g̃_t = pre_t + Rᵀ y_{t−1},  c_t = b c_{t−1} + a tanh z̃,  n_t = b n_{t−1} + a,  y_t = σ(õ) c_t / n_t
 * adjoint (γ = ∂/∂y_t, total, with Rᵀ's share from step t+1):
 *   ∂õ = γ (c/n) σ(õ)(1 − σ(õ)),  ∂c += γ σ(õ)/n,  ∂n += −γ σ(õ) c/n²
 *   ∂z̃ = ∂c · a · (1 − tanh² z̃),  ∂ĩ = (∂c tanh z̃ + ∂n) a,  ∂f̃ = (∂c c_{t−1} + ∂n n_{t−1}) b (1 − σ(f̃))
 *   ∂c_{t−1} = ∂c · b,  ∂n_{t−1} = ∂n · b,  ∂y_{t−1} += R ∂g̃_t
 * </pre>
 * At {@code t = 1} {@code m = ĩ}, so {@code a = 1} and nothing flows to {@code f̃}. {@code ∂pre = ∂g̃}; the recurrent
 * kernel's gradient {@code Σ y_{t−1} ∂g̃_tᵀ} is left to the caller (one GEMM over all rows). The backward
 * recomputes the row's forward pass. Row layouts: {@code pre (S, 4, DH)}, {@code R (DH, 4·DH)}, {@code y (S, DH)}.
 * One instance per thread.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class SlstmCell {
    private final int len;
    private final int dh;
    private final double[] raw;
    private final double[] c;
    private final double[] n;
    private final double[] m;
    private final double[] y;
    private final double[] dyRec;
    private final double[] dc;
    private final double[] dn;

    /** Scratch for sequences of {@code len} steps of {@code dh} units. */
    public SlstmCell(int len, int dh) {
        this.len = len;
        this.dh = dh;
        this.raw = new double[len * 4 * dh];
        this.c = new double[len * dh];
        this.n = new double[len * dh];
        this.m = new double[len * dh];
        this.y = new double[len * dh];
        this.dyRec = new double[dh];
        this.dc = new double[dh];
        this.dn = new double[dh];
    }

    /** Multiply-adds of one sequence's forward pass (for splitting rows over threads). */
    public long work() {
        return (long) len * dh * 4 * dh;
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** {@code log σ(x)}, without overflow on either side. */
    static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    /** The outputs {@code out (S, DH)} of one sequence. */
    public void forward(double[] pre, double[] r, double[] out) {
        run(pre, r);
        System.arraycopy(y, 0, out, 0, len * dh);
    }

    private void run(double[] pre, double[] r) {
        int g4 = 4 * dh;
        for (int t = 0; t < len; t++) {
            int rb = t * g4;
            System.arraycopy(pre, rb, raw, rb, g4);
            if (t > 0) {
                int yb = (t - 1) * dh;
                for (int i = 0; i < dh; i++) {
                    double yi = y[yb + i];
                    int row = i * g4;
                    for (int j = 0; j < g4; j++) {
                        raw[rb + j] += yi * r[row + j];
                    }
                }
            }
            int sb = t * dh;
            for (int j = 0; j < dh; j++) {
                double iR = raw[rb + j];
                double z = Math.tanh(raw[rb + 2 * dh + j]);
                double o = sigmoid(raw[rb + 3 * dh + j]);
                double mt;
                double ct;
                double nt;
                if (t == 0) {
                    mt = iR;
                    double a = Math.exp(iR - mt);
                    ct = a * z;
                    nt = a;
                } else {
                    double lfm = logSigmoid(raw[rb + dh + j]) + m[sb - dh + j];
                    mt = Math.max(iR, lfm);
                    double a = Math.exp(iR - mt);
                    double b = Math.exp(lfm - mt);
                    ct = b * c[sb - dh + j] + a * z;
                    nt = b * n[sb - dh + j] + a;
                }
                m[sb + j] = mt;
                c[sb + j] = ct;
                n[sb + j] = nt;
                y[sb + j] = o * (ct / nt);
            }
        }
    }

    /** {@code dPre (S, 4, DH)} from {@code dY (S, DH)} for one sequence (overwritten). */
    public void backward(double[] pre, double[] r, double[] dY, double[] dPre) {
        run(pre, r);
        int g4 = 4 * dh;
        java.util.Arrays.fill(dyRec, 0.0);
        java.util.Arrays.fill(dc, 0.0);
        java.util.Arrays.fill(dn, 0.0);
        for (int t = len - 1; t >= 0; t--) {
            int rb = t * g4;
            int sb = t * dh;
            for (int j = 0; j < dh; j++) {
                double gy = dY[sb + j] + dyRec[j];
                double iR = raw[rb + j];
                double z = Math.tanh(raw[rb + 2 * dh + j]);
                double o = sigmoid(raw[rb + 3 * dh + j]);
                double ct = c[sb + j];
                double nt = n[sb + j];
                double mt = m[sb + j];
                dPre[rb + 3 * dh + j] = gy * (ct / nt) * o * (1.0 - o);
                double dcj = dc[j] + gy * o / nt;
                double dnj = dn[j] - gy * o * ct / (nt * nt);
                double a = Math.exp(iR - mt);
                dPre[rb + 2 * dh + j] = dcj * a * (1.0 - z * z);
                dPre[rb + j] = (dcj * z + dnj) * a;
                if (t == 0) {
                    dPre[rb + dh + j] = 0.0;
                    dc[j] = 0.0;
                    dn[j] = 0.0;
                } else {
                    double fR = raw[rb + dh + j];
                    double b = Math.exp(logSigmoid(fR) + m[sb - dh + j] - mt);
                    dPre[rb + dh + j] = (dcj * c[sb - dh + j] + dnj * n[sb - dh + j]) * b * (1.0 - sigmoid(fR));
                    dc[j] = dcj * b;
                    dn[j] = dnj * b;
                }
            }
            java.util.Arrays.fill(dyRec, 0.0);
            if (t > 0) {
                for (int i = 0; i < dh; i++) {
                    int row = i * g4;
                    double s = 0.0;
                    for (int j = 0; j < g4; j++) {
                        s += r[row + j] * dPre[rb + j];
                    }
                    dyRec[i] = s;
                }
            }
        }
    }
}
