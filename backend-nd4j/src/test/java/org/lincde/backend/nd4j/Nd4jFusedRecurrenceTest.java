package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.LinearCdeLayer;
import org.lincde.spi.model.Models;

/**
 * The fused recurrence against the generic per-step loop of {@link LinearCdeLayer}, forward and
 * backward, for every built-in structure that has one, in float64 and float32, with the R1 clip,
 * a small clip (the tanh is active) and no clip; and the whole model fused vs generic.
 */
class Nd4jFusedRecurrenceTest {
    private static final int H = 8;

    static Stream<Arguments> cases() {
        List<StructureSpec> specs = List.of(StructureSpec.of("dense"), StructureSpec.of("diagonal"),
                StructureSpec.of("block-diagonal", "block_size", "4"), StructureSpec.of("sparse", "sparsity", "0.5"),
                StructureSpec.of("walsh-hadamard"), StructureSpec.of("dplr", "rank", "2"),
                StructureSpec.of("dplr", "rank", "0"), StructureSpec.of("diagonal-dense", "block_size", "3"),
                StructureSpec.of("diagonal-dense", "block_size", "8"));
        return specs.stream().flatMap(s -> Stream.of(DType.FLOAT64, DType.FLOAT32).flatMap(
                d -> Stream.of(1e11, 0.7, Double.POSITIVE_INFINITY).map(c -> Arguments.of(s, d, c))));
    }

