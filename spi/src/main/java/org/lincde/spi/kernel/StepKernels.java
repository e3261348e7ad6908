package org.lincde.spi.kernel;

import java.util.Optional;
import org.lincde.spi.Stability;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.structure.BlockDiagonalStructure;
import org.lincde.spi.structure.DiagonalDenseStructure;
import org.lincde.spi.structure.DplrStructure;
import org.lincde.spi.structure.WalshHadamardTransform;

/**
 * The fused step kernels of the built-in structures (SPEC §1.1, §1.5) over primitive arrays, and the
 * dispatcher that picks one for a configured field: the inner loops of the backends' fused
 * recurrences (DJL, ND4J), written once. Plugins (any class outside {@code org.lincde.spi.structure})
 * and the linear DPLR form (whose step reads parameters directly) get none: they run the generic
 * path. Backends may decline more (DJL leaves dense fields to libtorch's batched products).
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public final class StepKernels {
    private StepKernels() {}

    /** Whether {@code field} comes from one of the built-in structures (whose code lincde knows). */
    public static boolean builtIn(StructuredVectorField field) {
        return field.structure().getClass().getName().startsWith("org.lincde.spi.structure.");
    }

    /** The kernel for {@code field}, or empty when the field must use the generic path. */
    public static Optional<StepKernel> forField(StructuredVectorField field) {
        if (!builtIn(field)) {
            return Optional.empty();
        }
        int h = field.hidden();
        StepKernel k;
        switch (field.structure().id()) {
            case "diagonal":
                k = new Diagonal(h);
                break;
            case "block-diagonal":
                k = new Blocks(h, ((BlockDiagonalStructure.Field) field).blockSize());
                break;
            case "dense":
            case "sparse":
                k = new Blocks(h, h);
                break;
            case "walsh-hadamard":
                k = new WalshHadamard(h);
                break;
            case "dplr": {
                DplrStructure.Field f = (DplrStructure.Field) field;
                if (f.rank() == 0) {
                    k = new Diagonal(h);
                } else if (f.form() == DplrStructure.Form.QUADRATIC) {
                    k = new Dplr(h, f.rank());
                } else {
                    return Optional.empty();
                }
                break;
            }
            case "diagonal-dense":
                k = new DiagonalDense(h, ((DiagonalDenseStructure.Field) field).blockSize());
                break;
            default:
                return Optional.empty();
        }
        if (k.coefficientCount() != field.coefficientCount()) {
            throw new IllegalStateException("fused kernel for " + field.spec() + " expects " + k.coefficientCount()
                    + " coefficients per step, the field has " + field.coefficientCount());
        }
        return Optional.of(k);
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
        public int workspace() {
            return 0;
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
        public int workspace() {
            return 0;
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

    /** Walsh–Hadamard: {@code s = H_h (c ⊙ y) / √h} through the fast transform. */
    static final class WalshHadamard implements StepKernel {
        private final int h;
        private final double norm;

        WalshHadamard(int h) {
            this.h = h;
            this.norm = 1.0 / Math.sqrt(h);
        }

        @Override
        public int coefficientCount() {
            return h;
        }

        @Override
        public int workspace() {
            return h;
        }

        @Override
        public void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws) {
            for (int p = 0; p < h; p++) {
                ws[p] = c[co + p] * y[yo + p];
            }
            WalshHadamardTransform.transform(ws, 0, h);
            for (int p = 0; p < h; p++) {
                s[so + p] = ws[p] * norm;
            }
        }

        /** {@code w = H ds / √h} (H is symmetric); {@code dc = w ⊙ y}; {@code dy += w ⊙ c}. */
        @Override
        public void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                             double[] dy, int dyo, double[] ws) {
            System.arraycopy(ds, dso, ws, 0, h);
            WalshHadamardTransform.transform(ws, 0, h);
            for (int p = 0; p < h; p++) {
                double w = ws[p] * norm;
                dc[dco + p] = w * y[yo + p];
                dy[dyo + p] += w * c[co + p];
            }
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
        public int workspace() {
            return 0;
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
