package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.StackedLinearCde;

/** The R1 stacked model on the reference backend (SPEC §1.1–1.2, §4.1). */
class StackedModelTest extends WithReferenceSession {
    static List<StructureSpec> structures() {
        return Fixtures.ALL_STRUCTURES;
    }

    private static SequenceModel model(LinearCdeSpec spec, long seed) {
        return session.model(spec, Models.initialize(spec, REGISTRY, Rng.seeded(seed)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void wholeModelGradientsMatchCentralDifferences(StructureSpec s) {
        LinearCdeSpec spec = Fixtures.smallSpec(s, 4, 2).withGlu(s.id().equals("diagonal")).withDropout(0.2);
        try (SequenceModel m = model(spec, 1)) {
            Batch b = Fixtures.tokenBatch(Rng.seeded(2), 2, 4, 5, 4);
            ForwardMode training = ForwardMode.training(Rng.seeded(3));
            ParameterSet base = m.parameters();
            SequenceModel.LossReport report = m.lossAndGradients(List.of(b), Objective.maskedCrossEntropy(0.05), training);
            Rng pick = Rng.seeded(4);
            double eps = 1e-6;
            for (ParameterSet.Entry e : base.entries(ParameterSet.Entry::trainable)) {
                double[] g = report.gradients().get(e.name()).data();
                double[] mask = s.id().equals("sparse") && e.name().endsWith("vf_A.weight")
                        ? base.get(e.name().replace("vf_A.weight", "mask")).data() : null;
                for (int t = 0; t < 4; t++) {
                    int i = pick.nextInt(g.length);
                    if (mask != null && mask[i] == 0) {
                        assertThat(g[i]).as("masked gradient of %s[%d]", e.name(), i).isEqualTo(0.0);
                        continue;
                    }
                    double fd = (loss(m, base, e.name(), i, eps, b, training) - loss(m, base, e.name(), i, -eps, b, training))
                            / (2 * eps);
                    // central differences carry ~ε_mach·|loss|/eps ≈ 3e-10 of rounding noise (loss ≈ 1.4):
                    // relative error is measured against a floor of 1e-3 so that noise stays below 1e-6
                    double scale = Math.max(Math.abs(g[i]) + Math.abs(fd), 1e-3);
                    assertThat(Math.abs(g[i] - fd) / scale).as("%s[%d]: analytic %s vs fd %s", e.name(), i, g[i], fd)
                            .isLessThan(1e-6);
                }
            }
        }
    }

    private static double loss(SequenceModel m, ParameterSet base, String name, int i, double d, Batch b, ForwardMode mode) {
        ParameterSet p = base.copy();
        p.get(name).data()[i] += d;
        m.load(p);
        return m.lossAndGradients(List.of(b), Objective.maskedCrossEntropy(0.05), mode).loss();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void associativeScanEqualsRecurrence(StructureSpec s) {
        LinearCdeSpec spec = Fixtures.smallSpec(s, 8, 2).withInitStd(1.5);
        try (SequenceModel m = model(spec, 5)) {
            Batch b = Fixtures.tokenBatch(Rng.seeded(6), 3, 9, 5, 4);
            HostTensor rec = m.forward(b, ForwardMode.inference());
            HostTensor scan = m.forward(b, ForwardMode.inference().with(ForwardMode.Evaluation.SCAN));
            for (int i = 0; i < rec.size(); i++) {
                assertThat(scan.data()[i]).isCloseTo(rec.data()[i], within(1e-12));
            }
        }
    }

    @Test
    void blockDiagonalWithBlockEqualToHiddenIsDense() {
        int h = 4;
        LinearCdeSpec bd = Fixtures.smallSpec(StructureSpec.of("block-diagonal", "block_size", "4"), h, 2);
        LinearCdeSpec de = Fixtures.smallSpec(StructureSpec.of("dense"), h, 2);
        ParameterSet pb = Models.initialize(bd, REGISTRY, Rng.seeded(8));
        ParameterSet pd = new ParameterSet();
        for (ParameterSet.Entry e : pb.entries()) {
            if (e.name().endsWith("LCDE.vf_A")) {
                // BD: m = uᵀW, W (d+1, h·h), block (p,q) at column p·h+q; dense: A = reshape(W' u), W' (h·h, d+1)
                HostTensor w = e.tensor();
                int d1 = w.dim(0);
                double[] t = new double[w.size()];
                for (int c = 0; c < d1; c++) {
                    for (int j = 0; j < h * h; j++) {
                        t[j * d1 + c] = w.data()[c * h * h + j];
                    }
                }
                pd.put(e.name() + ".weight", HostTensor.of(t, h * h, d1));
            } else {
                pd.put(e.name(), e.tensor());
            }
        }
        Batch b = Fixtures.tokenBatch(Rng.seeded(9), 2, 5, 5, 4);
        try (SequenceModel mb = session.model(bd, pb); SequenceModel md = session.model(de, pd)) {
            assertClose(mb.forward(b, ForwardMode.inference()), md.forward(b, ForwardMode.inference()), 1e-13);
        }
    }

    @Test
    void dplrWithZeroLowRankIsDiagonal() {
        LinearCdeSpec dplr = Fixtures.smallSpec(StructureSpec.of("dplr", "rank", "2"), 4, 2);
        LinearCdeSpec diag = Fixtures.smallSpec(StructureSpec.of("diagonal"), 4, 2);
        ParameterSet p = Models.initialize(dplr, REGISTRY, Rng.seeded(10));
        ParameterSet pd = new ParameterSet();
        for (ParameterSet.Entry e : p.entries()) {
            if (e.name().contains("vf_A_u") || e.name().contains("vf_A_v")) {
                java.util.Arrays.fill(e.tensor().data(), 0.0);
            } else {
                pd.put(e.name(), e.tensor());
            }
        }
        Batch b = Fixtures.tokenBatch(Rng.seeded(11), 2, 5, 5, 4);
        try (SequenceModel m1 = session.model(dplr, p); SequenceModel m2 = session.model(diag, pd)) {
            assertClose(m1.forward(b, ForwardMode.inference()), m2.forward(b, ForwardMode.inference()), 0.0);
        }
    }

    @Test
    void sparseZerosStayExactlyZeroAfter100AdamWSteps() {
        LinearCdeSpec spec = Fixtures.smallSpec(StructureSpec.of("sparse", "sparsity", "0.4"), 4, 1);
        try (SequenceModel m = model(spec, 12)) {
            ParameterSet before = m.parameters();
            double[] mask = before.get("blocks.0.LCDE.mask").data();
            Rng data = Rng.seeded(13);
            for (int step = 0; step < 100; step++) {
                m.trainStep(List.of(Fixtures.tokenBatch(data, 4, 6, 5, 4)), Objective.maskedCrossEntropy(0.01),
                        OptimizerSpec.AdamW.r1(), 0.01, ForwardMode.training(data.stream("dropout", step)));
            }
            double[] w = m.parameters().get("blocks.0.LCDE.vf_A.weight").data();
            double[] w0 = before.get("blocks.0.LCDE.vf_A.weight").data();
            int kept = 0;
            int changed = 0;
            for (int i = 0; i < w.length; i++) {
                if (mask[i] == 0) {
                    assertThat(w[i]).as("masked weight %d", i).isEqualTo(0.0);
                } else {
                    kept++;
                    changed += w[i] != w0[i] ? 1 : 0;
                }
            }
            assertThat(kept).isPositive();
            assertThat(changed).isEqualTo(kept); // the unmasked weights did train
        }
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAndOutputsOnAnyThreadCount() {
        LinearCdeSpec spec = Fixtures.smallSpec(StructureSpec.of("block-diagonal", "block_size", "2"), 8, 2);
        ParameterSet a = Models.initialize(spec, REGISTRY, Rng.seeded(77));
        ParameterSet b = Models.initialize(spec, REGISTRY, Rng.seeded(77));
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.sameAs(Models.initialize(spec, REGISTRY, Rng.seeded(78)))).isFalse();
        Batch batch = Fixtures.tokenBatch(Rng.seeded(1), 64, 12, 5, 4);
        double[] out1;
        ParameterSet trained1;
        try (Session one = new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(1));
             SequenceModel m = one.model(spec, a)) {
            m.trainStep(List.of(batch), Objective.maskedCrossEntropy(1e-3), OptimizerSpec.AdamW.r1(), 1e-3,
                    ForwardMode.training(Rng.seeded(2)));
            out1 = m.forward(batch, ForwardMode.inference()).data();
            trained1 = m.parameters();
        }
        try (Session two = new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(2));
             SequenceModel m = two.model(spec, b)) {
            m.trainStep(List.of(batch), Objective.maskedCrossEntropy(1e-3), OptimizerSpec.AdamW.r1(), 1e-3,
                    ForwardMode.training(Rng.seeded(2)));
            assertThat(m.forward(batch, ForwardMode.inference()).data()).containsExactly(out1);
            assertThat(m.parameters().sameAs(trained1)).isTrue();
        }
    }

    @Test
    void adamWStepMatchesHandComputedUpdateAndSkipsEmbeddingDecay() {
        // one step from zero moments: m̂ = g, v̂ = g², update = lr·g/(|g| + eps) = lr·sign(g) (up to eps)
        LinearCdeSpec spec = Fixtures.smallSpec(StructureSpec.of("diagonal"), 2, 1);
        try (SequenceModel m = model(spec, 14)) {
            Batch b = Fixtures.tokenBatch(Rng.seeded(15), 2, 3, 5, 4);
            ParameterSet before = m.parameters();
            SequenceModel.LossReport g = m.lossAndGradients(List.of(b), Objective.maskedCrossEntropy(0), ForwardMode.inference());
            double lr = 0.1;
            m.trainStep(List.of(b), Objective.maskedCrossEntropy(0), OptimizerSpec.AdamW.r1(), lr, ForwardMode.inference());
            ParameterSet after = m.parameters();
            for (String name : List.of("embedding.weight", "blocks.0.LCDE.vf_A", "linear.bias")) {
                double decay = name.startsWith("embedding") ? 0.0 : 0.01;
                double[] w0 = before.get(name).data();
                double[] gr = g.gradients().get(name).data();
                double[] w1 = after.get(name).data();
                for (int i = 0; i < w0.length; i++) {
                    double expected = w0[i] * (1 - lr * decay) - lr * gr[i] / (Math.abs(gr[i]) + 1e-8);
                    assertThat(w1[i]).as("%s[%d]", name, i).isCloseTo(expected, within(1e-12));
                }
            }
            assertThat(m.steps()).isEqualTo(1);
        }
    }

    @Test
    void nonFiniteLossSkipsTheUpdate() {
        LinearCdeSpec spec = Fixtures.smallSpec(StructureSpec.of("diagonal"), 2, 1);
        ParameterSet p = Models.initialize(spec, REGISTRY, Rng.seeded(16));
        p.get("linear.bias").data()[0] = Double.NaN;
        try (SequenceModel m = session.model(spec, p)) {
            SequenceModel.StepReport r = m.trainStep(List.of(Fixtures.tokenBatch(Rng.seeded(17), 2, 3, 5, 4)),
                    Objective.maskedCrossEntropy(0), OptimizerSpec.AdamW.r1(), 0.1, ForwardMode.inference());
            assertThat(r.finite()).isFalse();
            assertThat(m.steps()).isZero();
            assertThat(m.parameters().sameAs(p)).isTrue();
        }
    }

    @Test
    void tanhClipIsNumericallyTheIdentityAtR1Scale() {
        LinearCdeSpec clipped = Fixtures.smallSpec(StructureSpec.of("dense"), 4, 1);
        LinearCdeSpec plain = new LinearCdeSpec(5, 4, 4, 1, StructureSpec.of("dense"), false, 0.01, 0.7, false,
                LinearCdeSpec.R1_DT, Double.POSITIVE_INFINITY);
        ParameterSet p = Models.initialize(clipped, REGISTRY, Rng.seeded(18));
        Batch b = Fixtures.tokenBatch(Rng.seeded(19), 2, 6, 5, 4);
        try (SequenceModel m1 = session.model(clipped, p); SequenceModel m2 = session.model(plain, p)) {
            assertClose(m1.forward(b, ForwardMode.inference()), m2.forward(b, ForwardMode.inference()), 1e-14);
        }
        // a small clip does bite: c·tanh(s/c) differs from s
        LinearCdeSpec tight = new LinearCdeSpec(5, 4, 4, 1, StructureSpec.of("dense"), false, 0.01, 0.7, false, 1.0, 1e-3);
        try (SequenceModel m3 = session.model(tight, p); SequenceModel m2 = session.model(plain, p)) {
            double[] x = m3.forward(b, ForwardMode.inference()).data();
            double[] y = m2.forward(b, ForwardMode.inference()).data();
            assertThat(java.util.Arrays.equals(x, y)).isFalse();
        }
    }

    @Test
    void sequencesShorterThanTwoAreRejected() {
        LinearCdeSpec spec = Fixtures.smallSpec(StructureSpec.of("diagonal"), 2, 1);
        try (SequenceModel m = model(spec, 20)) {
            Batch b = Fixtures.tokenBatch(Rng.seeded(21), 2, 1, 5, 4);
            assertThatThrownBy(() -> m.forward(b, ForwardMode.inference())).hasMessageContaining("L = 1");
        }
    }

    static void assertClose(HostTensor a, HostTensor b, double tol) {
        assertThat(a.shape()).containsExactly(b.shape());
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.data()[i]).as("element %d", i).isCloseTo(b.data()[i], within(tol));
        }
    }

