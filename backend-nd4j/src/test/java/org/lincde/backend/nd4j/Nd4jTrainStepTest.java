package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.Models;

/**
 * Training steps: AdamW against the reference update {@link AdamWUpdate} (decoupled decay, the
 * no-decay group of embeddings, bias correction over several steps), the NaN/Inf guard, the sparse
 * gradient mask, and what {@code load}/{@code parameters} promise.
 */
class Nd4jTrainStepTest {
    private static final Objective OBJECTIVE = Objective.maskedCrossEntropy(0.01);

    private static LinearCdeSpec spec(StructureSpec s) {
        return Nd4jFixtures.smallSpec(s, 4, 2);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamWMatchesTheReferenceUpdateOverSeveralSteps(DType dtype) {
        LinearCdeSpec spec = spec(StructureSpec.of("block-diagonal", "block_size", "2"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(51));
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(52), 3, 5, 5, 4));
        OptimizerSpec.AdamW adam = new OptimizerSpec.AdamW(0.8, 0.95, 1e-6, 0.3, "embedding");
        double lr = 0.05;
        try (SequenceModel model = Nd4jFixtures.session(dtype).model(spec, init)) {
            ParameterSet expected = model.parameters();           // rounded to the session's dtype
            Map<String, double[]> m = new HashMap<>();
            Map<String, double[]> v = new HashMap<>();
            for (int step = 1; step <= 3; step++) {
                ForwardMode mode = ForwardMode.training(Rng.seeded(53).stream(step));
                SequenceModel.LossReport grads = model.lossAndGradients(batches, OBJECTIVE, mode);
                SequenceModel.StepReport report = model.trainStep(batches, OBJECTIVE, adam, lr, mode);
                assertThat(report.finite()).isTrue();
                assertThat(report.loss()).isEqualTo(grads.loss());
                assertThat(model.steps()).isEqualTo(step);
                for (ParameterSet.Entry e : grads.gradients().entries()) {
                    double[] w = expected.get(e.name()).data();
                    AdamWUpdate.apply(adam, w, e.tensor().data(), m.computeIfAbsent(e.name(), k -> new double[w.length]),
                            v.computeIfAbsent(e.name(), k -> new double[w.length]), step, lr, adam.decayFor(e.name()));
                    if (dtype == DType.FLOAT32) {
                        for (int i = 0; i < w.length; i++) {
                            w[i] = (float) w[i];
                        }
                    }
                }
                ParameterSet actual = model.parameters();
                for (ParameterSet.Entry e : actual.entries(ParameterSet.Entry::trainable)) {
                    double err = Nd4jFixtures.maxScaledErr(e.tensor().data(), expected.get(e.name()).data(), 1.0);
                    assertThat(err).as("step %d %s", step, e.name()).isLessThan(dtype == DType.FLOAT64 ? 1e-14 : 1e-6);
                }
                expected = actual;   // float32: carry the backend's rounding forward
            }
            // the embedding is in the no-decay group: with a zero gradient it would not move at all
            assertThat(adam.decayFor("embedding.weight")).isZero();
            assertThat(adam.decayFor("blocks.0.LCDE.vf_A")).isEqualTo(0.3);
        }
    }

