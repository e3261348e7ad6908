package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.backend.djl.internal.KernelPool;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.Dropout;
import org.lincde.spi.model.Models;

/**
 * The whole stacked model on the DJL backend: gradients against central differences (float64),
 * the fused path against the generic spi graph (forward, gradients, parameters after 5 AdamW steps;
 * float64 and float32), AdamW against {@link AdamWUpdate}, the NaN guard and sparse gradient masks.
 */
class DjlModelTest {
    private static Session fused64;
    private static Session generic64;
    private static Session fused32;
    private static Session generic32;
    private static final StructureRegistry REGISTRY = StructureRegistry.discover();
    private static final Objective OBJECTIVE = Objective.maskedCrossEntropy(0.05);

    @BeforeAll
    static void open() {
        fused64 = DjlFixtures.session(DType.FLOAT64, true);
        generic64 = DjlFixtures.session(DType.FLOAT64, false);
        fused32 = DjlFixtures.session(DType.FLOAT32, true);
        generic32 = DjlFixtures.session(DType.FLOAT32, false);
    }

    @AfterAll
    static void close() {
        fused64.close();
        generic64.close();
        fused32.close();
        generic32.close();
    }

    static Stream<StructureSpec> structures() {
        return DjlFixtures.ALL_STRUCTURES.stream();
    }

    static Stream<Arguments> structuresAndPaths() {
        return DjlFixtures.cross(DjlFixtures.ALL_STRUCTURES, List.of(true)).stream().map(Arguments::of);
    }

    private static ParameterSet init(LinearCdeSpec spec, long seed) {
        return Models.initialize(spec, REGISTRY, Rng.seeded(seed));
    }

    private static List<Batch> batches(long seed) {
        Rng rng = Rng.seeded(seed).stream("data");
        return List.of(DjlFixtures.tokenBatch(rng.stream(0), 2, 5, 5, 4), DjlFixtures.tokenBatch(rng.stream(1), 3, 4, 5, 4));
    }

    /** Dropout well above R1's so training-mode masks matter in every comparison. */
    private static LinearCdeSpec spec(StructureSpec s) {
        return DjlFixtures.smallSpec(s, 4, 2).withDropout(0.2);
    }

    /**
     * Central differences for the fast path (the generic path is held to it at 1e−10 below, so it is
     * checked too, at half the cost of differencing both).
     */
    @ParameterizedTest(name = "{0} fused={1}")
    @MethodSource("structuresAndPaths")
    void modelGradientsMatchCentralDifferencesInFloat64(StructureSpec s, boolean fused) {
        LinearCdeSpec spec = spec(s);
        List<Batch> batches = batches(11);
        ForwardMode mode = ForwardMode.training(Rng.seeded(5).stream("dropout"));
        try (SequenceModel m = (fused ? fused64 : generic64).model(spec, init(spec, 7))) {
            ParameterSet base = m.parameters();
            SequenceModel.LossReport r = m.lossAndGradients(batches, OBJECTIVE, mode);
            Rng pick = Rng.seeded(99);
            double eps = 1e-6;
            for (ParameterSet.Entry e : base.entries(ParameterSet.Entry::trainable)) {
                double[] g = r.gradients().get(e.name()).data();
                for (int t = 0; t < 2; t++) {
                    int i = pick.nextInt(g.length);
                    double fd = (lossAt(m, base, e.name(), i, eps, batches, mode)
                            - lossAt(m, base, e.name(), i, -eps, batches, mode)) / (2 * eps);
                    double masked = maskOf(base, e.name(), i);
                    assertThat(Math.abs(g[i] - masked * fd)).as("%s %s[%d]: gradient %s, central difference %s", s,
                            e.name(), i, g[i], fd).isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
                }
            }
        }
    }

