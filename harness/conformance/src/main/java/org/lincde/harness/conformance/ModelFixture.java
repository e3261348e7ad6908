package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;

/**
 * The inputs of one model case on one subject, built once in backend-neutral Java from the kit's
 * {@link Rng} and handed unchanged to every backend (docs/STYLE.md §7 "same inputs by construction"), plus
 * the float64 oracle's results on them, computed once and shared by every backend and dtype.
 */
final class ModelFixture {
    /** AdamW steps of the {@link Check#ADAMW} case. */
    static final int STEPS = 5;

    final ModelCase modelCase;
    final Subject subject;
    final ModelSpec spec;
    final ModelGraph graph;
    final ParameterSet init;
    final Batch batch;
    final List<Batch> stepBatches = new ArrayList<>();
    final ForwardMode training;
    final Rng rng;
    final Memo<HostTensor> oracleForward;
    final Memo<SequenceModel.LossReport> oracleGradients;
    final Memo<ParameterSet> oracleTrained;

    ModelFixture(ModelCase mc, Subject subject, Rng root, Session oracle) {
        this.modelCase = mc;
        this.subject = subject;
        this.spec = mc.spec(subject.structure(), subject.spec());
        StructureRegistry structures = new StructureRegistry(
                subject.structure() == null ? List.of() : List.of(subject.structure()));
        this.graph = Models.graph(spec, structures);
        this.rng = root.stream("conformance", subject.label(), mc.name());
        this.init = mc.initialParameters(Models.initialize(spec, structures, rng), rng.stream("initial-parameters"));
        this.batch = mc.batch(rng, 0);
        for (int k = 1; k <= STEPS; k++) {
            stepBatches.add(mc.batch(rng, k));
        }
        this.training = ForwardMode.training(rng.stream("dropout"));
        this.oracleForward = new Memo<>(() -> {
            try (SequenceModel m = oracle.model(spec, init)) {
                return m.forward(batch, training);
            }
        });
        this.oracleGradients = new Memo<>(() -> {
            try (SequenceModel m = oracle.model(spec, init)) {
                return m.lossAndGradients(List.of(batch), mc.objective(), training);
            }
        });
        this.oracleTrained = new Memo<>(() -> {
            try (SequenceModel m = oracle.model(spec, init)) {
                return train(m);
            }
        });
    }

    /** The {@link #STEPS} AdamW steps of the ADAMW case on {@code m}; returns the parameters after them. */
    ParameterSet train(SequenceModel m) {
        for (int k = 0; k < STEPS; k++) {
            SequenceModel.StepReport r = m.trainStep(List.of(stepBatches.get(k)), modelCase.objective(),
                    modelCase.optimizer(), modelCase.learningRate(), ForwardMode.training(rng.stream("step-dropout", k)));
            if (!r.finite()) {
                throw new IllegalStateException("AdamW step " + (k + 1) + " had a non-finite loss or gradient (loss "
                        + r.loss() + ")");
            }
        }
        return m.parameters();
    }

    /** {@code memo.get()}, with a failure of the oracle named as such. */
    static <T> T oracle(Memo<T> memo) {
        try {
            return memo.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the float64 oracle failed: " + CaseRunner.describe(e), e);
        }
    }
}
