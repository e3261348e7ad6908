package org.lincde.spi.kernel;

import java.util.Optional;
import org.lincde.spi.Stability;
import org.lincde.spi.StructuredVectorField;

/**
 * The fused step kernels of the built-in structures (SPEC §1.1, §1.5) over primitive arrays: the inner
 * loops of the backends' fused recurrences (DJL, ND4J), written once. A field offers its kernel itself
 * ({@link StructuredVectorField#stepKernel()}); the built-in fields return these, a plugin field may
 * return one of these or its own. Backends ask through {@link #forField}, and may decline more (DJL
 * runs dense fields through {@code TensorOps.fusedDenseRecurrence}, libtorch GEMMs on reordered sums).
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public final class StepKernels {
    private StepKernels() {}

    /**
     * The kernel {@code field} offers, checked against the field's coefficient count, or empty when
     * the field has none (it runs the generic path).
     *
     * @throws IllegalStateException when the kernel expects another number of coefficients per step
     */
    public static Optional<StepKernel> forField(StructuredVectorField field) {
        Optional<StepKernel> k = field.stepKernel();
        if (k.isPresent() && k.get().coefficientCount() != field.coefficientCount()) {
            throw new IllegalStateException("fused kernel for " + field.spec() + " expects "
                    + k.get().coefficientCount() + " coefficients per step, the field has "
                    + field.coefficientCount());
        }
        return k;
    }

    /** Diagonal: {@code s = c ⊙ y}, {@code h} coefficients. */
    public static StepKernel diagonal(int h) {
        return new Diagonal(h);
    }

    /**
     * Block-diagonal with {@code h/b} dense {@code b×b} blocks (block slowest, then row, then column),
     * {@code h·b} coefficients; {@code b = h} is the dense field.
     */
    public static StepKernel blocks(int h, int b) {
        if (b <= 0 || h % b != 0) {
            throw new IllegalArgumentException("block kernel: block size " + b + " must divide h = " + h);
        }
        return new Blocks(h, b);
    }

    /** R1's quadratic DPLR: coefficients {@code [a (h) | U (h×r) | V (h×r)]}, {@code s = a ⊙ y + U (Vᵀ y)}. */
    public static StepKernel dplr(int h, int r) {
        return new Dplr(h, r);
    }

    /** Diagonal on the first {@code h−b} coordinates ⊕ one dense {@code b×b} block on the last {@code b}. */
    public static StepKernel diagonalDense(int h, int b) {
        return new DiagonalDense(h, b);
    }

    /** Diagonal: {@code s = c ⊙ y}. */
    static final class Diagonal implements StepKernel {
        private final int h;

        Diagonal(int h) {
            this.h = h;
        }

        @Override
        public int coefficientCount() {
            return h;
        }

        @Override
        public void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws) {
            for (int p = 0; p < h; p++) {
                s[so + p] = c[co + p] * y[yo + p];
            }
        }

        @Override
        public void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                             double[] dy, int dyo, double[] ws) {
            for (int p = 0; p < h; p++) {
                double g = ds[dso + p];
                dc[dco + p] = g * y[yo + p];
                dy[dyo + p] += g * c[co + p];
            }
        }
    }

    /**
     * Block-diagonal with {@code h/b} blocks {@code M_j} of {@code b×b} (block slowest, then row, then
     * column): {@code s_j = M_j y_j}. Dense and sparse are the single block {@code b = h}.
     */
    static final class Blocks implements StepKernel {
        private final int h;
        private final int b;

        Blocks(int h, int b) {
            this.h = h;
            this.b = b;
        }

        @Override
        public int coefficientCount() {
            return h * b;
        }

        @Override
        public void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws) {
            blockApply(c, co, y, yo, s, so, h / b, b);
        }

        @Override
        public void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                             double[] dy, int dyo, double[] ws) {
            blockBackward(c, co, y, yo, ds, dso, dc, dco, dy, dyo, h / b, b);
        }
    }

    static void blockApply(double[] c, int co, double[] y, int yo, double[] s, int so, int blocks, int b) {
        if (b == 4) {
            block4Apply(c, co, y, yo, s, so, blocks);
            return;
        }
        for (int j = 0; j < blocks; j++) {
            int mj = co + j * b * b;
            int yj = yo + j * b;
            for (int row = 0; row < b; row++) {
                int m = mj + row * b;
                double acc = 0.0;
                for (int col = 0; col < b; col++) {
                    acc += c[m + col] * y[yj + col];
                }
                s[so + j * b + row] = acc;
            }
        }
    }

    /**
     * {@code dM_j = ds_j y_jᵀ}; {@code dy_j += M_jᵀ ds_j}. Each {@code dy} entry is summed in a local
     * (rows in order, so the same roundings as adding into the array) instead of through memory.
     */
    static void blockBackward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                              double[] dy, int dyo, int blocks, int b) {
        if (b == 4) {
            block4Backward(c, co, y, yo, ds, dso, dc, dco, dy, dyo, blocks);
            return;
        }
        for (int j = 0; j < blocks; j++) {
            int mj = j * b * b;
            int yj = j * b;
            for (int row = 0; row < b; row++) {
                double g = ds[dso + yj + row];
                int m = mj + row * b;
                for (int col = 0; col < b; col++) {
                    dc[dco + m + col] = g * y[yo + yj + col];
                }
            }
            for (int col = 0; col < b; col++) {
                double d = dy[dyo + yj + col];
                for (int row = 0; row < b; row++) {
                    d += ds[dso + yj + row] * c[co + mj + row * b + col];
                }
                dy[dyo + yj + col] = d;
            }
        }
    }

    /** {@link #blockApply} unrolled for BD4 (the papers' block size): the same sums in the same order. */
    private static void block4Apply(double[] c, int co, double[] y, int yo, double[] s, int so, int blocks) {
        for (int j = 0; j < blocks; j++) {
            int m = co + 16 * j;
            int yj = yo + 4 * j;
            int sj = so + 4 * j;
            double y0 = y[yj];
            double y1 = y[yj + 1];
            double y2 = y[yj + 2];
            double y3 = y[yj + 3];
            s[sj] = c[m] * y0 + c[m + 1] * y1 + c[m + 2] * y2 + c[m + 3] * y3;
            s[sj + 1] = c[m + 4] * y0 + c[m + 5] * y1 + c[m + 6] * y2 + c[m + 7] * y3;
            s[sj + 2] = c[m + 8] * y0 + c[m + 9] * y1 + c[m + 10] * y2 + c[m + 11] * y3;
            s[sj + 3] = c[m + 12] * y0 + c[m + 13] * y1 + c[m + 14] * y2 + c[m + 15] * y3;
        }
    }

    /** {@link #blockBackward} unrolled for BD4: the same products and sums in the same order. */
    private static void block4Backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc,
                                       int dco, double[] dy, int dyo, int blocks) {
        for (int j = 0; j < blocks; j++) {
            int m = co + 16 * j;
            int d = dco + 16 * j;
            int yj = yo + 4 * j;
            int gj = dso + 4 * j;
            int dj = dyo + 4 * j;
            double y0 = y[yj];
            double y1 = y[yj + 1];
            double y2 = y[yj + 2];
            double y3 = y[yj + 3];
            double g0 = ds[gj];
            double g1 = ds[gj + 1];
            double g2 = ds[gj + 2];
            double g3 = ds[gj + 3];
            dc[d] = g0 * y0;
            dc[d + 1] = g0 * y1;
            dc[d + 2] = g0 * y2;
            dc[d + 3] = g0 * y3;
            dc[d + 4] = g1 * y0;
            dc[d + 5] = g1 * y1;
            dc[d + 6] = g1 * y2;
            dc[d + 7] = g1 * y3;
            dc[d + 8] = g2 * y0;
            dc[d + 9] = g2 * y1;
            dc[d + 10] = g2 * y2;
            dc[d + 11] = g2 * y3;
            dc[d + 12] = g3 * y0;
            dc[d + 13] = g3 * y1;
            dc[d + 14] = g3 * y2;
            dc[d + 15] = g3 * y3;
            dy[dj] = dy[dj] + g0 * c[m] + g1 * c[m + 4] + g2 * c[m + 8] + g3 * c[m + 12];
            dy[dj + 1] = dy[dj + 1] + g0 * c[m + 1] + g1 * c[m + 5] + g2 * c[m + 9] + g3 * c[m + 13];
            dy[dj + 2] = dy[dj + 2] + g0 * c[m + 2] + g1 * c[m + 6] + g2 * c[m + 10] + g3 * c[m + 14];
            dy[dj + 3] = dy[dj + 3] + g0 * c[m + 3] + g1 * c[m + 7] + g2 * c[m + 11] + g3 * c[m + 15];
        }
    }

    /**
     * DPLR, R1's quadratic form: coefficients {@code [a (h) | U (h×r) | V (h×r)]},
     * {@code s = a ⊙ y + U (Vᵀ y)}.
     */
    static final class Dplr implements StepKernel {
        private final int h;
        private final int r;

        Dplr(int h, int r) {
            this.h = h;
            this.r = r;
        }

        @Override
        public int coefficientCount() {
            return h + 2 * h * r;
        }

        @Override
        public int workspace() {
            return 2 * r;
        }

        @Override
        public void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws) {
            int uo = co + h;
            int vo = co + h + h * r;
            project(c, vo, y, yo, ws);
            for (int p = 0; p < h; p++) {
                double acc = c[co + p] * y[yo + p];
                int up = uo + p * r;
                for (int k = 0; k < r; k++) {
                    acc += c[up + k] * ws[k];
                }
                s[so + p] = acc;
            }
        }

        /** {@code z = Vᵀ y} into {@code ws[0..r)}. */
        private void project(double[] c, int vo, double[] y, int yo, double[] ws) {
            for (int k = 0; k < r; k++) {
                ws[k] = 0.0;
            }
            for (int q = 0; q < h; q++) {
                double yq = y[yo + q];
                int vq = vo + q * r;
                for (int k = 0; k < r; k++) {
                    ws[k] += c[vq + k] * yq;
                }
            }
        }

        /**
         * {@code da = ds ⊙ y}; {@code dU = ds zᵀ} with {@code z = Vᵀy}; {@code w = Uᵀ ds};
         * {@code dV = y wᵀ}; {@code dy += a ⊙ ds + V w}.
         */
        @Override
        public void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                             double[] dy, int dyo, double[] ws) {
            int uo = h;
            int vo = h + h * r;
            project(c, co + vo, y, yo, ws);
            for (int k = 0; k < r; k++) {
                ws[r + k] = 0.0;
            }
            for (int p = 0; p < h; p++) {
                double g = ds[dso + p];
                dc[dco + p] = g * y[yo + p];
                dy[dyo + p] += g * c[co + p];
                int up = uo + p * r;
                for (int k = 0; k < r; k++) {
                    dc[dco + up + k] = g * ws[k];
                    ws[r + k] += c[co + up + k] * g;
                }
            }
            for (int q = 0; q < h; q++) {
                double yq = y[yo + q];
                int vq = vo + q * r;
                double acc = 0.0;
                for (int k = 0; k < r; k++) {
                    double w = ws[r + k];
                    dc[dco + vq + k] = yq * w;
                    acc += c[co + vq + k] * w;
                }
                dy[dyo + q] += acc;
            }
        }
    }

    /** Diagonal on the first {@code h−b} coordinates ⊕ one dense {@code b×b} block on the last {@code b}. */
    static final class DiagonalDense implements StepKernel {
        private final int h;
        private final int b;
        private final int k;

        DiagonalDense(int h, int b) {
            this.h = h;
            this.b = b;
            this.k = h - b;
        }

        @Override
        public int coefficientCount() {
            return k + b * b;
        }

        @Override
        public void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws) {
            for (int p = 0; p < k; p++) {
                s[so + p] = c[co + p] * y[yo + p];
            }
            blockApply(c, co + k, y, yo + k, s, so + k, 1, b);
        }

        @Override
        public void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                             double[] dy, int dyo, double[] ws) {
            for (int p = 0; p < k; p++) {
                double g = ds[dso + p];
                dc[dco + p] = g * y[yo + p];
                dy[dyo + p] += g * c[co + p];
            }
            blockBackward(c, co + k, y, yo + k, ds, dso + k, dc, dco + k, dy, dyo + k, 1, b);
        }
    }
}
