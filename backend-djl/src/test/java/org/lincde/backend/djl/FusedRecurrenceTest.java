package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.LinearCdeLayer;

/**
 * The fused recurrence on its own, at op level: against the generic per-step loop for clips where
 * the tanh bends ({@code c = 0.3}), R1's clip and no clip; and independent of the thread split.
 */
class FusedRecurrenceTest {
    private static final StructureRegistry REGISTRY = StructureRegistry.discover();

    /** {@code Σ w ⊙ states} of the recurrence of {@code field} on inputs {@code y0}, {@code coef}. */
    private static Session.OpsFunction recurrence(StructuredVectorField field, double clip, double[] w, int[] shape) {
        LinearCdeLayer layer = new LinearCdeLayer(field, field.controlChannels() - 1, 0.1, clip);
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                java.util.Optional<RecurrenceKernel<T>> k = ops.fusedRecurrence(field);
                T y0 = in.get("y0");
                T coef = in.get("coef");
                T states = k.isPresent() ? k.get().states(y0, coef, clip) : layer.recurrentStates(ops, in, y0, coef);
                return ops.mul(states, ops.constant(w, shape));
            }
        };
    }

    private static Map<String, HostTensor> inputs(StructuredVectorField f, int b, int len, long seed) {
        Rng rng = Rng.seeded(seed);
        java.util.Map<String, HostTensor> m = new java.util.LinkedHashMap<>();
        double[] y0 = new double[b * f.hidden()];
        double[] coef = new double[b * (len - 1) * f.coefficientCount()];
        rng.stream("y0").fillNormal(y0, 0, 1);
        rng.stream("coef").fillNormal(coef, 0, 0.4);
        m.put("y0", HostTensor.of(y0, b, f.hidden()));
        m.put("coef", HostTensor.of(coef, b, len - 1, f.coefficientCount()));
        // parameters the generic apply may read (DPLR reads none in its quadratic form)
        f.initialize(rng.stream("p"), 0.5).asMap().forEach(m::put);
        return m;
    }

    @ParameterizedTest(name = "{0}({1}) clip={2}")
    @CsvSource({"block-diagonal,block_size=2,0.3", "block-diagonal,block_size=2,1e11",
            "block-diagonal,block_size=2,Infinity", "walsh-hadamard,,0.3", "dplr,rank=2,0.3", "diagonal,,0.3",
            "diagonal-dense,block_size=3,0.3", "dense,,Infinity"})
    void fusedEqualsGenericForEveryClip(String id, String option, double clip) {
        StructureSpec spec = option == null ? StructureSpec.of(id)
                : StructureSpec.of(id, option.split("=")[0], option.split("=")[1]);
        StructuredVectorField f = REGISTRY.configure(spec, 8, 3);
        int b = 3;
        int len = 6;
        int[] shape = {b, len, 8};
        double[] w = new double[b * len * 8];
        Rng.seeded(5).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = inputs(f, b, len, 7);
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(recurrence(f, clip, w, shape), in);
            Session.GradientResult rg = generic.gradient(recurrence(f, clip, w, shape), in);
            assertThat(DjlFixtures.maxRelError(rf.value(), rg.value())).isLessThanOrEqualTo(1e-12);
            for (String name : new String[] {"y0", "coef"}) {
                assertThat(DjlFixtures.maxRelError(rf.gradients().get(name), rg.gradients().get(name)))
                        .as("d/d%s", name).isLessThanOrEqualTo(1e-12);
            }
        }
    }

    /** Rows are split across threads only for big batches; every row is computed alike either way. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"float64", "float32"})
    void resultsDoNotDependOnTheThreadSplit(String dtype) {
        StructuredVectorField f = REGISTRY.configure(StructureSpec.of("block-diagonal", "block_size", "4"), 16, 17);
        int b = 256;
        int len = 40;
        int[] shape = {b, len, 16};
        double[] w = new double[b * len * 16];
        Rng.seeded(9).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = inputs(f, b, len, 11);
        DType d = DType.parse(dtype);
        Session.GradientResult one;
        Session.GradientResult two;
        try (Session s = DjlFixtures.session(d, true, 1)) {
            one = s.gradient(recurrence(f, 1e11, w, shape), in);
        }
        try (Session s = DjlFixtures.session(d, true, 2)) {
            two = s.gradient(recurrence(f, 1e11, w, shape), in);
        }
        assertThat(two.value().sameAs(one.value())).isTrue();
        assertThat(two.gradients().get("coef").sameAs(one.gradients().get("coef"))).isTrue();
        assertThat(two.gradients().get("y0").sameAs(one.gradients().get("y0"))).isTrue();
    }
}
