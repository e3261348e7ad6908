package org.lincde.backend.djl;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;
import org.lincde.spi.structure.AbstractField;

/**
 * A test plugin (id {@code test.half-diagonal}): {@code A(u) = ½ diag(uᵀ W)}, coefficients
 * {@code c = ½ uᵀW}, step {@code s = c ⊙ y}. Without options it has no step kernel and must run the
 * generic path; with {@code kernel=true} it offers spi's diagonal kernel, which DJL's fused recurrence
 * must then run.
 */
@AutoService(Structure.class)
public final class HalfDiagonalPlugin implements Structure {
    @Override
    public String id() {
        return "test.half-diagonal";
    }

    @Override
    public String label(StructureSpec spec) {
        return "HALF-D";
    }

    @Override
    public String description() {
        return "test plugin: half a diagonal field";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("kernel", "false", "whether the field offers its own fused step kernel"));
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        return new Field(this, spec, hidden, controlChannels, spec.booleanOption("kernel", false));
    }

    /** The field, on the public base class. */
    static final class Field extends AbstractField {
        private final boolean kernel;

        Field(Structure s, StructureSpec spec, int h, int d1, boolean kernel) {
            super(s, spec, h, d1);
            this.kernel = kernel;
        }

        @Override
        public Optional<StepKernel> stepKernel() {
            return kernel ? Optional.of(StepKernels.diagonal(h)) : Optional.empty();
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
        public ParameterSet initialize(Rng rng, double initStd) {
            return normalInit(rng, initStd);
        }

        @Override
        public int coefficientCount() {
            return h;
        }

        @Override
        public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
            return ops.scale(ops.matmul(u, p.get("vf_A")), 0.5);
        }

        @Override
        public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
            return ops.mul(coef, y);
        }

        @Override
        public double[] denseMatrix(ParameterSet params, double[] u) {
            double[] m = project(u, params.get("vf_A").data(), d1, h);
            double[] a = new double[h * h];
            for (int i = 0; i < h; i++) {
                a[i * h + i] = 0.5 * m[i];
            }
            return a;
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
