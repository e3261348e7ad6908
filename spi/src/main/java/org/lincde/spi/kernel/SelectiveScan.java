package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * The selective scan of {@link org.lincde.spi.SelectiveScanKernel} over primitive arrays, forward and
 * hand-derived backward (docs/models/selective-scan.md), written once for the backends' fused kernels
 * (DJL, ND4J). Arrays are row-major and batch first: {@code u, Δ, y} are {@code (B, L, E)}, {@code A} is
 * {@code (E, N)}, {@code B, C} are {@code (B, L, N)}.
 *
 * <p>Nothing of size {@code B·L·E·N} is ever stored: the forward keeps only {@code y}, and the backward
 * recomputes, per batch row and channel, the {@code L·N} states and decays of that channel in a small
 * buffer before running the adjoint recurrence backwards in time (the same choice as mamba_ssm's CUDA
 * kernel, which recomputes the states in its backward instead of saving them).
 *
 * <p>Threads split the batch into {@linkplain #chunks() fixed chunks} of {@link #ROWS_PER_CHUNK} rows.
 * Every output row is written by one chunk only; the gradient of {@code A}, a sum over the batch, is
 * accumulated per chunk and the chunks are added in chunk order ({@link #reduceA}), so results do not
 * depend on the number of threads.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class SelectiveScan {
    /** Batch rows per chunk of the backward pass (the unit of {@code dA}'s fixed-order reduction). */
    public static final int ROWS_PER_CHUNK = 8;

    private final int batch;
    private final int length;
    private final int width;
    private final int state;

    /**
     * @param batch  {@code B}
     * @param length {@code L}
     * @param width  {@code E}
     * @param state  {@code N}
     */
    public SelectiveScan(int batch, int length, int width, int state) {
        if (batch < 1 || length < 1 || width < 1 || state < 1) {
            throw new IllegalArgumentException("selective scan sizes must be positive: B = " + batch + ", L = "
                    + length + ", E = " + width + ", N = " + state);
        }
        this.batch = batch;
        this.length = length;
        this.width = width;
        this.state = state;
    }

    /** Number of backward chunks ({@code ⌈B / ROWS_PER_CHUNK⌉}). */
    public int chunks() {
        return (batch + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
    }

    /** First batch row of chunk {@code c}. */
    public int chunkStart(int c) {
        return c * ROWS_PER_CHUNK;
    }

    /** One past the last batch row of chunk {@code c}. */
    public int chunkEnd(int c) {
        return Math.min(batch, (c + 1) * ROWS_PER_CHUNK);
    }

    /** Multiply-adds per batch row of the forward loop (for a thread split). */
    public long work() {
        return (long) length * width * state * 4;
    }

    /** Values per batch row of the decays {@code exp(Δ_t[e] A[e, n])}, laid out {@code (L, N, E)}. */
    public int decayRowSize() {
        return length * state * width;
    }

    /**
     * Where a batch row's decays {@code a_t[n, e] = exp(Δ_t[e]·A[e, n])} come from, laid out
     * {@code (L, N, E)} (channels innermost, so the loops over channels vectorise). A backend may compute
     * them with its own vectorised {@code exp} as {@code exp(Δ ⊗ Aᵀ)} of shape {@code (B, L, N, E)};
     * {@link #computedDecays} computes them here.
     */
    @FunctionalInterface
    public interface DecayRows {
        /** Fills {@code dec[0, L·N·E)} with batch row {@code b}'s decays. */
        void fill(int b, double[] dec);
    }

    /** The decays computed here with {@link Math#exp} from {@code Δ (B, L, E)} and {@code A (E, N)}. */
    public DecayRows computedDecays(double[] dt, double[] a) {
        return computedDecays(dt, a, false);
    }

    /**
     * The decays computed here from {@code Δ (B, L, E)} and {@code A (E, N)}: with {@link Math#exp}, or, when
     * {@code fast}, by {@link #expNonPositive} wherever all of a row's {@code Δ_t[e]·A[e, n]} over the channels
     * lie in {@code [−87, 0]} (S6 and Mamba: {@code Δ > 0}, {@code A < 0}; {@code Math.exp} elsewhere). The
     * fast form is for float32 sessions: its relative error, at most 6e−9, is far below float32 rounding.
     */
    public DecayRows computedDecays(double[] dt, double[] a, boolean fast) {
        double[] aT = new double[state * width];
        for (int e = 0; e < width; e++) {
            for (int k = 0; k < state; k++) {
                aT[k * width + e] = a[e * state + k];
            }
        }
        return (b, dec) -> {
            for (int t = 0; t < length; t++) {
                int i0 = (b * length + t) * width;
                for (int k = 0; k < state; k++) {
                    int off = (t * state + k) * width;
                    int ao = k * width;
                    boolean inRange = true;
                    for (int e = 0; e < width; e++) {
                        double x = dt[i0 + e] * aT[ao + e];
                        dec[off + e] = x;
                        inRange &= (x >= -87.0) & (x <= 0.0);
                    }
                    if (fast && inRange) {
                        expNonPositive(dec, off, width);
                    } else {
                        for (int e = 0; e < width; e++) {
                            dec[off + e] = Math.exp(dec[off + e]);
                        }
                    }
                }
            }
        };
    }

    /**
     * {@code x ← exp(x)} in place for {@code x ∈ [−87, 0]}: the Taylor polynomial of degree 11 at
     * {@code z = x/128} ({@code |z| ≤ 0.68}, truncation below 5e−11 relative), squared seven times (relative error
     * at most about 6e−9, 1e−14 for {@code |x| ≤ 5}). Straight-line arithmetic that the JIT vectorises, where
     * {@link Math#exp} runs one element at a time (about 4× slower measured on the build machine).
     */
    static void expNonPositive(double[] x, int off, int n) {
        for (int e = 0; e < n; e++) {
            double z = x[off + e] * (1.0 / 128);
            double p = 1.0 / 39916800;
            p = p * z + 1.0 / 3628800;
            p = p * z + 1.0 / 362880;
            p = p * z + 1.0 / 40320;
            p = p * z + 1.0 / 5040;
            p = p * z + 1.0 / 720;
            p = p * z + 1.0 / 120;
            p = p * z + 1.0 / 24;
            p = p * z + 1.0 / 6;
            p = p * z + 0.5;
            p = p * z + 1.0;
            p = p * z + 1.0;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            x[off + e] = p;
        }
    }

    /**
     * The decays of every batch row kept from the forward pass for the backward pass (so {@code exp} runs
     * once per element per training step): {@code B·L·N·E} values, as floats for float32 sessions (the
     * precision the generic graph computes them in) or doubles for float64 sessions. A backend may keep one
     * from step to step ({@link #fits}) instead of allocating it again.
     */
    public static final class Decays {
        private final float[] floats;
        private final double[] doubles;
        private final int rowSize;

        /**
         * @param rows    batch rows
         * @param rowSize values per row ({@link #decayRowSize()})
         * @param exact   keep doubles (float64 sessions) rather than floats
         */
        public Decays(int rows, int rowSize, boolean exact) {
            int n = Math.multiplyExact(rows, rowSize);
            this.floats = exact ? null : new float[n];
            this.doubles = exact ? new double[n] : null;
            this.rowSize = rowSize;
        }

        /** Whether this store holds {@code rows} rows of {@code rowSize} at the given precision. */
        public boolean fits(int rows, int rowSize, boolean exact) {
            long n = (long) rows * rowSize;
            return this.rowSize == rowSize && (exact ? doubles != null && doubles.length == n
                    : floats != null && floats.length == n);
        }

        /** Stores row {@code b}. */
        public void put(int b, double[] row) {
            int o = b * rowSize;
            if (doubles != null) {
                System.arraycopy(row, 0, doubles, o, rowSize);
            } else {
                for (int i = 0; i < rowSize; i++) {
                    floats[o + i] = (float) row[i];
                }
            }
        }

        /** Reads row {@code b} into {@code row}. */
        public void get(int b, double[] row) {
            int o = b * rowSize;
            if (doubles != null) {
                System.arraycopy(doubles, o, row, 0, rowSize);
            } else {
                for (int i = 0; i < rowSize; i++) {
                    row[i] = floats[o + i];
                }
            }
        }

        /** The rows computed by {@code source} and stored here on the way (for the forward pass). */
        public DecayRows keeping(DecayRows source) {
            return (b, row) -> {
                source.fill(b, row);
                put(b, row);
            };
        }

        /** The stored rows (for the backward pass). */
        public DecayRows stored() {
            return this::get;
        }
    }

    /** Per-thread arrays of the row loops (a few {@code L·N·E} doubles). */
    public final class Work {
        final double[] dec = new double[length * state * width];
        final double[] hs = new double[(length + 1) * state * width];
        final double[] g = new double[state * width];
        final double[] v = new double[width];
        final double[] dv = new double[width];
        final double[] dd = new double[width];
        final double[] gk = new double[width];
        final double[] aT = new double[state * width];
        final double[] dAT = new double[state * width];
    }

    /** Fresh arrays for one thread. */
    public Work work(double[] a) {
        Work w = new Work();
        for (int e = 0; e < width; e++) {
            for (int k = 0; k < state; k++) {
                w.aT[k * width + e] = a[e * state + k];
            }
        }
        return w;
    }

    /**
     * {@code y} for batch rows {@code [from, to)}:
     * {@code h_t = exp(Δ_t A) ⊙ h_{t−1} + Δ_t u_t B_t}, {@code y_t = Σ_n C_t[n] h_t[·, n]} (summed in
     * order of {@code n}), {@code h_0 = 0}. The state is held as {@code (N, E)}, channels innermost.
     */
    public void forward(double[] u, double[] dt, double[] bm, double[] cm, DecayRows decays, double[] y,
                        int from, int to, Work w) {
        int n = state;
        int ne = n * width;
        double[] h = w.g;
        double[] dec = w.dec;
        double[] v = w.v;
        for (int b = from; b < to; b++) {
            decays.fill(b, dec);
            java.util.Arrays.fill(h, 0, ne, 0.0);
            for (int t = 0; t < length; t++) {
                int base = (b * length + t) * width;
                int bt = (b * length + t) * n;
                for (int e = 0; e < width; e++) {
                    v[e] = dt[base + e] * u[base + e];
                    y[base + e] = 0.0;
                }
                for (int k = 0; k < n; k++) {
                    double bk = bm[bt + k];
                    double ck = cm[bt + k];
                    int off = (t * n + k) * width;
                    int ho = k * width;
                    for (int e = 0; e < width; e++) {
                        double hv = dec[off + e] * h[ho + e] + v[e] * bk;
                        h[ho + e] = hv;
                        y[base + e] += ck * hv;
                    }
                }
            }
        }
    }

    /**
     * The gradients for the batch rows of chunk {@code chunk}, given {@code dy = ∂loss/∂y}. Writes
     * {@code du, dΔ} {@code (B, L, E)} and {@code dB, dC} {@code (B, L, N)} for those rows (overwriting),
     * and this chunk's part of {@code dA} into {@code dAPart} ({@code (E, N)}, overwritten); the caller adds
     * the parts with {@link #reduceA}. With {@code g_t = ∂loss/∂h_t} (carried back through time),
     * {@code a_t = exp(Δ_t A)} and {@code v_t = Δ_t u_t}:
     * <pre>
     *   g_t   = g_{t+1} ⊙ a_{t+1} + dy_t C_t          dC_t = Σ_e dy_t[e] h_t[e, ·]
     *   dv_t  = Σ_n g_t B_t                            dB_t = Σ_e v_t[e] g_t[e, ·]
     *   dΔ_t  = Σ_n g_t h_{t−1} a_t A + dv_t u_t       du_t = dv_t Δ_t
     *   dA    = Σ_{b,t} g_t h_{t−1} a_t Δ_t
     * </pre>
     * The states {@code h_t} of each row are recomputed from its inputs and decays first.
     */
    public void backward(double[] u, double[] dt, double[] bm, double[] cm, DecayRows decays, double[] dy,
                         double[] du, double[] ddt, double[] db, double[] dc, double[] dAPart, int chunk, Work w) {
        int n = state;
        int ne = n * width;
        double[] hs = w.hs;
        double[] dec = w.dec;
        double[] g = w.g;
        double[] v = w.v;
        double[] dv = w.dv;
        double[] dd = w.dd;
        double[] gk = w.gk;
        double[] aT = w.aT;
        double[] dAT = w.dAT;
        java.util.Arrays.fill(dAT, 0.0);
        for (int b = chunkStart(chunk); b < chunkEnd(chunk); b++) {
            decays.fill(b, dec);
            java.util.Arrays.fill(hs, 0, ne, 0.0);
            for (int t = 0; t < length; t++) {
                int base = (b * length + t) * width;
                int bt = (b * length + t) * n;
                for (int e = 0; e < width; e++) {
                    v[e] = dt[base + e] * u[base + e];
                }
                for (int k = 0; k < n; k++) {
                    double bk = bm[bt + k];
                    int off = (t * n + k) * width;
                    int prev = t * ne + k * width;
                    int cur = prev + ne;
                    for (int e = 0; e < width; e++) {
                        hs[cur + e] = dec[off + e] * hs[prev + e] + v[e] * bk;
                    }
                }
            }
            java.util.Arrays.fill(g, 0, ne, 0.0);
            for (int t = length - 1; t >= 0; t--) {
                int base = (b * length + t) * width;
                int bt = (b * length + t) * n;
                for (int e = 0; e < width; e++) {
                    v[e] = dt[base + e] * u[base + e];
                    dv[e] = 0.0;
                    dd[e] = 0.0;
                }
                for (int k = 0; k < n; k++) {
                    double bk = bm[bt + k];
                    double ck = cm[bt + k];
                    int off = (t * n + k) * width;
                    int ho = k * width;
                    int prev = t * ne + ho;
                    int cur = prev + ne;
                    for (int e = 0; e < width; e++) {
                        double gv = g[ho + e] + dy[base + e] * ck;
                        double ak = dec[off + e];
                        double dz = gv * hs[prev + e] * ak; // ∂loss/∂(Δ_t[e] A[e, k])
                        gk[e] = gv;
                        dv[e] += gv * bk;
                        dd[e] += dz * aT[ho + e];
                        dAT[ho + e] += dz * dt[base + e];
                        g[ho + e] = gv * ak;
                    }
                    dc[bt + k] = dot(dy, base, hs, cur);
                    db[bt + k] = dot(gk, 0, v, 0);
                }
                for (int e = 0; e < width; e++) {
                    ddt[base + e] = dd[e] + dv[e] * u[base + e];
                    du[base + e] = dv[e] * dt[base + e];
                }
            }
        }
        for (int e = 0; e < width; e++) {
            for (int k = 0; k < n; k++) {
                dAPart[e * n + k] = dAT[k * width + e];
            }
        }
    }

    /**
     * The layer's output after the scan, for batch rows {@code [from, to)}: {@code pre = y + D ⊙ u} written over
     * {@code y} (kept for the backward pass), and {@code out = pre ⊙ SiLU(z)}, or {@code out = pre} when {@code z}
     * is null (S6 alone; the Mamba v1 block gates with its {@code z} half). {@code D} is {@code (E)}, the rest
     * {@code (B, L, E)}, except that {@code out} holds only these rows: element {@code i} of the batch's
     * {@code (B, L, E)} index space goes to {@code out[i − from·L·E]}. {@code fast}: the sigmoids from
     * {@link #expNonPositive} (float32 sessions).
     */
    public void skipAndGate(double[] u, double[] d, double[] z, double[] y, double[] out, int from, int to,
                            boolean fast) {
        int shift = from * length * width;
        double[] sig = new double[width];
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int base = (b * length + t) * width;
                for (int e = 0; e < width; e++) {
                    y[base + e] += d[e] * u[base + e];
                }
                if (z == null) {
                    System.arraycopy(y, base, out, base - shift, width);
                    continue;
                }
                sigmoid(z, base, sig, fast);
                for (int e = 0; e < width; e++) {
                    out[base - shift + e] = y[base + e] * z[base + e] * sig[e];
                }
            }
        }
    }

    /**
     * The backward of {@link #skipAndGate} for batch rows {@code [from, to)}, given {@code dOut}: writes
     * {@code dy = dOut ⊙ SiLU(z)} (the scan's output gradient; {@code dOut} when {@code z} is null) and
     * {@code dz = dOut ⊙ pre ⊙ SiLU'(z)}, {@code SiLU'(z) = σ(z)(1 + z(1 − σ(z)))}, and adds these rows'
     * {@code Σ dy ⊙ u} into {@code dD} ({@code (E)}). The skip's part of {@code du}, {@code dy ⊙ D}, is added by
     * {@link #addSkipGradient} after the scan's backward has written {@code du}.
     */
    public void skipAndGateBackward(double[] u, double[] z, double[] pre, double[] dOut, double[] dy, double[] dz,
                                    double[] dD, int from, int to, boolean fast) {
        double[] sig = new double[width];
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int base = (b * length + t) * width;
                if (z == null) {
                    System.arraycopy(dOut, base, dy, base, width);
                } else {
                    sigmoid(z, base, sig, fast);
                    for (int e = 0; e < width; e++) {
                        double sg = sig[e];
                        double zv = z[base + e];
                        double go = dOut[base + e];
                        dy[base + e] = go * zv * sg;
                        dz[base + e] = go * pre[base + e] * sg * (1.0 + zv * (1.0 - sg));
                    }
                }
                for (int e = 0; e < width; e++) {
                    dD[e] += dy[base + e] * u[base + e];
                }
            }
        }
    }

    /** {@code du += dy ⊙ D} for batch rows {@code [from, to)} (the skip's part of the input gradient). */
    public void addSkipGradient(double[] dy, double[] d, double[] du, int from, int to) {
        for (int b = from; b < to; b++) {
            for (int t = 0; t < length; t++) {
                int base = (b * length + t) * width;
                for (int e = 0; e < width; e++) {
                    du[base + e] += dy[base + e] * d[e];
                }
            }
        }
    }

    /**
     * {@code sig[e] = σ(z[base + e])} for the {@code E} channels: {@code σ(z) = 1/(1 + e^{−z})} for {@code z ≥ 0},
     * {@code e^{z}/(1 + e^{z})} below, so the exponential's argument {@code −|z|} is never positive (clamped at
     * −87, where {@code e^{−87}} is below float32 resolution next to 1).
     */
    private void sigmoid(double[] z, int base, double[] sig, boolean fast) {
        sigmoid(z, base, sig, width, fast);
    }

    /** {@code sig[e] = σ(z[base + e])} for {@code e < n}, as {@link #sigmoid(double[], int, double[], boolean)}. */
    static void sigmoid(double[] z, int base, double[] sig, int n, boolean fast) {
        for (int e = 0; e < n; e++) {
            sig[e] = -Math.min(Math.abs(z[base + e]), 87.0);
        }
        if (fast) {
            expNonPositive(sig, 0, n);
        } else {
            for (int e = 0; e < n; e++) {
                sig[e] = Math.exp(sig[e]);
            }
        }
        for (int e = 0; e < n; e++) {
            double ex = sig[e];
            double r = 1.0 / (1.0 + ex);
            sig[e] = z[base + e] >= 0 ? r : ex * r;
        }
    }

    /** {@code Σ_e x[xo + e]·y[yo + e]} over the channels, four partial sums added in a fixed order. */
    private double dot(double[] x, int xo, double[] y, int yo) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int e = 0;
        for (; e + 3 < width; e += 4) {
            s0 += x[xo + e] * y[yo + e];
            s1 += x[xo + e + 1] * y[yo + e + 1];
            s2 += x[xo + e + 2] * y[yo + e + 2];
            s3 += x[xo + e + 3] * y[yo + e + 3];
        }
        for (; e < width; e++) {
            s0 += x[xo + e] * y[yo + e];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code dA = Σ_c parts[c]} added in chunk order (the reduction that keeps results thread-count free). */
    public double[] reduceA(double[][] parts) {
        double[] out = new double[width * state];
        for (double[] p : parts) {
            for (int i = 0; i < out.length; i++) {
                out[i] += p[i];
            }
        }
        return out;
    }
}
