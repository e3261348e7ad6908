package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.Batch;
import org.lincde.spi.BatchNormState;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/**
 * LRU's BatchNorm running statistics (SPEC §2.5) are host-side and backend-neutral: two training steps and
 * an evaluation on every backend present give the float64 oracle's statistics and logits.
 */
class BatchNormAcrossBackendsTest {
    private record Outcome(BatchNormState state, double[] logits) {}

    private static Outcome run(Backend backend, ModelSpec spec, ParameterSet init, List<Batch> batches) {
        BatchNormState state = new BatchNormState(BatchNormState.EQUINOX_MOMENTUM);
        Rng dropout = Rng.seeded(9).stream("dropout");
        try (Session s = backend.open(SessionOptions.of(DType.FLOAT64)); SequenceModel m = s.model(spec, init)) {
            for (int step = 0; step < 2; step++) {
                m.trainStep(List.of(batches.get(step)), new Objective(R3Baseline.LRU.loss(true, 1e-8), 0.0),
                        OptimizerSpec.AdamW.adam(), 1e-2,
                        new ForwardMode(true, dropout.stream(step), ForwardMode.Evaluation.RECURRENT, state));
            }
            return new Outcome(state, m.forward(batches.get(2), ForwardMode.inference().withBatchNorm(state)).data());
        }
    }

    @Test
    void everyBackendKeepsTheOraclesRunningStatistics() {
        ModelSpec spec = R3Baseline.LRU.spec(3, 4, SsmSettings.of(1e-3, false, 2, 8, 4));
        Rng rng = Rng.seeded(5);
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), rng);
        List<Batch> batches = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double[] x = new double[5 * 6 * 3];
            rng.stream("x", i).fillNormal(x, 0.5, 2.0);
            int[] labels = new int[5];
            for (int b = 0; b < 5; b++) {
                labels[b] = rng.stream("y", i).nextInt(4);
            }
            batches.add(Batch.of(new Batch.ChannelInputs(5, 6, 3, x), new Batch.SequenceTargets(labels)));
        }
        BackendRegistry backends = BackendRegistry.discover();
        Outcome oracle = run(backends.get("reference"), spec, init, batches);
        assertThat(oracle.state().layers()).containsExactly("blocks.0.norm", "blocks.1.norm");
        for (Backend b : backends.all()) {
            Outcome o = run(b, spec, init, batches);
            for (String layer : oracle.state().layers()) {
                double[][] want = oracle.state().running(layer).orElseThrow();
                double[][] got = o.state().running(layer).orElseThrow();
                for (int k = 0; k < 2; k++) {
                    for (int c = 0; c < want[k].length; c++) {
                        assertThat(got[k][c]).as("%s %s %s[%d]", b.id(), layer, k == 0 ? "mean" : "var", c)
                                .isCloseTo(want[k][c], within(1e-9 * (1 + Math.abs(want[k][c]))));
                    }
                }
            }
            for (int i = 0; i < oracle.logits().length; i++) {
                assertThat(o.logits()[i]).as("%s logit %d", b.id(), i)
                        .isCloseTo(oracle.logits()[i], within(1e-9 * (1 + Math.abs(oracle.logits()[i]))));
            }
        }
    }
}
