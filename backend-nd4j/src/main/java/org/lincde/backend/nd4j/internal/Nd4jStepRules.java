package org.lincde.backend.nd4j.internal;

import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.structure.BlockDiagonalStructure;
import org.lincde.spi.structure.DenseStructure;
import org.lincde.spi.structure.DiagonalDenseStructure;
import org.lincde.spi.structure.DplrStructure;
import org.lincde.spi.structure.WalshHadamardStructure;
import org.lincde.spi.structure.WalshHadamardTransform;

/**
 * One time step {@code s = A(c) y} of each built-in structure and its hand-derived backward, over
 * one batch row in plain {@code double[]} (SPEC §1.1): the inner loops of {@link Nd4jRecurrence}.
 * The coefficient layouts are those of each field's {@code coefficients}/{@code apply}, so the fused
 * path equals the generic one; the tests check both, forward and backward.
 *
 * <p>Arguments: {@code c} (P coefficients), {@code y} (h state) are read; {@code s} (h) is written
 * by {@code forward}; {@code backward} writes all of {@code dc} (P) and adds {@code A(c)ᵀ gs} to
 * {@code gy} (h). {@code work} is scratch of {@link StepRule#workSize()}. No allocation.
 */
final class Nd4jStepRules {
    private Nd4jStepRules() {}

    /** One structure's step. */
    interface StepRule {
        /** Hidden size h. */
        int hidden();

        /** Coefficients per step P. */
        int coefficients();

        /** Scratch doubles needed. */
        int workSize();

        /** {@code s = A(c) y}. */
        void forward(double[] c, double[] y, double[] s, double[] work);

        /** {@code dc = ∂(A(c)y)/∂c ᵀ gs}; {@code gy += A(c)ᵀ gs}. */
        void backward(double[] c, double[] y, double[] gs, double[] dc, double[] gy, double[] work);
    }

    /**
     * The rule of a built-in {@code field}, or null when it has none (plugins, DPLR's linear form,
     * which reads parameters beyond the coefficients).
     */
    static StepRule forField(StructuredVectorField field) {
        if (!field.structure().getClass().getName().startsWith("org.lincde.spi.structure.")) {
            return null;  // only the built-ins (their ids are reserved)
        }
        int h = field.hidden();
        int p = field.coefficientCount();
        StepRule rule = null;
        if (field instanceof BlockDiagonalStructure.Field bd) {
            rule = new BlockDiagonal(h, bd.blockSize());
        } else if (field instanceof DenseStructure.Field) {  // dense and sparse: A = reshape_{h×h}(c)
            rule = new BlockDiagonal(h, h);
        } else if (field instanceof WalshHadamardStructure.Field) {
            rule = new WalshHadamard(h);
        } else if (field instanceof DiagonalDenseStructure.Field dd) {
            rule = dd.blockSize() == h ? new BlockDiagonal(h, h) : new DiagonalDense(h, dd.blockSize());
        } else if (field instanceof DplrStructure.Field dplr) {
            if (dplr.rank() == 0) {
                rule = new Diagonal(h);
            } else if (dplr.form() == DplrStructure.Form.QUADRATIC) {
                rule = new DplrQuadratic(h, dplr.rank());
            }
        } else if ("diagonal".equals(field.structure().id())) {
            rule = new Diagonal(h);
        }
        return rule != null && rule.coefficients() == p ? rule : null;
    }

    /** D-LNCDE: {@code s = c ⊙ y}. */
    static final class Diagonal implements StepRule {
        private final int h;

        Diagonal(int h) {
            this.h = h;
        }

        public int hidden() {
            return h;
        }

        public int coefficients() {
            return h;
        }

        public int workSize() {
            return 0;
        }

        public void forward(double[] c, double[] y, double[] s, double[] work) {
            for (int j = 0; j < h; j++) {
                s[j] = c[j] * y[j];
            }
        }

        public void backward(double[] c, double[] y, double[] gs, double[] dc, double[] gy, double[] work) {
            for (int j = 0; j < h; j++) {
                dc[j] = gs[j] * y[j];
                gy[j] += gs[j] * c[j];
            }
        }
    }

    /**
     * BD-LNCDE (and DE/S-LNCDE with {@code b = h}): {@code s_j = M_j y_j} per {@code b×b} block,
     * {@code M_j[r][col] = c[j·b² + r·b + col]}.
     */
    static final class BlockDiagonal implements StepRule {
        private final int h;
        private final int b;

        BlockDiagonal(int h, int b) {
            this.h = h;
            this.b = b;
        }

        public int hidden() {
            return h;
        }

        public int coefficients() {
            return h * b;
        }

        public int workSize() {
            return 0;
        }

        public void forward(double[] c, double[] y, double[] s, double[] work) {
            for (int blk = 0; blk < h / b; blk++) {
                int base = blk * b;
                int mb = blk * b * b;
                for (int r = 0; r < b; r++) {
                    s[base + r] = dot(c, mb + r * b, y, base, b);
                }
            }
        }

        /**
         * {@code Σ_k a[ao+k]·x[xo+k]} with four independent partial sums: the JIT does not vectorise
         * floating-point reductions, so independent chains are what makes a long row (DE: 128) fast.
         */
        private static double dot(double[] a, int ao, double[] x, int xo, int n) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int k = 0;
            for (; k + 3 < n; k += 4) {
                s0 += a[ao + k] * x[xo + k];
                s1 += a[ao + k + 1] * x[xo + k + 1];
                s2 += a[ao + k + 2] * x[xo + k + 2];
                s3 += a[ao + k + 3] * x[xo + k + 3];
            }
            for (; k < n; k++) {
                s0 += a[ao + k] * x[xo + k];
            }
            return (s0 + s1) + (s2 + s3);
        }

