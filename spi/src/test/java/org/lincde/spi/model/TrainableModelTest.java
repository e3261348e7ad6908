package org.lincde.spi.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * The training-step policy written once ({@link TrainableModel}) with a stand-in backward pass that
 * hands over chosen gradients: masks, zeros for unreached parameters, the non-finite guard, AdamW
 * groups against {@link AdamWUpdate} by hand, step counting, float32 rounding and load checks.
 */
class TrainableModelTest {
    private static final StackedLinearCde GRAPH = new StackedLinearCde(
            SharedFixtures.smallSpec(StructureSpec.of("sparse", "sparsity", "0.5"), 4, 1),
            StructureRegistry.discover());
    private static final String VF = "blocks.0.LCDE.vf_A.weight";
    private static final String MASK = "blocks.0.LCDE.mask";
    private static final String EMBEDDING = "embedding.weight";

    /** A model whose backward pass returns {@code loss} and the arrays in {@code grads} (others: none). */
    private static final class Scripted extends TrainableModel<double[]> {
        double loss = 1.5;
        Map<String, double[]> grads = new HashMap<>();

        Scripted(DType dtype, ParameterSet p) {
            super("test", GRAPH, dtype, ParameterArrays.doubles(dtype), p);
        }

        @Override
        public HostTensor forward(Batch batch, ForwardMode mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected <R> R backward(List<Batch> batches, Objective objective, ForwardMode mode,
                                 Function<Pass<double[]>, R> use) {
            Map<String, double[]> copies = new HashMap<>();
            grads.forEach((k, v) -> copies.put(k, v.clone()));
            return use.apply(new Pass<>(loss, loss - 0.5, 0.5, copies::get));
        }

        SequenceModel.StepReport step(OptimizerSpec.AdamW adam, double lr) {
            return trainStep(List.of(), null, adam, lr, null);
        }
    }

    private static ParameterSet init() {
        return GRAPH.initialize(Rng.seeded(7));
    }