    /** Records where it is called; gathers block 0 from the table. */
    private static final class Recording implements StackedLinearCde.ForwardHooks {
        final List<String> calls = new ArrayList<>();

        @Override
        public <T> T blockInput(TensorOps<T> ops, int block, T x) {
            calls.add("input " + block);
            return x;
        }

        @Override
        public <T> T dropout(TensorOps<T> ops, T z, double rate, Rng stream) {
            calls.add("dropout " + rate);
            return StackedLinearCde.ForwardHooks.super.dropout(ops, z, rate, stream);
        }

        @Override
        public boolean gatherFirstLayer() {
            return true;
        }
    }

    /**
     * The one forward with a backend's hooks ({@code StackedLinearCde.ForwardHooks}): gathering block 0's
     * coefficients from the embedding table's ({@code LinearCdeLayer.forwardFromTable}) gives the plain
     * forward's outputs and gradients, and the hooks are called where they should be.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void theTableGatherAndTheHooksChangeNoValue(StructureSpec s) {
        LinearCdeSpec spec = Fixtures.smallSpec(s, 4, 3).withDropout(0.25);
        StackedLinearCde graph = new StackedLinearCde(spec, REGISTRY);
        Map<String, HostTensor> params = graph.initialize(Rng.seeded(4)).asMap();
        Batch batch = Fixtures.tokenBatch(Rng.seeded(5), 3, 6, 5, 4);
        ForwardMode training = ForwardMode.training(Rng.seeded(6));
        Recording hooks = new Recording();
        // the conditions of the gather: a row-wise coefficient map, recurrent evaluation
        assertThat(graph.layer(0).field().rowWiseCoefficients()).isTrue();
        assertThat(training.evaluation()).isEqualTo(ForwardMode.Evaluation.RECURRENT);
        Session.GradientResult plain = session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return graph.forward(ops, p, batch, training);
            }
        }, params);
        Session.GradientResult hooked = session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return graph.withHooks(hooks).forward(ops, p, batch, training);
            }
        }, params);
        assertThat(hooks.calls).containsExactly("dropout 0.25", "input 1", "dropout 0.25", "input 2", "dropout 0.25");
        assertThat(maxAbsDiff(hooked.value(), plain.value())).isLessThan(1e-13);
        for (String name : params.keySet()) {
            assertThat(maxAbsDiff(hooked.gradients().get(name), plain.gradients().get(name))).as(name).isLessThan(1e-12);
        }
    }

    private static double maxAbsDiff(HostTensor a, HostTensor b) {
        assertThat(a.shape()).containsExactly(b.shape());
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
