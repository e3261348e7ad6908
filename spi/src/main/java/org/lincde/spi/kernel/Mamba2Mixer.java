package org.lincde.spi.kernel;

import java.util.Arrays;
import org.lincde.spi.Stability;

/**
 * The Mamba2 layer between its two projections, forward and hand-derived backward over primitive arrays for one
 * batch row at a time (docs/models/mamba2.md §"Fused mixer"): the inner loops of the backends'
 * {@code TensorOps.fusedMamba2Mixer}, written once. With inner width {@code E = H·P}, state {@code N}, conv
 * width {@code K}, {@code Cc = E+2N} conv channels and one row's projection {@code [z; xBC; dt]} ({@code L} steps of
 * {@code 2E+2N+H} values):
 * <pre>
 *   pre_l = b + Σ_j w_j ⊙ xBC_{l−K+1+j}        xbc = pre ⊙ σ(pre) = [X; B; C]
 *   Δ_{l,h} = softplus(dt_{l,h} + dt_bias_h),   a_{l,h} = Δ_{l,h} A_h,   A_h = −exp(A_log_h),   c_{l,h} = Σ_{s≤l} a_{s,h}
 *   G_{ls} = C_l·B_s,   M^h_{ls} = G_{ls} e^{c_{l,h} − c_{s,h}}  (s ≤ l),   V_{s,h} = Δ_{s,h} X_{s,h}
 *   Y_{l,h} = Σ_{s≤l} M^h_{ls} V_{s,h} + D_h X_{l,h}
 *   g_l = Y_l ⊙ z_l σ(z_l),   r_l = (mean(g_l²) + ε)^{−1/2},   out_l = g_l r_l ⊙ w_norm
 * </pre>
 * (the whole row as one SSD chunk: {@code ssd_minimal_discrete} with one chunk, which equals the token recurrence
 * and every chunked form). The backward reads G, the decays and Y where the forward pass kept them ({@link
 * #keepSize()}; recomputed when not kept) and recomputes the rest of the row's forward values (the convolution, the
 * sigmoids, Δ) in this object; its adjoint is written out in the docs.
 *
 * <p>Parameters travel as one array {@code [conv1d.weight (Cc, K); conv1d.bias (Cc); dt_bias (H); A_log (H);
 * D (H); norm.weight (E)]}; their gradients are returned per row (the caller sums rows in a fixed order). With
 * {@code fast} (float32 sessions) the exponentials of non-positive arguments take
 * {@link SelectiveScan#expNonPositive} (relative error ≤ 6e−9, far below float32 rounding); otherwise
 * {@link Math#exp}. One instance per thread.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class Mamba2Mixer {
    private final int len;
    private final int e;
    private final int n;
    private final int h;
    private final int p;
    private final int k;
    private final int cc;
    private final int proj;
    private final double eps;
    private final boolean fast;
    private final int oConvB;
    private final int oDtBias;
    private final int oALog;
    private final int oD;
    private final int oNorm;
    private final int paramSize;

    // forward values of the current row
    private final double[] wT;
    private final double[] aH;
    private final double[] pre;
    private final double[] sig;
    private final double[] xbc;
    private final double[] dt;
    private final double[] dtSig;
    private final double[] cum;
    private final double[] gram;
    private final double[] dec;
    private final double[] v;
    private final double[] y;
    private final double[] sz;
    private final double[] gn;
    private final double[] r;
    private final double[] tmp;
    // backward scratch
    private final double[] dy;
    private final double[] dxbc;
    private final double[] dv;
    private final double[] ddt;
    private final double[] dcum;
    private final double[] dgram;
    private final double[] mh;
    private final double[] dwT;

    /**
     * Scratch for rows of {@code len} steps.
     *
     * @param inner   {@code E}
     * @param state   {@code N}
     * @param heads   {@code H} (dividing {@code E})
     * @param conv    {@code K}
     * @param eps     the RMSNorm's epsilon
     * @param fast    the polynomial {@code exp} (float32 sessions)
     */
    public Mamba2Mixer(int len, int inner, int state, int heads, int conv, double eps, boolean fast) {
        if (len <= 0 || inner <= 0 || state <= 0 || heads <= 0 || conv <= 0 || inner % heads != 0) {
            throw new IllegalArgumentException("Mamba2 mixer sizes: L " + len + ", E " + inner + ", N " + state
                    + ", H " + heads + " (must divide E), K " + conv);
        }
        this.len = len;
        this.e = inner;
        this.n = state;
        this.h = heads;
        this.p = inner / heads;
        this.k = conv;
        this.cc = inner + 2 * state;
        this.proj = 2 * inner + 2 * state + heads;
        this.eps = eps;
        this.fast = fast;
        this.oConvB = cc * k;
        this.oDtBias = oConvB + cc;
        this.oALog = oDtBias + h;
        this.oD = oALog + h;
        this.oNorm = oD + h;
        this.paramSize = oNorm + e;
        wT = new double[k * cc];
        aH = new double[h];
        pre = new double[len * cc];
        sig = new double[len * cc];
        xbc = new double[len * cc];
        dt = new double[len * h];
        dtSig = new double[len * h];
        cum = new double[len * h];
        gram = new double[len * len];
        dec = new double[h * len * len];
        v = new double[len * e];
        y = new double[len * e];
        sz = new double[len * e];
        gn = new double[len * e];
        r = new double[len];
        tmp = new double[Math.max(cc, len)];
        dy = new double[len * e];
        dxbc = new double[len * cc];
        dv = new double[len * e];
        ddt = new double[len * h];
        dcum = new double[len * h];
        dgram = new double[len * len];
        mh = new double[len * len];
        dwT = new double[k * cc];
    }

    /** Whether this scratch serves rows of these sizes (callers may keep one instance per thread). */
    public boolean sameShape(int len, int inner, int state, int heads, int conv, double eps, boolean fast) {
        return this.len == len && e == inner && n == state && h == heads && k == conv && this.eps == eps
                && this.fast == fast;
    }

    /** Values per batch row of the projection output {@code [z; xBC; dt]}: {@code L·(2E+2N+H)}. */
    public int inputSize() {
        return len * proj;
    }

    /** Values per batch row of the output: {@code L·E}. */
    public int outputSize() {
        return len * e;
    }

    /** Length of the packed parameter array (and of one row's parameter gradient). */
    public int paramSize() {
        return paramSize;
    }

    /** Multiply-adds of one row's forward pass (for splitting rows over threads). */
    public long work() {
        long pairs = (long) len * (len + 1) / 2;
        return pairs * (n + 2L * e) + (long) len * cc * (k + 8) + 8L * len * e;
    }

    /** Values per batch row that {@link #forward} can keep for {@link #backward}: {@code G}, the decays, {@code Y}. */
    public int keepSize() {
        return len * len + h * len * len + len * e;
    }

    /** The outputs of the row at {@code in[io ..]} into {@code out[oo ..]} ({@code L·E} values, overwritten). */
    public void forward(double[] in, int io, double[] prm, double[] out, int oo) {
        forward(in, io, prm, out, oo, null, 0);
    }

    /**
     * {@link #forward(double[], int, double[], double[], int)}, also keeping {@link #keepSize()} values in
     * {@code keep[ko ..]} (when not null) that the backward pass of the same row then reads instead of recomputing.
     */
    public void forward(double[] in, int io, double[] prm, double[] out, int oo, double[] keep, int ko) {
        computeInputs(in, io, prm);
        computeSsd(prm);
        computeNorm(in, io);
        if (keep != null) {
            System.arraycopy(gram, 0, keep, ko, len * len);
            System.arraycopy(dec, 0, keep, ko + len * len, h * len * len);
            System.arraycopy(y, 0, keep, ko + len * len + h * len * len, len * e);
        }
        for (int l = 0; l < len; l++) {
            double rl = r[l];
            int b = l * e;
            for (int c = 0; c < e; c++) {
                out[oo + b + c] = gn[b + c] * rl * prm[oNorm + c];
            }
        }
    }

    /**
     * The gradients of one row: {@code din[di ..]} ({@code L·(2E+2N+H)}, overwritten) for the projection output and
     * {@code dprm[dpo ..]} ({@link #paramSize()}, overwritten) for the parameters, given the output's gradient
     * {@code dout[dgo ..]}.
     */
    public void backward(double[] in, int io, double[] prm, double[] dout, int dgo, double[] din, int di,
            double[] dprm, int dpo) {
        backward(in, io, prm, null, 0, dout, dgo, din, di, dprm, dpo);
    }

    /** {@link #backward(double[], int, double[], double[], int, double[], int, double[], int)} reading the values
     * the forward pass kept in {@code keep[ko ..]} (null: recompute them). */
    public void backward(double[] in, int io, double[] prm, double[] keep, int ko, double[] dout, int dgo,
            double[] din, int di, double[] dprm, int dpo) {
        computeInputs(in, io, prm);
        if (keep == null) {
            computeSsd(prm);
        } else {
            System.arraycopy(keep, ko, gram, 0, len * len);
            System.arraycopy(keep, ko + len * len, dec, 0, h * len * len);
            System.arraycopy(keep, ko + len * len + h * len * len, y, 0, len * e);
        }
        computeNorm(in, io);
        Arrays.fill(dprm, dpo, dpo + paramSize, 0.0);
        // gated RMSNorm: dĝ = dout ⊙ w, dg = r dĝ − g r³ (dĝ·g)/E, dY = dg ⊙ zσ(z), dz = dg ⊙ Y σ(z)(1 + z(1 − σ(z)))
        for (int l = 0; l < len; l++) {
            double rl = r[l];
            int b = l * e;
            int go = dgo + b;
            double dot = 0.0;
            for (int c = 0; c < e; c++) {
                double g = dout[go + c];
                dot += g * prm[oNorm + c] * gn[b + c];
                dprm[dpo + oNorm + c] += g * gn[b + c] * rl;
            }
            double coef = rl * rl * rl * dot / e;
            int zo = io + l * proj;
            int dzo = di + l * proj;
            for (int c = 0; c < e; c++) {
                double dg = rl * dout[go + c] * prm[oNorm + c] - gn[b + c] * coef;
                double z = in[zo + c];
                double s = sz[b + c];
                dy[b + c] = dg * z * s;
                din[dzo + c] = dg * y[b + c] * s * (1.0 + z * (1.0 - s));
            }
        }
        Arrays.fill(dxbc, 0.0);
        Arrays.fill(dv, 0.0);
        Arrays.fill(ddt, 0.0);
        Arrays.fill(dcum, 0.0);
        Arrays.fill(dgram, 0.0);
        for (int hh = 0; hh < h; hh++) {
            double dskip = prm[oD + hh];
            double dD = 0.0;
            for (int l = 0; l < len; l++) {
                int yo = l * e + hh * p;
                int xo = l * cc + hh * p;
                for (int q = 0; q < p; q++) {
                    dD += dy[yo + q] * xbc[xo + q];
                    dxbc[xo + q] += dskip * dy[yo + q];
                }
            }
            dprm[dpo + oD + hh] = dD;
            for (int l = 0; l < len; l++) {
                int row = (hh * len + l) * len;
                int yo = l * e + hh * p;
                double dcl = 0.0;
                for (int s = 0; s <= l; s++) {
                    double dm = dot(dy, yo, v, s * e + hh * p, p);
                    double d = dec[row + s];
                    double m = gram[l * len + s] * d;
                    mh[l * len + s] = m;
                    dgram[l * len + s] += dm * d;
                    double qv = dm * m; // ∂/∂(c_l − c_s)
                    dcl += qv;
                    dcum[s * h + hh] -= qv;
                }
                dcum[l * h + hh] += dcl;
            }
            for (int s = 0; s < len; s++) { // ∂V_s = Σ_{l≥s} M_{ls} dY_l
                addRows(dv, s * e + hh * p, mh, s * len + s, len, dy, s * e + hh * p, e, len - s, p);
            }
        }
        for (int l = 0; l < len; l++) {
            for (int hh = 0; hh < h; hh++) {
                double dtl = dt[l * h + hh];
                int xo = l * cc + hh * p;
                int vo = l * e + hh * p;
                double acc = 0.0;
                for (int q = 0; q < p; q++) {
                    dxbc[xo + q] += dtl * dv[vo + q];
                    acc += xbc[xo + q] * dv[vo + q];
                }
                ddt[l * h + hh] += acc;
            }
        }
        // c = cumsum(a): ∂a_s = Σ_{l≥s} ∂c_l; a = Δ A
        for (int hh = 0; hh < h; hh++) {
            double acc = 0.0;
            double dA = 0.0;
            for (int s = len - 1; s >= 0; s--) {
                acc += dcum[s * h + hh];
                ddt[s * h + hh] += acc * aH[hh];
                dA += acc * dt[s * h + hh];
            }
            dprm[dpo + oALog + hh] = dA * aH[hh]; // ∂A/∂A_log = −exp(A_log) = A
        }
        // G = C Bᵀ on s ≤ l
        for (int l = 0; l < len; l++) { // ∂C_l = Σ_{s≤l} ∂G_{ls} B_s,  ∂B_l = Σ_{l'≥l} ∂G_{l'l} C_{l'}
            addRows(dxbc, l * cc + e + n, dgram, l * len, 1, xbc, e, cc, l + 1, n);
            addRows(dxbc, l * cc + e, dgram, l * len + l, len, xbc, l * cc + e + n, cc, len - l, n);
        }
        // Δ = softplus(dt + dt_bias)
        for (int l = 0; l < len; l++) {
            int o = di + l * proj + 2 * e + 2 * n;
            for (int hh = 0; hh < h; hh++) {
                double dr = ddt[l * h + hh] * dtSig[l * h + hh];
                din[o + hh] = dr;
                dprm[dpo + oDtBias + hh] += dr;
            }
        }
        // SiLU, then the depth-wise causal convolution
        for (int i = 0; i < len * cc; i++) {
            double s = sig[i];
            dxbc[i] *= s * (1.0 + pre[i] * (1.0 - s));
        }
        // ∂xBC_t = Σ_j w_j ⊙ ∂pre_{t+K−1−j}: one pass per destination row, the taps summed in a register
        for (int t = 0; t < len; t++) {
            int dst = di + t * proj + e;
            int taps = Math.min(k, len - t); // j ≥ K − (len − t): pre index t+K−1−j < len
            int j0 = k - taps;
            if (taps == 4) {
                int g0 = (t + 3) * cc; // j = 0
                int g1 = g0 - cc;
                int g2 = g1 - cc;
                int g3 = g2 - cc;
                for (int c = 0; c < cc; c++) {
                    din[dst + c] = ((wT[c] * dxbc[g0 + c] + wT[cc + c] * dxbc[g1 + c]) + wT[2 * cc + c] * dxbc[g2 + c])
                            + wT[3 * cc + c] * dxbc[g3 + c];
                }
            } else {
                Arrays.fill(din, dst, dst + cc, 0.0);
                for (int j = j0; j < k; j++) {
                    int go = (t + k - 1 - j) * cc;
                    int wo = j * cc;
                    for (int c = 0; c < cc; c++) {
                        din[dst + c] += wT[wo + c] * dxbc[go + c];
                    }
                }
            }
        }
        // ∂w_j = Σ_l ∂pre_l ⊙ xBC_{l−K+1+j}, ∂b = Σ_l ∂pre_l
        Arrays.fill(dwT, 0.0);
        for (int l = 0; l < len; l++) {
            int po = l * cc;
            for (int c = 0; c < cc; c++) {
                dprm[dpo + oConvB + c] += dxbc[po + c];
            }
            for (int j = Math.max(0, k - 1 - l); j < k; j++) {
                int src = io + (l - (k - 1) + j) * proj + e;
                int wo = j * cc;
                for (int c = 0; c < cc; c++) {
                    dwT[wo + c] += dxbc[po + c] * in[src + c];
                }
            }
        }
        for (int c = 0; c < cc; c++) {
            for (int j = 0; j < k; j++) {
                dprm[dpo + c * k + j] = dwT[j * cc + c];
            }
        }
    }

    /** The convolution, SiLU, Δ, the cumulative log decays and V of the row at {@code in[io ..]}. */
    private void computeInputs(double[] in, int io, double[] prm) {
        for (int c = 0; c < cc; c++) {
            for (int j = 0; j < k; j++) {
                wT[j * cc + c] = prm[c * k + j];
            }
        }
        for (int hh = 0; hh < h; hh++) {
            aH[hh] = -Math.exp(prm[oALog + hh]);
        }
        // depth-wise causal convolution with zeros before the start, then SiLU
        for (int l = 0; l < len; l++) {
            int po = l * cc;
            if (k == 4 && l >= 3) { // all four taps in one pass over the row (R1's d_conv), same order of the sums
                int s0 = io + (l - 3) * proj + e;
                int s1 = s0 + proj;
                int s2 = s1 + proj;
                int s3 = s2 + proj;
                for (int c = 0; c < cc; c++) {
                    pre[po + c] = (((prm[oConvB + c] + wT[c] * in[s0 + c]) + wT[cc + c] * in[s1 + c])
                            + wT[2 * cc + c] * in[s2 + c]) + wT[3 * cc + c] * in[s3 + c];
                }
            } else {
                System.arraycopy(prm, oConvB, pre, po, cc);
                for (int j = 0; j < k; j++) {
                    int t = l - (k - 1) + j;
                    if (t < 0) {
                        continue;
                    }
                    int src = io + t * proj + e;
                    int wo = j * cc;
                    for (int c = 0; c < cc; c++) {
                        pre[po + c] += wT[wo + c] * in[src + c];
                    }
                }
            }
            sigmoid(pre, po, sig, po, cc);
            for (int c = 0; c < cc; c++) {
                xbc[po + c] = pre[po + c] * sig[po + c];
            }
        }
        // Δ, the cumulative log decays, V = Δ X
        for (int l = 0; l < len; l++) {
            int o = io + l * proj + 2 * e + 2 * n;
            for (int hh = 0; hh < h; hh++) {
                double raw = in[o + hh] + prm[oDtBias + hh];
                double d = Math.max(raw, 0.0) + Math.log1p(Math.exp(-Math.abs(raw)));
                dt[l * h + hh] = d;
                dtSig[l * h + hh] = 1.0 / (1.0 + Math.exp(-raw));
                cum[l * h + hh] = (l == 0 ? 0.0 : cum[(l - 1) * h + hh]) + d * aH[hh];
            }
            for (int hh = 0; hh < h; hh++) {
                double d = dt[l * h + hh];
                int vo = l * e + hh * p;
                int xo = l * cc + hh * p;
                for (int q = 0; q < p; q++) {
                    v[vo + q] = d * xbc[xo + q];
                }
            }
        }
    }

    /** G, the decays and Y (the SSD) from {@link #computeInputs}'s values. */
    private void computeSsd(double[] prm) {
        // G_{ls} = C_l · B_s
        for (int l = 0; l < len; l++) {
            int co = l * cc + e + n;
            for (int s = 0; s <= l; s++) {
                gram[l * len + s] = dot(xbc, co, xbc, s * cc + e, n);
            }
        }
        // Y = (G ∘ e^{c_l − c_s}) V + D X per head
        for (int hh = 0; hh < h; hh++) {
            double dskip = prm[oD + hh];
            for (int l = 0; l < len; l++) {
                int row = (hh * len + l) * len;
                double cl = cum[l * h + hh];
                for (int s = 0; s <= l; s++) {
                    dec[row + s] = cl - cum[s * h + hh];
                }
                exps(dec, row, l + 1);
                int yo = l * e + hh * p;
                int xo = l * cc + hh * p;
                for (int q = 0; q < p; q++) {
                    y[yo + q] = dskip * xbc[xo + q];
                }
                for (int s = 0; s <= l; s++) {
                    tmp[s] = gram[l * len + s] * dec[row + s];
                }
                addRows(y, yo, tmp, 0, 1, v, hh * p, e, l + 1, p);
            }
        }
    }

    /** The gate and the RMS of the row at {@code in[io ..]} from Y. */
    private void computeNorm(double[] in, int io) {
        // g = Y ⊙ SiLU(z), r = 1/sqrt(mean g² + ε)
        for (int l = 0; l < len; l++) {
            int zo = io + l * proj;
            int b = l * e;
            sigmoid(in, zo, sz, b, e);
            double ss = 0.0;
            for (int c = 0; c < e; c++) {
                double g = y[b + c] * in[zo + c] * sz[b + c];
                gn[b + c] = g;
                ss += g * g;
            }
            r[l] = 1.0 / Math.sqrt(ss / e + eps);
        }
    }

    /**
     * {@code dst[d .. d+w) += Σ_{i<count} coef[c + i·cs] · src[so + i·ss .. + w)}, four source rows per pass over
     * {@code dst} (each pass loads and stores {@code dst} once; the inner loop vectorises).
     */
    static void addRows(double[] dst, int d, double[] coef, int c, int cs, double[] src, int so, int ss, int count,
            int w) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            double c0 = coef[c + i * cs];
            double c1 = coef[c + (i + 1) * cs];
            double c2 = coef[c + (i + 2) * cs];
            double c3 = coef[c + (i + 3) * cs];
            int s0 = so + i * ss;
            int s1 = s0 + ss;
            int s2 = s1 + ss;
            int s3 = s2 + ss;
            for (int q = 0; q < w; q++) {
                dst[d + q] += c0 * src[s0 + q] + c1 * src[s1 + q] + c2 * src[s2 + q] + c3 * src[s3 + q];
            }
        }
        for (; i < count; i++) {
            double c0 = coef[c + i * cs];
            int s0 = so + i * ss;
            for (int q = 0; q < w; q++) {
                dst[d + q] += c0 * src[s0 + q];
            }
        }
    }

    /**
     * {@code Σ_i x[xo+i]·y[yo+i]} in four interleaved partial sums (a fixed order: the JIT does not vectorise a
     * single floating-point sum, whose every addition waits for the previous one).
     */
    static double dot(double[] x, int xo, double[] y, int yo, int m) {
        double a0 = 0.0;
        double a1 = 0.0;
        double a2 = 0.0;
        double a3 = 0.0;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            a0 += x[xo + i] * y[yo + i];
            a1 += x[xo + i + 1] * y[yo + i + 1];
            a2 += x[xo + i + 2] * y[yo + i + 2];
            a3 += x[xo + i + 3] * y[yo + i + 3];
        }
        for (; i < m; i++) {
            a0 += x[xo + i] * y[yo + i];
        }
        return (a0 + a1) + (a2 + a3);
    }

    /**
     * {@code dst = σ(src)} over {@code m} values, through {@code t = exp(−|x|)}: {@code σ = 1/(1 + t)} for
     * {@code x ≥ 0}, {@code t/(1 + t)} below. The choice is arithmetic, {@code pos ∈ {0, 1}} from
     * {@code copySign} and {@code σ = s·(pos + (1 − pos)·t)} (exactly {@code s} or {@code t·s}), not a branch: the
     * signs are random, and the branch (and min/max blends tried instead) ran 3–4× slower than this form, a quarter
     * of the kernel's time (docs/PERFORMANCE.md item 23).
     */
    private void sigmoid(double[] src, int so, double[] dst, int dso, int m) {
        for (int i = 0; i < m; i++) {
            tmp[i] = -Math.abs(src[so + i]);
        }
        exps(tmp, 0, m);
        for (int i = 0; i < m; i++) {
            double t = tmp[i];
            double pos = Math.copySign(0.5, src[so + i]) + 0.5;
            dst[dso + i] = ((1.0 / (1.0 + t)) * (pos + (1.0 - pos) * t));
        }
    }

    /** {@code x ← exp(x)} in place for non-positive {@code x}. */
    private void exps(double[] x, int off, int m) {
        if (fast) {
            for (int i = 0; i < m; i++) {
                x[off + i] = Math.max(x[off + i], -87.0);
            }
            SelectiveScan.expNonPositive(x, off, m);
        } else {
            for (int i = 0; i < m; i++) {
                x[off + i] = Math.exp(x[off + i]);
            }
        }
    }
}
