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

    /**
     * {@code y} for batch rows {@code [from, to)}:
     * {@code h_t = exp(Δ_t A) ⊙ h_{t−1} + Δ_t u_t B_t}, {@code y_t = Σ_n C_t[n] h_t[·, n]}, {@code h_0 = 0}.
     */
    public void forward(double[] u, double[] dt, double[] a, double[] bm, double[] cm, double[] y, int from, int to) {
        int n = state;
        double[] h = new double[n];
        for (int b = from; b < to; b++) {
            for (int e = 0; e < width; e++) {
                java.util.Arrays.fill(h, 0.0);
                int ae = e * n;
                for (int t = 0; t < length; t++) {
                    int i = (b * length + t) * width + e;
                    int bt = (b * length + t) * n;
                    double d = dt[i];
                    double du = d * u[i];
                    double acc = 0.0;
                    for (int k = 0; k < n; k++) {
                        double hk = Math.exp(d * a[ae + k]) * h[k] + du * bm[bt + k];
                        h[k] = hk;
                        acc += cm[bt + k] * hk;
                    }
                    y[i] = acc;
                }
            }
        }
    }

    /**
     * The gradients for the batch rows of chunk {@code chunk}, given {@code dy = ∂loss/∂y}. Writes
     * {@code du, dΔ} {@code (B, L, E)} and {@code dB, dC} {@code (B, L, N)} for those rows (overwriting),
     * and this chunk's part of {@code dA} into {@code dAPart} ({@code E·N}, overwritten); the caller adds
     * the parts with {@link #reduceA}. With {@code g_t = ∂loss/∂h_t} (carried back through time),
     * {@code a_t = exp(Δ_t A)} and {@code v_t = Δ_t u_t}:
     * <pre>
     *   g_t   = g_{t+1} ⊙ a_{t+1} + dy_t C_t          dC_t = Σ_e dy_t[e] h_t[e, ·]
     *   dv_t  = Σ_n g_t B_t                            dB_t = Σ_e v_t[e] g_t[e, ·]
     *   dΔ_t  = Σ_n g_t h_{t−1} a_t A + dv_t u_t       du_t = dv_t Δ_t
     *   dA    = Σ_{b,t} g_t h_{t−1} a_t Δ_t
     * </pre>
     */
    public void backward(double[] u, double[] dt, double[] a, double[] bm, double[] cm, double[] dy,
                         double[] du, double[] ddt, double[] db, double[] dc, double[] dAPart, int chunk) {
        int n = state;
        int from = chunkStart(chunk);
        int to = chunkEnd(chunk);
        double[] hs = new double[(length + 1) * n]; // hs[t·N ..] = h_t (h_0 = 0)
        double[] dec = new double[length * n];      // dec[t·N ..] = a_{t+1}
        double[] g = new double[n];
        java.util.Arrays.fill(dAPart, 0, width * n, 0.0);
        for (int b = from; b < to; b++) {
            int rowN = b * length * n;
            java.util.Arrays.fill(db, rowN, rowN + length * n, 0.0);
            java.util.Arrays.fill(dc, rowN, rowN + length * n, 0.0);
            for (int e = 0; e < width; e++) {
                int ae = e * n;
                // recompute this channel's states and decays
                for (int t = 0; t < length; t++) {
                    int i = (b * length + t) * width + e;
                    int bt = (b * length + t) * n;
                    double d = dt[i];
                    double v = d * u[i];
                    int prev = t * n;
                    int cur = prev + n;
                    for (int k = 0; k < n; k++) {
                        double ak = Math.exp(d * a[ae + k]);
                        dec[prev + k] = ak;
                        hs[cur + k] = ak * hs[prev + k] + v * bm[bt + k];
                    }
                }
                java.util.Arrays.fill(g, 0.0);
                for (int t = length - 1; t >= 0; t--) {
                    int i = (b * length + t) * width + e;
                    int bt = (b * length + t) * n;
                    double gy = dy[i];
                    double d = dt[i];
                    double uu = u[i];
                    double v = d * uu;
                    int prev = t * n;
                    int cur = prev + n;
                    double dv = 0.0;
                    double dd = 0.0;
                    for (int k = 0; k < n; k++) {
                        double gk = g[k] + gy * cm[bt + k];
                        dc[bt + k] += gy * hs[cur + k];
                        dv += gk * bm[bt + k];
                        db[bt + k] += gk * v;
                        double ak = dec[prev + k];
                        double dz = gk * hs[prev + k] * ak; // ∂loss/∂(Δ_t A[e, k])
                        dd += dz * a[ae + k];
                        dAPart[ae + k] += dz * d;
                        g[k] = gk * ak;
                    }
                    ddt[i] = dd + dv * uu;
                    du[i] = dv * d;
                }
            }
        }
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