        public void backward(double[] c, double[] y, double[] gs, double[] dc, double[] gy, double[] work) {
            for (int blk = 0; blk < h / b; blk++) {
                int base = blk * b;
                int mb = blk * b * b;
                for (int r = 0; r < b; r++) {
                    int row = mb + r * b;
                    double g = gs[base + r];
                    for (int col = 0; col < b; col++) {
                        dc[row + col] = g * y[base + col];
                        gy[base + col] += c[row + col] * g;
                    }
                }
            }
        }
    }

    /** WH-LNCDE: {@code s = H (c ⊙ y) / √h} with the fast transform. */
    static final class WalshHadamard implements StepRule {
        private final int h;
        private final double norm;

        WalshHadamard(int h) {
            this.h = h;
            this.norm = 1.0 / Math.sqrt(h);
        }

        public int hidden() {
            return h;
        }

        public int coefficients() {
            return h;
        }

        public int workSize() {
            return h;
        }

        public void forward(double[] c, double[] y, double[] s, double[] work) {
            for (int j = 0; j < h; j++) {
                s[j] = c[j] * y[j];
            }
            WalshHadamardTransform.transform(s, 0, h);
            for (int j = 0; j < h; j++) {
                s[j] *= norm;
            }
        }

        public void backward(double[] c, double[] y, double[] gs, double[] dc, double[] gy, double[] work) {
            System.arraycopy(gs, 0, work, 0, h);          // gz = Hᵀ gs / √h = H gs / √h
            WalshHadamardTransform.transform(work, 0, h);
            for (int j = 0; j < h; j++) {
                double gz = work[j] * norm;
                dc[j] = gz * y[j];
                gy[j] += gz * c[j];
            }
        }
    }

    /**
     * DPLR-LNCDE, quadratic form (R1): {@code c = [a (h), U (h·r), V (h·r)]},
     * {@code s = a ⊙ y + U (Vᵀ y)}.
     */
    static final class DplrQuadratic implements StepRule {
        private final int h;
        private final int r;

        DplrQuadratic(int h, int r) {
            this.h = h;
            this.r = r;
        }

        public int hidden() {
            return h;
        }

        public int coefficients() {
            return h + 2 * h * r;
        }

        public int workSize() {
            return 2 * r;
        }

        /** {@code z = Vᵀ y} into {@code work[0..r)}. */
        private void project(double[] c, double[] y, double[] work) {
            int v0 = h + h * r;
            for (int k = 0; k < r; k++) {
                work[k] = 0;
            }
            for (int q = 0; q < h; q++) {
                double yq = y[q];
                int row = v0 + q * r;
                for (int k = 0; k < r; k++) {
                    work[k] += c[row + k] * yq;
                }
            }
        }

        public void forward(double[] c, double[] y, double[] s, double[] work) {
            project(c, y, work);
            for (int p = 0; p < h; p++) {
                int row = h + p * r;
                double acc = c[p] * y[p];
                for (int k = 0; k < r; k++) {
                    acc += c[row + k] * work[k];
                }
                s[p] = acc;
            }
        }

        public void backward(double[] c, double[] y, double[] gs, double[] dc, double[] gy, double[] work) {
            project(c, y, work);                          // z = Vᵀ y
            int v0 = h + h * r;
            for (int k = 0; k < r; k++) {
                work[r + k] = 0;                          // gz = Uᵀ gs
            }
            for (int p = 0; p < h; p++) {
                double g = gs[p];
                dc[p] = g * y[p];
                gy[p] += g * c[p];
                int row = h + p * r;
                for (int k = 0; k < r; k++) {
                    dc[row + k] = g * work[k];
                    work[r + k] += c[row + k] * g;
                }
            }
            for (int q = 0; q < h; q++) {
                int row = v0 + q * r;
                double acc = 0;
                for (int k = 0; k < r; k++) {
                    dc[row + k] = y[q] * work[r + k];
                    acc += c[row + k] * work[r + k];
                }
                gy[q] += acc;
            }
        }
    }

    /**
     * D-DE-LNCDE: {@code c = [d (h−b), M (b·b)]}, {@code s = d ⊙ y[0:h−b] ⊕ M y[h−b:h]}.
     */
    static final class DiagonalDense implements StepRule {
        private final int h;
        private final int b;
        private final int k;

        DiagonalDense(int h, int b) {
            this.h = h;
            this.b = b;
            this.k = h - b;
        }

        public int hidden() {
            return h;
        }

        public int coefficients() {
            return k + b * b;
        }

        public int workSize() {
            return 0;
        }

        public void forward(double[] c, double[] y, double[] s, double[] work) {
            for (int j = 0; j < k; j++) {
                s[j] = c[j] * y[j];
            }
            for (int r = 0; r < b; r++) {
                int row = k + r * b;
                double acc = 0;
                for (int col = 0; col < b; col++) {
                    acc += c[row + col] * y[k + col];
                }
                s[k + r] = acc;
            }
        }

        public void backward(double[] c, double[] y, double[] gs, double[] dc, double[] gy, double[] work) {
            for (int j = 0; j < k; j++) {
                dc[j] = gs[j] * y[j];
                gy[j] += gs[j] * c[j];
            }
            for (int r = 0; r < b; r++) {
                int row = k + r * b;
                double g = gs[k + r];
                for (int col = 0; col < b; col++) {
                    dc[row + col] = g * y[k + col];
                    gy[k + col] += c[row + col] * g;
                }
            }
        }
    }
}
