package org.lincde.spi.structure;

import com.google.auto.service.AutoService;
import java.util.Optional;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Shapes;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.StepKernel;

/**
 * WH-LNCDE (SPEC §1.1 item 4): {@code A(u) = H_n · diag(a)}, {@code a = uᵀ tanh(W)} with
 * {@code tanh} applied element-wise to the parameter {@code vf_A ∈ R^{(d+1)×h}} (init
 * {@code N(0, init_std²)}), {@code H_n = H_h/√h} the normalised Sylvester Hadamard matrix;
 * {@code s = H_n (a ⊙ y)} through the {@code O(h log h)} fast transform. {@code h} must be a power
 * of two. The regulariser uses the pre-tanh {@code vf_A}.
 *
 * <p>Option {@code parameter_tanh} (default {@code true}, R1): whether {@code tanh} is applied to
 * {@code vf_A}. R3's UEA model (SPEC §1.5) uses {@code A_c = H_n · diag(W_a[c])} with no tanh:
 * configure {@code parameter_tanh=false} for it.
 */
@AutoService(Structure.class)
public final class WalshHadamardStructure extends BuiltInStructure {
    public WalshHadamardStructure() {
        super("walsh-hadamard", spec -> "WH-LNCDE",
                "normalised Walsh–Hadamard times diagonal: h parameters per channel, O(h log h) transitions",
                new Option("parameter_tanh", "true",
                        "apply tanh to vf_A element-wise (R1: true; R3's UEA model: false)"));
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        if (!Shapes.isPowerOfTwo(hidden)) {
            throw new InvalidOptionException("walsh-hadamard.hidden", hidden, "the hidden size must be a power of two");
        }
        return new Field(this, spec, hidden, controlChannels, spec.booleanOption("parameter_tanh", true));
    }

    /** The fused step: {@code s = H_h (c ⊙ y) / √h} through the fast transform (coefficients {@code c = m}). */
    static final class Kernel implements StepKernel {
        private final int h;
        private final double norm;

        Kernel(int h) {
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
     * A configured Walsh–Hadamard field: the diagonal field's parameters, init, coefficient count and
     * regularised weight, its coefficients optionally through {@code tanh}, then the normalised transform.
     */
    public static final class Field extends DiagonalStructure.Field {
        private final boolean parameterTanh;

        Field(Structure s, StructureSpec spec, int h, int d1, boolean parameterTanh) {
            super(s, spec, h, d1);
            this.parameterTanh = parameterTanh;
        }

        /** Whether {@code tanh} is applied to {@code vf_A} (R1) or not (R3). */
        public boolean parameterTanh() {
            return parameterTanh;
        }

        @Override
        public Optional<StepKernel> stepKernel() {
            return Optional.of(new Kernel(h));
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            T w = p.get("vf_A");
            return ops.matmul(u, parameterTanh ? ops.tanh(w) : w);
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            return ops.scale(ops.walshHadamard(ops.mul(coef, y)), 1.0 / Math.sqrt(h));
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            checkU(u, d1);
            double[] w = params.get("vf_A").data();
            double[] tw = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                tw[i] = parameterTanh ? StrictMath.tanh(w[i]) : w[i];
            }
            double[] a = project(u, tw, d1, h);
            double[] hm = WalshHadamardTransform.matrix(h);
            double norm = 1.0 / Math.sqrt(h);
            double[] m = new double[h * h];
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < h; c++) {
                    m[r * h + c] = hm[r * h + c] * norm * a[c];
                }
            }
            return m;
        }

        @Override
        public int scanBlockSize() {
            return h;
        }
    }
}
