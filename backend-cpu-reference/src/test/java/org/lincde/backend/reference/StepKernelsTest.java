package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.TensorOps;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;

/**
 * The fused step kernels of spi ({@link StepKernels}, the backends' fused recurrences run them) against
 * the structures' own reference matrices ({@code denseMatrix}, plain double code straight from SPEC
 * §1.1) and the oracle's coefficient maps, forward and adjoint, and the dispatcher's choices.
 */
class StepKernelsTest {
    private static final StructureRegistry REGISTRY = StructureRegistry.discover();

    static List<StructureSpec> fusedStructures() {
        return List.of(StructureSpec.of("dense"), StructureSpec.of("sparse", "sparsity", "0.5"),
                StructureSpec.of("diagonal"), StructureSpec.of("block-diagonal", "block_size", "2"),
                StructureSpec.of("block-diagonal", "block_size", "4"),
                StructureSpec.of("block-diagonal", "block_size", "8"), StructureSpec.of("walsh-hadamard"),
                StructureSpec.of("dplr", "rank", "3"), StructureSpec.of("diagonal-dense", "block_size", "3"));
    }

    /**
     * With {@code c} the coefficients of control increment {@code u}: {@code apply} is {@code A(u) y},
     * and {@code backward} gives {@code A(u)ᵀ g} and {@code dc} with {@code ⟨dc, δc⟩ = ⟨g, A(δc) y⟩}
     * for the coefficients {@code δc} of another increment (every built-in map is linear in {@code c}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fusedStructures")
    void kernelsAgreeWithTheReferenceMatrix(StructureSpec s) {
        int h = 8;
        int d1 = 3;
        StructuredVectorField f = REGISTRY.configure(s, h, d1);
        StepKernel k = StepKernels.forField(f).orElseThrow();
        Rng rng = Rng.seeded(s.toString().hashCode());
        ParameterSet p = f.initialize(rng.stream("init"), 0.9);
        double[] u = new double[d1];
        double[] y = new double[h];
        double[] g = new double[h];
        rng.stream("u").fillNormal(u, 0, 1);
        rng.stream("y").fillNormal(y, 0, 1);
        rng.stream("g").fillNormal(g, 0, 1);
        double[] c = coefficients(f, p, u);
        double[] a = f.denseMatrix(p, u);
        double[] ws = new double[k.workspace()];
        double[] out = new double[h];
        k.apply(c, 0, y, 0, out, 0, ws);
        for (int r = 0; r < h; r++) {
            double acc = 0;
            for (int q = 0; q < h; q++) {
                acc += a[r * h + q] * y[q];
            }
            assertThat(out[r]).as("%s row %d", s, r).isCloseTo(acc, org.assertj.core.data.Offset.offset(1e-12));
        }
        double[] dc = new double[c.length];
        double[] dy = new double[h];
        k.backward(c, 0, y, 0, g, 0, dc, 0, dy, 0, ws);
        for (int q = 0; q < h; q++) {
            double acc = 0;
            for (int r = 0; r < h; r++) {
                acc += a[r * h + q] * g[r];
            }
            assertThat(dy[q]).as("%s Aᵀg[%d]", s, q).isCloseTo(acc, org.assertj.core.data.Offset.offset(1e-12));
        }
        if (!s.id().equals("dplr")) { // DPLR's coefficients are quadratic in u: checked by the model tests
            double[] du = new double[d1];
            rng.stream("du").fillNormal(du, 0, 1);
            double[] dcoef = coefficients(f, p, du);
            double[] ad = f.denseMatrix(p, du);
            double lhs = 0;
            for (int i = 0; i < dc.length; i++) {
                lhs += dc[i] * dcoef[i];
            }
            double rhs = 0;
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < h; q++) {
                    rhs += g[r] * ad[r * h + q] * y[q];
                }
            }
            assertThat(lhs).as("%s ⟨dc, δc⟩", s).isCloseTo(rhs, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** The field's own coefficients of one increment (its TensorOps code, evaluated in float64). */
    private static double[] coefficients(StructuredVectorField f, ParameterSet p, double[] u) {
        java.util.Map<String, HostTensor> in = new java.util.LinkedHashMap<>(p.asMap());
        in.put("u", HostTensor.of(u, 1, u.length));
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> x) {
                return f.coefficients(ops, x, x.get("u"));
            }
        };
        try (Session s = new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64))) {
            return s.gradient(fn, in).value().data();
        }
    }

    @Test
    void theDispatcherDeclinesWhatItShould() {
        assertThat(StepKernels.forField(REGISTRY.configure(StructureSpec.of("dense"), 8, 3))).isPresent();
        assertThat(StepKernels.forField(REGISTRY.configure(StructureSpec.of("dense"), 128, 129))).isPresent();
        assertThat(StepKernels.forField(REGISTRY.configure(StructureSpec.of("dplr", "rank", "2", "form", "linear"),
                8, 3))).isEmpty();
        assertThat(StepKernels.forField(REGISTRY.configure(StructureSpec.of("block-diagonal", "block_size", "4"),
                128, 129))).isPresent();
    }
}
