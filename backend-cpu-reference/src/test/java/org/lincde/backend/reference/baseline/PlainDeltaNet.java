package org.lincde.backend.reference.baseline;

import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.ParameterSet;

/**
 * fla's DeltaNet / GatedDeltaNet / GatedDeltaProduct layer forward in plain Java loops, written from the library's
 * layer code ({@code fla/layers/delta_net.py}, {@code gated_deltanet.py}, {@code gated_deltaproduct.py}) and its
 * recurrent kernels, independently of the TensorOps graph: DeltaProduct's Householder steps are an inner loop
 * here (the graph interleaves them into one sequence, as fla does).
 */
final class PlainDeltaNet {
    private PlainDeltaNet() {}

    /** The layer output {@code (B, L, h)} for input {@code x (B, L, h)}; parameters by the layer's relative names. */
    static double[] layer(DeltaNetSpec s, ParameterSet p, double[] x, int b, int len) {
        int h = s.modelDim();
        int heads = s.numHeads();
        int dk = s.headKDim();
        int dv = s.headVDim();
        int n = s.numHouseholder();
        boolean product = s.variant() == DeltaNetSpec.Variant.GATED_DELTAPRODUCT;
        double[] q = silu(conv(linear(x, p.get("q_proj.weight").data(), b * len, h, s.keyDim()),
                p.get("q_conv1d.weight").data(), b, len, s.keyDim(), s.convSize()));
        l2norm(q, dk);
        double[][] k = new double[n][];
        double[][] v = new double[n][];
        double[][] beta = new double[n][];
        for (int j = 0; j < n; j++) {
            String kp = product ? "k_projs." + j : "k_proj";
            String vp = product ? "v_projs." + j : "v_proj";
            String bp = product ? "b_projs." + j : "b_proj";
            String kc = product ? "k_conv1ds." + j : "k_conv1d";
            String vc = product ? "v_conv1ds." + j : "v_conv1d";
            k[j] = silu(conv(linear(x, p.get(kp + ".weight").data(), b * len, h, s.keyDim()), p.get(kc + ".weight").data(),
                    b, len, s.keyDim(), s.convSize()));
            l2norm(k[j], dk);
            v[j] = silu(conv(linear(x, p.get(vp + ".weight").data(), b * len, h, s.valueDim()),
                    p.get(vc + ".weight").data(), b, len, s.valueDim(), s.convSize()));
            beta[j] = linear(x, p.get(bp + ".weight").data(), b * len, h, heads);
            for (int i = 0; i < beta[j].length; i++) {
                beta[j][i] = s.variant().betaScale() / (1 + Math.exp(-beta[j][i]));
            }
        }
        double[] alpha = null;
        if (s.forgetGate()) {
            double[] a = linear(x, p.get("a_proj.weight").data(), b * len, h, heads);
            double[] alog = p.get("A_log").data();
            double[] dt = p.get("dt_bias").data();
            alpha = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                int hh = i % heads;
                double sp = Math.log1p(Math.exp(a[i] + dt[hh]));
                alpha[i] = Math.exp(-Math.exp(alog[hh]) * sp);
            }
        }
        double scale = 1.0 / Math.sqrt(dk);
        double[] o = new double[b * len * heads * dv];
        for (int bi = 0; bi < b; bi++) {
            for (int hh = 0; hh < heads; hh++) {
                double[][] st = new double[dk][dv];
                for (int t = 0; t < len; t++) {
                    int row = bi * len + t;
                    for (int j = 0; j < n; j++) {
                        double al = alpha != null && j == 0 ? alpha[row * heads + hh] : 1.0; // gate on the first step
                        double bt = beta[j][row * heads + hh];
                        double[] u = new double[dv];
                        for (int e = 0; e < dv; e++) {
                            double kS = 0;
                            for (int d = 0; d < dk; d++) {
                                st[d][e] *= al;
                                kS += k[j][row * heads * dk + hh * dk + d] * st[d][e];
                            }
                            u[e] = bt * (v[j][row * heads * dv + hh * dv + e] - kS);
                        }
                        for (int d = 0; d < dk; d++) {
                            for (int e = 0; e < dv; e++) {
                                st[d][e] += k[j][row * heads * dk + hh * dk + d] * u[e];
                            }
                        }
                    }
                    for (int e = 0; e < dv; e++) { // read after the last step
                        double acc = 0;
                        for (int d = 0; d < dk; d++) {
                            acc += q[row * heads * dk + hh * dk + d] * scale * st[d][e];
                        }
                        o[row * heads * dv + hh * dv + e] = acc;
                    }
                }
            }
        }
        double[] w = p.get("o_norm.weight").data();
        double[] gate = s.variant().outputGate() ? linear(x, p.get("g_proj.weight").data(), b * len, h, s.valueDim()) : null;
        for (int r = 0; r < b * len * heads; r++) {
            double ms = 0;
            for (int e = 0; e < dv; e++) {
                ms += o[r * dv + e] * o[r * dv + e];
            }
            double inv = 1.0 / Math.sqrt(ms / dv + 1e-5);
            for (int e = 0; e < dv; e++) {
                double y = o[r * dv + e] * inv * w[e];
                if (gate != null) {
                    double g = gate[r * dv + e];
                    y *= g / (1 + Math.exp(-g));
                }
                o[r * dv + e] = y;
            }
        }
        return linear(o, p.get("o_proj.weight").data(), b * len, s.valueDim(), h);
    }

    /** {@code x Wᵀ} for rows of width {@code in}, {@code W (out, in)}. */
    static double[] linear(double[] x, double[] w, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = 0;
                for (int i = 0; i < in; i++) {
                    acc += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    /** Depth-wise causal convolution, {@code nn.Conv1d(groups=C, padding=K−1, bias=False)} cut to L outputs. */
    static double[] conv(double[] x, double[] w, int b, int len, int ch, int kk) {
        double[] y = new double[x.length];
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < len; t++) {
                for (int c = 0; c < ch; c++) {
                    double acc = 0;
                    for (int j = 0; j < kk; j++) {
                        int src = t - (kk - 1) + j;
                        if (src >= 0) {
                            acc += w[c * kk + j] * x[(bi * len + src) * ch + c];
                        }
                    }
                    y[(bi * len + t) * ch + c] = acc;
                }
            }
        }
        return y;
    }

    static double[] silu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / (1 + Math.exp(-x[i]));
        }
        return y;
    }

    /** In place: each run of {@code d} values divided by {@code √(Σ x² + 1e−6)}. */
    static void l2norm(double[] x, int d) {
        for (int r = 0; r < x.length / d; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) {
                ss += x[r * d + i] * x[r * d + i];
            }
            double inv = 1.0 / Math.sqrt(ss + 1e-6);
            for (int i = 0; i < d; i++) {
                x[r * d + i] *= inv;
            }
        }
    }
}