    @ParameterizedTest(name = "{0} {1} clip={2}")
    @MethodSource("cases")
    void fusedEqualsGeneric(StructureSpec spec, DType dtype, double clip) {
        StructuredVectorField field = StructureRegistry.discover().configure(spec, H, H + 1);
        LinearCdeLayer layer = new LinearCdeLayer(field, H, 1.0 / 40, clip);
        Rng rng = Rng.seeded(21).stream(spec.toString());
        int b = 20;            // > 2 × 8 rows: the fused kernel splits rows over both threads
        int steps = 6;
        Map<String, HostTensor> in = new java.util.LinkedHashMap<>();
        in.put("y0", Nd4jFixtures.normal(rng.stream("y0"), 1.0, b, H));
        in.put("coef", Nd4jFixtures.normal(rng.stream("coef"), 0.6, b, steps, field.coefficientCount()));
        double[] w = Nd4jFixtures.normal(rng.stream("w"), 1.0, b, steps + 1, H).data();
        Session.OpsFunction fused = new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                assertThat(ops.fusedRecurrence(field)).as("fused kernel offered").isPresent();
                T s = ops.fusedRecurrence(field).get().states(p.get("y0"), p.get("coef"), clip);
                return ops.mul(s, ops.constant(w, b, steps + 1, H));
            }
        };
        Session.OpsFunction generic = new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                assertThat(ops.fusedRecurrence(field)).as("generic session declines").isEmpty();
                T s = layer.recurrentStates(ops, name -> {
                    throw new AssertionError("built-in apply needs no parameter, asked for " + name);
                }, p.get("y0"), p.get("coef"));
                return ops.mul(s, ops.constant(w, b, steps + 1, H));
            }
        };
        Session.GradientResult f = Nd4jFixtures.session(dtype).gradient(fused, in);
        Session.GradientResult g = Nd4jFixtures.genericSession(dtype).gradient(generic, in);
        double tol = dtype == DType.FLOAT64 ? 1e-11 : 2e-5;
        assertThat(Nd4jFixtures.maxScaledErr(f.value().data(), g.value().data(), 1.0)).as("states").isLessThan(tol);
        for (String name : in.keySet()) {
            assertThat(Nd4jFixtures.maxScaledErr(f.gradients().get(name).data(), g.gradients().get(name).data(), 1.0))
                    .as("d/d%s", name).isLessThan(tol);
        }
    }

    @Test
    void structuresWithoutAKernelDecline() {
        StructuredVectorField linear = StructureRegistry.discover()
                .configure(StructureSpec.of("dplr", "rank", "2", "form", "linear"), H, H + 1);
        StructuredVectorField diag = StructureRegistry.discover().configure(StructureSpec.of("diagonal"), H, H + 1);
        HostTensor v = Nd4jFixtures.session(DType.FLOAT64).gradient(new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                assertThat(ops.fusedRecurrence(linear)).isEmpty();      // reads vf_A_u/vf_A_v beyond the coefficients
                assertThat(ops.fusedRecurrence(diag)).isPresent();
                return ops.scalar(1);
            }
        }, Map.of()).value();
        assertThat(v.data()).containsExactly(1.0);
    }

    @Test
    void wholeModelFusedEqualsGeneric() {
        for (StructureSpec s : Nd4jFixtures.ALL_STRUCTURES) {
            LinearCdeSpec spec = Nd4jFixtures.smallSpec(s, 4, 2);
            ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(31));
            List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(32), 3, 6, 5, 4));
            ForwardMode mode = ForwardMode.training(Rng.seeded(33));
            try (SequenceModel fused = Nd4jFixtures.session(DType.FLOAT64).model(spec, init);
                 SequenceModel generic = Nd4jFixtures.genericSession(DType.FLOAT64).model(spec, init)) {
                SequenceModel.LossReport a = fused.lossAndGradients(batches, Objective.maskedCrossEntropy(0.01), mode);
                SequenceModel.LossReport b = generic.lossAndGradients(batches, Objective.maskedCrossEntropy(0.01), mode);
                assertThat(a.loss()).as("%s loss", s).isCloseTo(b.loss(), org.assertj.core.data.Offset.offset(1e-12));
                for (ParameterSet.Entry e : a.gradients().entries()) {
                    assertThat(Nd4jFixtures.maxScaledErr(e.tensor().data(), b.gradients().get(e.name()).data(), 1e-3))
                            .as("%s d/d%s", s, e.name()).isLessThan(1e-9);
                }
                // the associative scan (generic ops) gives the recurrent states up to the clip's 1e−22
                HostTensor rec = fused.forward(batches.get(0), ForwardMode.inference());
                HostTensor scan = fused.forward(batches.get(0), ForwardMode.inference().with(ForwardMode.Evaluation.SCAN));
                assertThat(Nd4jFixtures.maxScaledErr(scan.data(), rec.data(), 1.0)).as("%s scan", s).isLessThan(1e-10);
                SequenceModel.LossReport c = fused.lossAndGradients(batches, Objective.maskedCrossEntropy(0.01),
                        mode.with(ForwardMode.Evaluation.SCAN));
                for (ParameterSet.Entry e : a.gradients().entries()) {
                    assertThat(Nd4jFixtures.maxScaledErr(c.gradients().get(e.name()).data(), e.tensor().data(), 1e-3))
                            .as("%s scan d/d%s", s, e.name()).isLessThan(1e-8);
                }
            }
        }
    }

    @Test
    void float32ModelTracksFloat64() {
        LinearCdeSpec spec = LinearCdeSpec.r1(10, 10, 16, 2, StructureSpec.of("block-diagonal", "block_size", "4"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(41));
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(42), 8, 40, 10, 10));
        try (SequenceModel m32 = Nd4jFixtures.session(DType.FLOAT32).model(spec, init);
             SequenceModel g32 = Nd4jFixtures.genericSession(DType.FLOAT32).model(spec, init);
             SequenceModel m64 = Nd4jFixtures.session(DType.FLOAT64).model(spec, init)) {
            HostTensor a = m32.forward(batches.get(0), ForwardMode.inference());
            HostTensor g = g32.forward(batches.get(0), ForwardMode.inference());
            HostTensor b = m64.forward(batches.get(0), ForwardMode.inference());
            assertThat(Nd4jFixtures.maxScaledErr(a.data(), b.data(), 1.0)).as("fused float32").isLessThan(1e-4);
            assertThat(Nd4jFixtures.maxScaledErr(g.data(), b.data(), 1.0)).as("generic float32").isLessThan(1e-4);
        }
    }
}
