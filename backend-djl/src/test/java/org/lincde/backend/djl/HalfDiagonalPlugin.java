package org.lincde.backend.djl;

import com.google.auto.service.AutoService;
import java.util.List;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/** A test plugin (id {@code test.half-diagonal}): {@code A(u) = ½ diag(uᵀ W)}. Must run the generic path. */
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
        return List.of();
    }

    @Override
    public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
        Structure self = this;
        return new StructuredVectorField() {
            @Override
            public StructureSpec spec() {
                return spec;
            }

            @Override
            public Structure structure() {
                return self;
            }

            @Override
            public int hidden() {
                return hidden;
            }

            @Override
            public int controlChannels() {
                return controlChannels;
            }

            @Override
            public List<ParameterShape> parameters() {
                return List.of(new ParameterShape("vf_A", new int[] {controlChannels, hidden}, ParameterSet.Role.TRAINABLE));
            }

            @Override
            public ParameterSet initialize(Rng rng, double initStd) {
                double[] w = new double[controlChannels * hidden];
                rng.stream("vf_A").fillNormal(w, 0, initStd);
                return new ParameterSet().put("vf_A", HostTensor.of(w, controlChannels, hidden));
            }

            @Override
            public int coefficientCount() {
                return hidden;
            }

            @Override
            public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
                return ops.matmul(u, p.get("vf_A"));
            }

            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
                return ops.scale(ops.mul(coef, y), 0.5);
            }

            @Override
            public double[] denseMatrix(ParameterSet params, double[] u) {
                double[] w = params.get("vf_A").data();
                double[] m = new double[hidden * hidden];
                for (int i = 0; i < hidden; i++) {
                    double a = 0;
                    for (int c = 0; c < controlChannels; c++) {
                        a += u[c] * w[c * hidden + i];
                    }
                    m[i * hidden + i] = 0.5 * a;
                }
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
        };
    }
}
