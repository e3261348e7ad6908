package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * The row loops of the Mamba v1 block around its selective scan (docs/models/selective-scan.md §1), forward and
 * hand-derived backward, for a backend that runs the whole block between {@code in_proj} and {@code out_proj} as
 * one fused op ({@link org.lincde.spi.SelectiveScanKernel#mambaMixer}): the depth-wise causal convolution and its
 * SiLU, the {@code dt_proj} product with its bias and the softplus. The {@code x_proj} product stays with the
 * backend's GEMM and the scan, skip and gate with {@link SelectiveScan}. Arrays are batch first, {@code (B, L, ·)}
 * row-major; every method works on batch rows {@code [from, to)} and writes only those rows, except the parameter
 * gradients, which it adds into the caller's per-chunk arrays.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class MambaV1Mixer {
    private final int length;
    private final int width;
    private final int kernel;
    private final int rank;

    /**
     * @param length {@code L}
     * @param width  {@code E}
     * @param kernel {@code d_conv}
     * @param rank   {@code R}, {@code dt_proj}'s input width
     */
    public MambaV1Mixer(int length, int width, int kernel, int rank) {
        this.length = length;
        this.width = width;
        this.kernel = kernel;
        this.rank = rank;
    }

    /**
     * {@code c_t[e] = b[e] + Σ_j w[e, j]·x_{t−(K−1)+j}[e]} (zeros before the start) and {@code u = SiLU(c)}; {@code x}
     * is the {@code x'} half of the projection, read from {@code xz (B, L, 2E)}. Writes {@code c} and {@code u}
     * {@code (B, L, E)}.
     */
    public void conv(double[] xz, double[] w, double[] bias, double[] c, double[] u, int from, int to, boolean fast) {
        double[] sig = new double[width];
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int o = (b * length + t) * width;
                System.arraycopy(bias, 0, c, o, width);
                for (int j = 0; j < kernel; j++) {
                    int s = t - (kernel - 1) + j;
                    if (s < 0) {
                        continue;
                    }
                    int xo = (b * length + s) * 2 * width;
                    for (int e = 0; e < width; e++) {
                        c[o + e] += w[e * kernel + j] * xz[xo + e];
                    }
                }
                SelectiveScan.sigmoid(c, o, sig, width, fast);
                for (int e = 0; e < width; e++) {
                    u[o + e] = c[o + e] * sig[e];
                }
            }
        }
    }

    /**
     * The backward of {@link #conv}: from {@code du}, writes the {@code x'} half of {@code dxz (B, L, 2E)} and adds
     * into {@code dw (E·K)} and {@code db (E)}. {@code SiLU'(c) = σ(c)(1 + c(1 − σ(c)))}.
     */
    public void convBackward(double[] xz, double[] w, double[] c, double[] du, double[] dxz, double[] dw,
                             double[] db, int from, int to, boolean fast) {
        double[] sig = new double[width];
        double[] dc = new double[length * width];
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int o = (b * length + t) * width;
                SelectiveScan.sigmoid(c, o, sig, width, fast);
                int r = t * width;
                for (int e = 0; e < width; e++) {
                    double sg = sig[e];
                    double g = du[o + e] * sg * (1.0 + c[o + e] * (1.0 - sg));
                    dc[r + e] = g;
                    db[e] += g;
                }
                int xo = (b * length + t) * 2 * width;
                java.util.Arrays.fill(dxz, xo, xo + width, 0.0);
            }
            for (int t = 0; t < length; t++) {
                int r = t * width;
                for (int j = 0; j < kernel; j++) {
                    int s = t - (kernel - 1) + j;
                    if (s < 0) {
                        continue;
                    }
                    int xo = (b * length + s) * 2 * width;
                    for (int e = 0; e < width; e++) {
                        double g = dc[r + e];
                        dxz[xo + e] += w[e * kernel + j] * g;
                        dw[e * kernel + j] += g * xz[xo + e];
                    }
                }
            }
        }
    }

    /**
     * {@code Δ = softplus(δ Wdtᵀ + b)}: {@code xdbl (B, L, R+2N)} holds {@code δ} in its first {@code R} columns,
     * {@code wdtT} is {@code dt_proj.weight} transposed {@code (R, E)}. Writes {@code Δ (B, L, E)} and the
     * pre-activation {@code raw} (kept for the backward). {@code softplus(x) = max(x, 0) + log1p(e^{−|x|})}.
     */
    public void dtProj(double[] xdbl, int xw, double[] wdtT, double[] bias, double[] raw, double[] dt, int from,
                       int to, boolean fast) {
        double[] ex = new double[width];
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int o = (b * length + t) * width;
                int xo = (b * length + t) * xw;
                System.arraycopy(bias, 0, raw, o, width);
                for (int r = 0; r < rank; r++) {
                    double dr = xdbl[xo + r];
                    int wo = r * width;
                    for (int e = 0; e < width; e++) {
                        raw[o + e] += dr * wdtT[wo + e];
                    }
                }
                for (int e = 0; e < width; e++) {
                    ex[e] = -Math.min(Math.abs(raw[o + e]), 87.0);
                }
                if (fast) {
                    SelectiveScan.expNonPositive(ex, 0, width);
                } else {
                    for (int e = 0; e < width; e++) {
                        ex[e] = Math.exp(ex[e]);
                    }
                }
                for (int e = 0; e < width; e++) {
                    dt[o + e] = Math.max(raw[o + e], 0.0) + Math.log1p(ex[e]);
                }
            }
        }
    }

    /**
     * The backward of {@link #dtProj}: from {@code dΔ}, {@code g = dΔ ⊙ σ(raw)}; writes {@code dδ} into the first
     * {@code R} columns of {@code dxdbl (B, L, R+2N)} and adds into {@code dwdtT (R, E)} and {@code db (E)}.
     */
    public void dtProjBackward(double[] xdbl, int xw, double[] wdtT, double[] raw, double[] ddt, double[] dxdbl,
                               double[] dwdtT, double[] db, int from, int to, boolean fast) {
        double[] g = new double[width];
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int o = (b * length + t) * width;
                int xo = (b * length + t) * xw;
                SelectiveScan.sigmoid(raw, o, g, width, fast);
                for (int e = 0; e < width; e++) {
                    g[e] *= ddt[o + e];
                    db[e] += g[e];
                }
                for (int r = 0; r < rank; r++) {
                    int wo = r * width;
                    double dr = xdbl[xo + r];
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    double s3 = 0;
                    int e = 0;
                    for (; e + 3 < width; e += 4) {
                        s0 += g[e] * wdtT[wo + e];
                        s1 += g[e + 1] * wdtT[wo + e + 1];
                        s2 += g[e + 2] * wdtT[wo + e + 2];
                        s3 += g[e + 3] * wdtT[wo + e + 3];
                    }
                    for (; e < width; e++) {
                        s0 += g[e] * wdtT[wo + e];
                    }
                    dxdbl[xo + r] = (s0 + s1) + (s2 + s3);
                    for (e = 0; e < width; e++) {
                        dwdtT[wo + e] += g[e] * dr;
                    }
                }
            }
        }
    }
}