    @Test
    void nonFiniteLossSkipsTheUpdate() {
        LinearCdeSpec spec = spec(StructureSpec.of("diagonal"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(61));
        init.get("linear.weight").data()[3] = Double.NaN;
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(62), 2, 4, 5, 4));
        try (SequenceModel model = Nd4jFixtures.session(DType.FLOAT64).model(spec, init)) {
            ParameterSet before = model.parameters();
            SequenceModel.StepReport r = model.trainStep(batches, OBJECTIVE, OptimizerSpec.AdamW.r1(), 1e-3,
                    ForwardMode.training(Rng.seeded(63)));
            assertThat(r.finite()).isFalse();
            assertThat(Double.isNaN(r.loss())).isTrue();
            assertThat(model.steps()).isZero();
            assertThat(model.parameters().sameAs(before)).isTrue();
        }
    }

    @Test
    void float32OverflowSkipsTheUpdate() {
        // weights near float32's largest value overflow the forward/backward pass to Inf/NaN
        LinearCdeSpec spec = spec(StructureSpec.of("diagonal"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(64));
        init.get("blocks.1.norm.weight").data()[0] = 1e38;
        init.get("linear.weight").data()[0] = 1e38;
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(65), 2, 4, 5, 4));
        try (SequenceModel model = Nd4jFixtures.session(DType.FLOAT32).model(spec, init)) {
            ParameterSet before = model.parameters();
            SequenceModel.StepReport r = model.trainStep(batches, OBJECTIVE, OptimizerSpec.AdamW.r1(), 1e-3,
                    ForwardMode.training(Rng.seeded(66)));
            assertThat(r.finite()).isFalse();
            assertThat(model.steps()).isZero();
            assertThat(model.parameters().sameAs(before)).isTrue();
        }
    }

    @Test
    void sparseMaskedWeightsStayZero() {
        LinearCdeSpec spec = spec(StructureSpec.of("sparse", "sparsity", "0.4"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(71));
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(72), 3, 5, 5, 4));
        try (SequenceModel model = Nd4jFixtures.session(DType.FLOAT32).model(spec, init)) {
            for (int step = 0; step < 3; step++) {
                assertThat(model.trainStep(batches, OBJECTIVE, OptimizerSpec.AdamW.r1(), 0.05,
                        ForwardMode.training(Rng.seeded(73).stream(step))).finite()).isTrue();
            }
            ParameterSet p = model.parameters();
            int masked = 0;
            int moved = 0;
            for (int blk = 0; blk < 2; blk++) {
                double[] w = p.get("blocks." + blk + ".LCDE.vf_A.weight").data();
                double[] w0 = init.get("blocks." + blk + ".LCDE.vf_A.weight").data();
                double[] mask = p.get("blocks." + blk + ".LCDE.mask").data();
                assertThat(p.get("blocks." + blk + ".LCDE.mask").type()).isEqualTo(ElementType.BOOL);
                for (int i = 0; i < w.length; i++) {
                    if (mask[i] == 0) {
                        masked++;
                        assertThat(w[i]).as("masked weight %d of block %d", i, blk).isZero();
                    } else if (w[i] != (float) w0[i]) {
                        moved++;
                    }
                }
            }
            assertThat(masked).isPositive();
            assertThat(moved).isPositive();
        }
    }

    /**
     * No graph is built per shape: batches of any length run on the same model, and a call after a
     * larger one (the workspace grew) gives bit-identical results to the same call before it.
     */
    @Test
    void variableSequenceLengthsShareOneModel() {
        LinearCdeSpec spec = spec(StructureSpec.of("dplr", "rank", "2"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(91));
        Batch small = Nd4jFixtures.tokenBatch(Rng.seeded(92), 2, 4, 5, 4);
        Batch large = Nd4jFixtures.tokenBatch(Rng.seeded(93), 7, 23, 5, 4);
        Batch medium = Nd4jFixtures.tokenBatch(Rng.seeded(94), 3, 11, 5, 4);
        try (SequenceModel model = Nd4jFixtures.session(DType.FLOAT32).model(spec, init)) {
            HostTensor before = model.forward(small, ForwardMode.inference());
            SequenceModel.LossReport l1 = model.lossAndGradients(List.of(medium), OBJECTIVE, ForwardMode.inference());
            for (Batch b : List.of(large, small, medium)) {
                assertThat(model.trainStep(List.of(b), OBJECTIVE, OptimizerSpec.AdamW.r1(), 0.0,
                        ForwardMode.inference()).finite()).isTrue();       // lr 0: parameters stay
            }
            assertThat(model.forward(small, ForwardMode.inference()).sameAs(before)).isTrue();
            SequenceModel.LossReport l2 = model.lossAndGradients(List.of(medium), OBJECTIVE, ForwardMode.inference());
            assertThat(l2.loss()).isEqualTo(l1.loss());
            assertThat(l2.gradients().sameAs(l1.gradients())).isTrue();
            assertThat(model.forward(large, ForwardMode.inference()).shape()).containsExactly(7, 23, 4);
        }
    }

    @Test
    void loadChecksNamesAndShapesAndResetsTheOptimiser() {
        LinearCdeSpec spec = spec(StructureSpec.of("walsh-hadamard"));
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(81));
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(Rng.seeded(82), 2, 4, 5, 4));
        try (SequenceModel model = Nd4jFixtures.session(DType.FLOAT64).model(spec, init)) {
            assertThat(model.parameters().sameAs(init)).isTrue();        // float64: exact round trip
            model.trainStep(batches, OBJECTIVE, OptimizerSpec.AdamW.r1(), 1e-2, ForwardMode.training(Rng.seeded(83)));
            assertThat(model.steps()).isEqualTo(1);
            assertThat(model.parameters().sameAs(init)).isFalse();
            model.load(init);
            assertThat(model.steps()).isZero();
            assertThat(model.parameters().sameAs(init)).isTrue();

            ParameterSet extra = init.copy().put("bogus", HostTensor.of(new double[1], 1));
            assertThatThrownBy(() -> model.load(extra)).hasMessageContaining("'bogus'");
            ParameterSet missing = new ParameterSet();
            assertThatThrownBy(() -> model.load(missing)).hasMessageContaining("lacks 'embedding.weight'");
            assertThat(model.parameters().sameAs(init)).isTrue();        // failed loads change nothing
        }
        SequenceModel closed = Nd4jFixtures.session(DType.FLOAT64).model(spec, init);
        closed.close();
        closed.close();
        assertThatThrownBy(() -> closed.forward(batches.get(0), ForwardMode.inference()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
