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
 * D-LNCDE (SPEC §1.1 item 2): each {@code A_i} diagonal. Parameter {@code vf_A ∈ R^{(d+1)×h}},
 * init {@code N(0, init_std²)}; {@code s = (uᵀ W) ⊙ y}. Not maximally expressive: diagonal
 * transitions commute, so the model cannot track non-abelian state such as A5.
 */
@AutoService(Structure.class)
public final class DiagonalStructure extends BuiltInStructure {
    public DiagonalStructure() {
        super("diagonal", spec -> "D-LNCDE",
                "diagonal A_i: h parameters per channel, element-wise transitions (not maximally expressive)");
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        return new Field(this, spec, hidden, controlChannels);
    }

    /** A configured diagonal field (also the base of the Walsh–Hadamard one). */
    static class Field extends BuiltInField {
        Field(Structure s, StructureSpec spec, int h, int d1) {
            super(s, spec, h, d1);
        }

        @Override
        public Optional<StepKernel> stepKernel() {
            return Optional.of(StepKernels.diagonal(h));
        }

        @Override
        public List<ParameterShape> parameters() {
            return shapes(trainable("vf_A", d1, h));
        }

        @Override
        protected double initStdOf(String name, double initStd) {
            return initStd;
        }

        @Override
        public int coefficientCount() {
            return h;
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            return ops.matmul(u, p.get("vf_A"));
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            return ops.mul(coef, y);
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            checkU(u, d1);
            double[] m = diagonalMatrix(project(u, params.get("vf_A").data(), d1, h), h);
            return m;
        }

        @Override
        public int scanBlockSize() {
            return 1;
        }

        @Override
        public List<String> regularizedParameters() {
            return List.of("vf_A");
        }
    }
}