    /** The sparse structure's mask multiplies the reported gradient (mask_grads), not the loss. */
    private static double maskOf(ParameterSet p, String name, int i) {
        String mask = name.replace("vf_A.weight", "mask");
        return !mask.equals(name) && p.contains(mask) ? p.get(mask).data()[i] : 1.0;
    }

    private static double lossAt(SequenceModel m, ParameterSet base, String name, int i, double delta,
                                 List<Batch> batches, ForwardMode mode) {
        ParameterSet p = base.copy();
        p.get(name).data()[i] += delta;
        m.load(p);
        double loss = m.lossAndGradients(batches, OBJECTIVE, mode).loss();
        m.load(base);
        return loss;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void fusedPathEqualsGenericPathInFloat64(StructureSpec s) {
        compareFusedWithGeneric(s, fused64, generic64, 1e-10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void fusedPathEqualsGenericPathInFloat32(StructureSpec s) {
        compareFusedWithGeneric(s, fused32, generic32, 1e-4);
    }

    private static void compareFusedWithGeneric(StructureSpec s, Session fusedSession, Session genericSession,
                                                double tol) {
        LinearCdeSpec spec = spec(s);
        ParameterSet p0 = init(spec, 21);
        List<Batch> batches = batches(22);
        OptimizerSpec.AdamW adam = OptimizerSpec.AdamW.r1();
        try (SequenceModel f = fusedSession.model(spec, p0); SequenceModel g = genericSession.model(spec, p0)) {
            ForwardMode train = ForwardMode.training(Rng.seeded(1).stream("dropout"));
            assertClose("forward (inference)", f.forward(batches.get(0), ForwardMode.inference()),
                    g.forward(batches.get(0), ForwardMode.inference()), tol);
            assertClose("forward (training)", f.forward(batches.get(1), train), g.forward(batches.get(1), train), tol);
            SequenceModel.LossReport lf = f.lossAndGradients(batches, OBJECTIVE, train);
            SequenceModel.LossReport lg = g.lossAndGradients(batches, OBJECTIVE, train);
            assertThat(Math.abs(lf.loss() - lg.loss())).isLessThanOrEqualTo(tol * Math.max(1, Math.abs(lg.loss())));
            for (String name : lg.gradients().names()) {
                assertClose("gradient " + name, lf.gradients().get(name), lg.gradients().get(name), tol);
            }
            for (int step = 0; step < 5; step++) {
                ForwardMode mode = ForwardMode.training(Rng.seeded(2).stream("dropout", step));
                SequenceModel.StepReport rf = f.trainStep(batches, OBJECTIVE, adam, 1e-3, mode);
                SequenceModel.StepReport rg = g.trainStep(batches, OBJECTIVE, adam, 1e-3, mode);
                assertThat(rf.finite()).isTrue();
                assertThat(rg.finite()).isTrue();
            }
            ParameterSet pf = f.parameters();
            ParameterSet pg = g.parameters();
            for (String name : pg.names()) {
                assertClose("parameter " + name + " after 5 AdamW steps", pf.get(name), pg.get(name), tol);
            }
        }
    }

    private static void assertClose(String what, HostTensor got, HostTensor expected, double tol) {
        double err = DjlFixtures.maxRelError(got, expected);
        assertThat(err).as("%s: max relative error", what).isLessThanOrEqualTo(tol);
    }

    @Test
    void pluginStructuresRunTheGenericPathAndAgree() {
        StructureSpec plugin = StructureSpec.of("test.half-diagonal");
        assertThat(org.lincde.backend.djl.internal.DjlKernels.forField(REGISTRY.configure(plugin, 4, 5))).isEmpty();
        compareFusedWithGeneric(plugin, fused64, generic64, 1e-12);
    }

    @Test
    void pluginStructuresWithTheirOwnStepKernelRunFusedAndAgree() {
        StructureSpec plugin = StructureSpec.of("test.half-diagonal", "kernel", "true");
        assertThat(org.lincde.backend.djl.internal.DjlKernels.forField(REGISTRY.configure(plugin, 4, 5)))
                .isPresent();
        compareFusedWithGeneric(plugin, fused64, generic64, 1e-10);
        compareFusedWithGeneric(plugin, fused32, generic32, 1e-4);
    }

    @Test
    void trainStepIsTheReferenceAdamWUpdateWithTwoDecayGroups() {
        LinearCdeSpec spec = spec(StructureSpec.of("block-diagonal", "block_size", "2"));
        List<Batch> batches = batches(31);
        OptimizerSpec.AdamW adam = new OptimizerSpec.AdamW(0.8, 0.95, 1e-6, 0.1, "embedding");
        try (SequenceModel m = fused64.model(spec, init(spec, 32))) {
            ParameterSet expected = m.parameters();
            java.util.Map<String, double[]> mm = new java.util.HashMap<>();
            java.util.Map<String, double[]> vv = new java.util.HashMap<>();
            for (int step = 1; step <= 3; step++) {
                ForwardMode mode = ForwardMode.training(Rng.seeded(3).stream(step));
                double lr = 0.01 * step;
                SequenceModel.LossReport r = m.lossAndGradients(batches, OBJECTIVE, mode);
                for (ParameterSet.Entry e : expected.entries(ParameterSet.Entry::trainable)) {
                    double[] w = e.tensor().data();
                    AdamWUpdate.apply(adam, w, r.gradients().get(e.name()).data(),
                            mm.computeIfAbsent(e.name(), k -> new double[w.length]),
                            vv.computeIfAbsent(e.name(), k -> new double[w.length]), step, lr, adam.decayFor(e.name()));
                }
                SequenceModel.StepReport s = m.trainStep(batches, OBJECTIVE, adam, lr, mode);
                assertThat(s.loss()).isEqualTo(r.loss());
                assertThat(m.steps()).isEqualTo(step);
            }
            ParameterSet got = m.parameters();
            for (String name : expected.names()) {
                assertClose("parameter " + name, got.get(name), expected.get(name), 1e-13);
            }
            // the embedding group has no decay: with zero gradient its rows would stay put
            assertThat(adam.decayFor("embedding.weight")).isZero();
        }
    }

    @Test
    void nonFiniteLossSkipsTheUpdateAndSaysSo() {
        LinearCdeSpec spec = spec(StructureSpec.of("diagonal"));
        ParameterSet p = init(spec, 41);
        p.get("linear.weight").data()[0] = Double.NaN;
        try (SequenceModel m = fused32.model(spec, p)) {
            ParameterSet before = m.parameters();
            SequenceModel.StepReport r = m.trainStep(batches(42), OBJECTIVE, OptimizerSpec.AdamW.r1(), 1e-3,
                    ForwardMode.inference());
            assertThat(r.finite()).isFalse();
            assertThat(m.steps()).isZero();
            assertThat(m.parameters().sameAs(before)).isTrue();
        }
    }

    @Test
    void sparseMaskedWeightsStayExactlyZero() {
        LinearCdeSpec spec = spec(StructureSpec.of("sparse", "sparsity", "0.5"));
        try (SequenceModel m = fused32.model(spec, init(spec, 51))) {
            for (int step = 0; step < 3; step++) {
                m.trainStep(batches(52), OBJECTIVE, OptimizerSpec.AdamW.r1(), 1e-2,
                        ForwardMode.training(Rng.seeded(53).stream(step)));
            }
            ParameterSet p = m.parameters();
            double[] w = p.get("blocks.0.LCDE.vf_A.weight").data();
            double[] mask = p.get("blocks.0.LCDE.mask").data();
            int zeros = 0;
            for (int i = 0; i < w.length; i++) {
                if (mask[i] == 0) {
                    assertThat(w[i]).as("masked weight %d", i).isZero();
                    zeros++;
                }
            }
            assertThat(zeros).isPositive();
        }
    }
}
