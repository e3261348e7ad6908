package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TensorOps;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.model.Models;

/**
 * The Transformer's fused path on djl ({@code FusedAttention}, {@code TensorOps.fusedAttention}: one {@code linear}
 * per affine map, Q, K and V from one product of the stacked weights, the scale in the query's rotary tables)
 * against the generic graph on the same backend, float64, inference and training mode (dropout): logits and
 * every gradient. The gradients of the fused path against central differences of its own loss. And the same
 * bits at one and two threads. The model-level fused-vs-generic check across backends is the conformance kit's
 * ({@code -/transformer-r1}).
 */
class FusedAttentionTest {
    private static final Objective OBJECTIVE = Objective.maskedCrossEntropy(0.05);
    /** Two heads of width 8 (R1's head width), two blocks, dropout high enough that masks matter. */
    private static final TransformerSpec SPEC = new TransformerSpec(SequenceIo.tokens(5, 4), 16, 2, 2, 24, 0.2);

    private static ParameterSet init() {
        return Models.initialize(SPEC, StructureRegistry.discover(), Rng.seeded(31));
    }

    private static List<Batch> batches(int b, int len) {
        Rng rng = Rng.seeded(32);
        return List.of(DjlFixtures.tokenBatch(rng, b, len, 5, 4), DjlFixtures.tokenBatch(rng, b, len, 5, 4));
    }

    @Test
    void onlyAFusedSessionOffersTheKernel() {
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction probe = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedAttention().isPresent());
                return ops.sumAll(p.get("x"));
            }
        };
        var in = DjlFixtures.inputs(Rng.seeded(1), "x", new int[] {2});
        try (Session fused = DjlFixtures.session(DType.FLOAT32, true);
             Session generic = DjlFixtures.session(DType.FLOAT32, false)) {
            fused.gradient(probe, in);
            assertThat(offered.get()).as("a fused session offers the kernel").isTrue();
            generic.gradient(probe, in);
            assertThat(offered.get()).as("a generic session declines").isFalse();
        }
    }

    @Test
    void fusedEqualsGenericLogitsAndGradientsInFloat64() {
        ParameterSet p0 = init();
        List<Batch> batches = batches(3, 9);
        try (Session fs = DjlFixtures.session(DType.FLOAT64, true);
             Session gs = DjlFixtures.session(DType.FLOAT64, false);
             SequenceModel f = fs.model(SPEC, p0);
             SequenceModel g = gs.model(SPEC, p0)) {
            assertClose("logits (inference)", f.forward(batches.get(0), ForwardMode.inference()),
                    g.forward(batches.get(0), ForwardMode.inference()), 1e-12);
            ForwardMode train = ForwardMode.training(Rng.seeded(3).stream("dropout"));
            assertClose("logits (training)", f.forward(batches.get(1), train), g.forward(batches.get(1), train), 1e-12);
            SequenceModel.LossReport lf = f.lossAndGradients(batches, OBJECTIVE, train);
            SequenceModel.LossReport lg = g.lossAndGradients(batches, OBJECTIVE, train);
            assertThat(Math.abs(lf.loss() - lg.loss())).isLessThanOrEqualTo(1e-12 * Math.abs(lg.loss()));
            assertThat(lg.gradients().names()).hasSize(p0.entries(ParameterSet.Entry::trainable).size());
            for (String name : lg.gradients().names()) {
                assertClose("gradient " + name, lf.gradients().get(name), lg.gradients().get(name), 1e-10);
            }
        }
    }

    @Test
    void fusedGradientsMatchCentralDifferencesInFloat64() {
        ParameterSet base = init();
        List<Batch> batches = batches(2, 7);
        ForwardMode mode = ForwardMode.training(Rng.seeded(5).stream("dropout"));
        try (Session fs = DjlFixtures.session(DType.FLOAT64, true); SequenceModel m = fs.model(SPEC, base)) {
            SequenceModel.LossReport r = m.lossAndGradients(batches, OBJECTIVE, mode);
            Rng pick = Rng.seeded(99);
            double eps = 1e-6;
            for (ParameterSet.Entry e : base.entries(ParameterSet.Entry::trainable)) {
                double[] g = r.gradients().get(e.name()).data();
                int i = pick.nextInt(g.length);
                double fd = (lossAt(m, base, e.name(), i, eps, batches, mode)
                        - lossAt(m, base, e.name(), i, -eps, batches, mode)) / (2 * eps);
                assertThat(Math.abs(g[i] - fd)).as("%s[%d]: gradient %s, central difference %s", e.name(), i, g[i], fd)
                        .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
            }
        }
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

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        ParameterSet p0 = init();
        List<Batch> batches = batches(16, 12);
        ForwardMode train = ForwardMode.training(Rng.seeded(7).stream("dropout"));
        try (Session one = DjlFixtures.session(DType.FLOAT32, true, 1);
             Session two = DjlFixtures.session(DType.FLOAT32, true, 2);
             SequenceModel a = one.model(SPEC, p0);
             SequenceModel b = two.model(SPEC, p0)) {
            SequenceModel.LossReport ra = a.lossAndGradients(batches, OBJECTIVE, train);
            SequenceModel.LossReport rb = b.lossAndGradients(batches, OBJECTIVE, train);
            assertThat(rb.loss()).isEqualTo(ra.loss());
            for (String name : ra.gradients().names()) {
                assertThat(rb.gradients().get(name).data()).as(name).containsExactly(ra.gradients().get(name).data());
            }
        }
    }

    private static void assertClose(String what, HostTensor got, HostTensor expected, double tol) {
        assertThat(DjlFixtures.maxRelError(got, expected)).as("%s: max relative error", what).isLessThanOrEqualTo(tol);
    }
}
