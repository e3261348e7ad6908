package org.lincde.examples.banded;

import org.lincde.spi.kernel.StepKernel;

/**
 * The banded field's fused step over primitive arrays, offered through
 * {@link BandedStructure.Field#stepKernel()}: backends with fused recurrences (DJL, ND4J) run it
 * instead of the generic per-step {@code TensorOps} loop. Coefficients are the band store
 * {@code m} ({@code h × (2w+1)}, row {@code p}, offset {@code k} at column {@code k + w}):
 * <pre>
 *   s_p        = Σ_{k=−w..w, 0≤p+k&lt;h} m[p, k+w] · y_{p+k}
 *   dm[p, k+w] = ds_p · y_{p+k}          (0 for the corner entries outside the matrix)
 *   dy_{p+k}  += m[p, k+w] · ds_p
 * </pre>
 */
final class BandedKernel implements StepKernel {
    private final int h;
    private final int w;
    private final int width;

    BandedKernel(int h, int w) {
        this.h = h;
        this.w = w;
        this.width = 2 * w + 1;
    }

    @Override
    public int coefficientCount() {
        return h * width;
    }

    @Override
    public void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws) {
        for (int p = 0; p < h; p++) {
            int row = co + p * width + w;       // m[p, w]: offset 0
            double acc = 0.0;
            for (int k = Math.max(-w, -p); k <= Math.min(w, h - 1 - p); k++) {
                acc += c[row + k] * y[yo + p + k];
            }
            s[so + p] = acc;
        }
    }

    @Override
    public void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                         double[] dy, int dyo, double[] ws) {
        for (int p = 0; p < h; p++) {
            double g = ds[dso + p];
            int row = p * width + w;
            for (int k = -w; k <= w; k++) {
                int q = p + k;
                if (q < 0 || q >= h) {
                    dc[dco + row + k] = 0.0;
                    continue;
                }
                dc[dco + row + k] = g * y[yo + q];
                dy[dyo + q] += c[co + row + k] * g;
            }
        }
    }
}
