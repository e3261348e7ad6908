package org.lincde.spi.structure;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;

/**
 * DE-LNCDE (SPEC §1.1 item 1): each {@code A_i} dense. Parameter {@code vf_A.weight ∈ R^{(h·h)×(d+1)}}
 * (a bias-free {@code nn.Linear(d+1, h·h)}, so PyTorch's (out, in) layout), init
 * {@code N(0, (init_std/√h)²)}; {@code A(u) = reshape_{h×h}(W u)} with entry {@code (p,q)} at output
 * row {@code p·h+q}. The regulariser uses this weight matrix (SPEC §1.1 [QUIRK]: R1 at HEAD
 * crashes there; we use the weight as the SPEC advises).
 */
@AutoService(Structure.class)
public final class DenseStructure extends BuiltInStructure {
    public DenseStructure() {
        super("dense", spec -> "DE-LNCDE",
                "dense A_i: h² parameters per channel, maximally expressive");
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        return new Field(this, spec, hidden, controlChannels);
    }

    /** A configured dense field (also the base of the sparse one). */
    public static class Field extends BuiltInField {
        static final String WEIGHT = "vf_A.weight";

        Field(Structure s, StructureSpec spec, int h, int d1) {
            super(s, spec, h, d1);
        }

        @Override
        public Optional<StepKernel> stepKernel() {
            return Optional.of(StepKernels.blocks(h, h));
        }

        @Override
        public List<ParameterShape> parameters() {
            return shapes(trainable(WEIGHT, h * h, d1));
        }

        /** {@code A(u) = reshape_{h×h}(W u)}: the weight itself (the sparse field's is masked at init). */
        @Override
        public <T> Optional<T> denseWeight(TensorOps<T> ops, ParameterLookup<T> p) {
            return Optional.of(p.get(WEIGHT));
        }

        @Override
        protected double initStdOf(String name, double initStd) {
            return initStd / Math.sqrt(h);
        }

        @Override
        public int coefficientCount() {
            return h * h;
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            return ops.matmul(u, ops.transpose(p.get(WEIGHT), 0, 1));
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            int n = ops.shape(y)[0];
            return ops.reshape(ops.matmul(ops.reshape(coef, n, h, h), ops.reshape(y, n, h, 1)), n, h);
        }

        /**
         * The coefficients are {@code A(u)} itself, row-major (what {@link #apply} reshapes): one block,
         * {@code (N, 1, h, h)}, at the transitions' own size. The default's block basis would ask
         * {@link #apply} for an {@code (N·h, h, h)} intermediate (docs/models/scan-form.md "Building the
         * transitions").
         */
        @Override
        public <T> T transitionBlocks(TensorOps<T> ops, ParameterLookup<T> p, T coef) {
            return ops.reshape(coef, ops.shape(coef)[0], 1, h, h);
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            checkU(u, d1);
            double[] w = params.get(WEIGHT).data();
            double[] a = new double[h * h];
            for (int row = 0; row < h * h; row++) {
                double acc = 0;
                for (int c = 0; c < d1; c++) {
                    acc += w[row * d1 + c] * u[c];
                }
                a[row] = acc;
            }
            return a;
        }

        @Override
        public int scanBlockSize() {
            return h;
        }

        @Override
        public List<String> regularizedParameters() {
            return List.of(WEIGHT);
        }
    }
}