    private static double[] ramp(int n, double scale) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = scale * (i + 1);
        }
        return g;
    }

    @Test
    void gradientsAreMaskedAndZeroWhereNoBackwardReached() {
        ParameterSet p = init();
        Scripted m = new Scripted(DType.FLOAT64, p);
        double[] g = ramp(p.get(VF).data().length, 0.25);
        m.grads.put(VF, g);
        ParameterSet grads = m.lossAndGradients(List.of(), null, null).gradients();
        double[] mask = p.get(MASK).data();
        assertThat(mask).contains(0.0).contains(1.0);
        double[] got = grads.get(VF).data();
        for (int i = 0; i < g.length; i++) {
            assertThat(got[i]).isEqualTo(g[i] * mask[i]);
        }
        // every trainable parameter has a gradient (zeros when none reached it), buffers have none
        assertThat(grads.names()).containsExactlyElementsOf(
                p.entries(ParameterSet.Entry::trainable).stream().map(ParameterSet.Entry::name).toList());
        assertThat(grads.get(EMBEDDING).data()).containsOnly(0.0);
        assertThat(grads.get(VF).type()).isEqualTo(ElementType.FLOAT64);
    }

    @Test
    void aNonFiniteLossOrGradientChangesNothing() {
        ParameterSet p = init();
        Scripted m = new Scripted(DType.FLOAT64, p);
        double[] g = ramp(p.get(EMBEDDING).data().length, 0.1);
        g[3] = Double.NaN;
        m.grads.put(EMBEDDING, g);
        assertThat(m.step(OptimizerSpec.AdamW.r1(), 0.1).finite()).isFalse();
        m.grads.put(EMBEDDING, ramp(g.length, 0.1));
        m.loss = Double.POSITIVE_INFINITY;
        assertThat(m.step(OptimizerSpec.AdamW.r1(), 0.1).finite()).isFalse();
        assertThat(m.steps()).isZero();
        assertThat(m.parameters().sameAs(p)).isTrue();
    }

    @Test
    void adamWUpdatesEveryTrainableWithItsGroupsDecayAndCountsFiniteSteps() {
        ParameterSet p = init();
        Scripted m = new Scripted(DType.FLOAT64, p);
        OptimizerSpec.AdamW adam = new OptimizerSpec.AdamW(0.9, 0.99, 1e-8, 0.3, "embedding");
        double[] ge = ramp(p.get(EMBEDDING).data().length, 0.01);
        double[] gv = ramp(p.get(VF).data().length, -0.02);
        m.grads.put(EMBEDDING, ge);
        m.grads.put(VF, gv);
        // by hand: two steps of the reference update; the embedding gets no decay, vf_A gets 0.3
        double[] we = p.get(EMBEDDING).data().clone();
        double[] wv = p.get(VF).data().clone();
        double[] mask = p.get(MASK).data();
        double[] gvMasked = gv.clone();
        for (int i = 0; i < gvMasked.length; i++) {
            gvMasked[i] *= mask[i];
        }
        double[] me = new double[we.length];
        double[] ve = new double[we.length];
        double[] mv = new double[wv.length];
        double[] vv = new double[wv.length];
        for (int step = 1; step <= 2; step++) {
            AdamWUpdate.apply(adam, we, ge, me, ve, step, 0.05, 0.0);
            AdamWUpdate.apply(adam, wv, gvMasked, mv, vv, step, 0.05, 0.3);
            assertThat(m.step(adam, 0.05).finite()).isTrue();
        }
        assertThat(m.steps()).isEqualTo(2);
        assertThat(m.parameters().get(EMBEDDING).data()).isEqualTo(we);
        assertThat(m.parameters().get(VF).data()).isEqualTo(wv);
        // buffers never move
        assertThat(m.parameters().get(MASK).data()).isEqualTo(mask);
        // load resets the count and the moments: the next step is a first step again
        m.load(p);
        assertThat(m.steps()).isZero();
        m.step(adam, 0.05);
        double[] once = p.get(EMBEDDING).data().clone();
        AdamWUpdate.apply(adam, once, ge, new double[once.length], new double[once.length], 1, 0.05, 0.0);
        assertThat(m.parameters().get(EMBEDDING).data()).isEqualTo(once);
    }

    @Test
    void float32StorageRoundsParametersAndMoments() {
        ParameterSet p = init();
        Scripted m = new Scripted(DType.FLOAT32, p);
        assertThat(m.parameters().get(EMBEDDING).type()).isEqualTo(ElementType.FLOAT32);
        double[] ge = ramp(p.get(EMBEDDING).data().length, 1.0 / 3.0);
        m.grads.put(EMBEDDING, ge);
        m.step(OptimizerSpec.AdamW.r1(), 0.01);
        for (double w : m.parameters().get(EMBEDDING).data()) {
            assertThat((double) (float) w).isEqualTo(w);
        }
        assertThat(m.lossAndGradients(List.of(), null, null).gradients().get(EMBEDDING).type())
                .isEqualTo(ElementType.FLOAT32);
    }

    @Test
    void loadNamesTheMissingMisshapenOrUnusedParameter() {
        ParameterSet p = init();
        Scripted m = new Scripted(DType.FLOAT64, p);
        ParameterSet missing = new ParameterSet();
        p.entries().stream().filter(e -> !e.name().equals(VF)).forEach(e -> missing.put(e.name(), e.tensor(), e.role()));
        assertThatThrownBy(() -> m.load(missing)).hasMessageContaining("lacks '" + VF + "'");
        ParameterSet misshapen = new ParameterSet();
        p.entries().forEach(e -> misshapen.put(e.name(),
                e.name().equals(EMBEDDING) ? HostTensor.of(new double[3], 3) : e.tensor(), e.role()));
        assertThatThrownBy(() -> m.load(misshapen)).hasMessageContaining("parameter '" + EMBEDDING + "' has shape [3]");
        ParameterSet extra = p.copy().put("extra", HostTensor.of(new double[1], 1));
        assertThatThrownBy(() -> m.load(extra)).hasMessageContaining("has 'extra', which the model does not use");
        // a failed load keeps the model as it was
        assertThat(m.parameters().sameAs(p)).isTrue();
        m.close();
        assertThatThrownBy(m::parameters).hasMessage("model of backend 'test' is closed");
    }
}
