package org.lincde.harness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.harness.data.TokenTask;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Schedule;
import org.lincde.spi.SequenceModel;

/** The R1 loop's bookkeeping (SPEC §4.1), with a scripted model whose accuracy is known in advance. */
class TrainerTest {

    /** One validation batch of 4 single-position sequences, labels 0..3. */
    static final class FakeTask implements TokenTask {
        final List<Long> trainSteps = new ArrayList<>();
        final boolean auxiliary;

        FakeTask(boolean auxiliary) {
            this.auxiliary = auxiliary;
        }

        public String name() {
            return "fake";
        }

        public int vocabSize() {
            return 4;
        }

        public int labelDim() {
            return 4;
        }

        public Batch trainBatch(long step, int batchSize) {
            trainSteps.add(step);
            return batch(step);
        }

        public Optional<Batch> auxiliaryBatch(long step, int batchSize) {
            return auxiliary ? Optional.of(batch(-1 - step)) : Optional.empty();
        }

        public List<Batch> validationBatches(int batchSize) {
            return List.of(batch(0));
        }

        static Batch batch(long tag) {
            int[] ids = {(int) Math.floorMod(tag, 4), 1, 2, 3};
            return Batch.of(new Batch.TokenInputs(4, 1, ids),
                    new Batch.TokenTargets(new int[] {0, 1, 2, 3}, new boolean[] {true, true, true, true}));
        }
    }

    /** Gets {@code correct[e]} of 4 validation positions right at evaluation e; step s is non-finite if listed. */
    static final class ScriptedModel implements SequenceModel {
        final int[] correct;
        final long nanAtStep;
        int evaluations;
        long steps;
        final List<Integer> batchesPerStep = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();

        ScriptedModel(long nanAtStep, int... correct) {
            this.correct = correct;
            this.nanAtStep = nanAtStep;
        }

        public ModelSpec spec() {
            return null;
        }

        public HostTensor forward(Batch batch, ForwardMode mode) {
            int right = correct[Math.min(evaluations++, correct.length - 1)];
            double[] logits = new double[16];
            for (int pos = 0; pos < 4; pos++) {
                logits[pos * 4 + (pos < right ? pos : (pos + 1) % 4)] = 1.0; // argmax == label for the first `right`
            }
            return HostTensor.of(logits, 4, 1, 4);
        }

        public LossReport lossAndGradients(List<Batch> b, Objective o, ForwardMode m) {
            throw new UnsupportedOperationException();
        }

        public StepReport trainStep(List<Batch> b, Objective o, OptimizerSpec opt, double lr, ForwardMode m) {
            batchesPerStep.add(b.size());
            rates.add(lr);
            boolean finite = steps != nanAtStep;
            steps++;
            return new StepReport(finite ? 1.0 / steps : Double.NaN, 0, 0, finite);
        }

        public ParameterSet parameters() {
            return new ParameterSet();
        }

        public void load(ParameterSet p) {}

        public long steps() {
            return steps;
        }

        public void close() {}
    }

    private static TrainingSettings settings(long steps, int print, double threshold) {
        return TrainingSettings.builder().batchSize(2).numSteps(steps).printSteps(print)
                .schedule(Schedule.WarmupCosine.r1(0.01, steps)).objective(Objective.maskedCrossEntropy(0))
                .optimizer(OptimizerSpec.AdamW.r1()).earlyStopThreshold(threshold)
                .auxiliaryMode(TrainingSettings.AuxiliaryMode.ACCUMULATE).evalBatchSize(8).build();
    }

    private static TrainingSettings r1Settings(long steps, int print, double threshold) {
        TrainingSettings s = settings(steps, print, threshold);
        return s.toBuilder().loop(TrainingSettings.LoopRule.R1).build();
    }

    /*
     * R1's train.py (76dd0dd) lines 112-158 and 249-252, traced by hand for num_steps = 10, print_steps = 4:
     *   step 0: update (lr 0), 0 % 4 == 0 -> evaluate "step 0"; 0 > 10? no; step = 1
     *   ... step 4: update, evaluate "step 4" ... step 8: update, evaluate "step 8"
     *   step 10: update (the while test is not re-checked inside the for loop); 10 > 10? no; step = 11
     *   step 11: update; 11 % 4 != 0; 11 > 10 -> break; while 11 < 10 fails: 12 updates, 3 evaluations.
     */
    @Test
    void r1LoopUpdatesFirstThenEvaluatesAndTakesNumStepsPlusTwoUpdates() {
        ScriptedModel m = new ScriptedModel(-1, 0, 1, 2, 3);
        RunOutcome r = train(r1Settings(10, 4, 1.0), m);
        assertThat(r.curve()).extracting(EvaluationPoint::step).containsExactly(0L, 4L, 8L);
        assertThat(r.curve()).extracting(EvaluationPoint::valAccuracy).containsExactly(0.0, 0.25, 0.5);
        assertThat(r.status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(r.stepsTaken()).isEqualTo(12);
        assertThat(m.steps()).isEqualTo(12);
        assertThat(r.finalAccuracy()).isEqualTo(0.5);
        // the evaluation "at step 0" follows update 0, whose loss (1/1) it reports; step 4's covers updates 1..4
        assertThat(r.curve().get(0).trainLoss()).isEqualTo(1.0);
        assertThat(r.curve().get(1).trainLoss()).isEqualTo((1 / 2.0 + 1 / 3.0 + 1 / 4.0 + 1 / 5.0) / 4);
        // updates 10 and 11 run past the schedule's end at R1's floor 1e-5 (lr_scheduler.py: step >= T -> min_lr)
        assertThat(m.rates.get(10)).isEqualTo(1e-5);
        assertThat(m.rates.get(11)).isEqualTo(1e-5);
        assertThat(m.rates.get(0)).isEqualTo(0.0);
    }

    @Test
    void r1LoopOnTheAuthorsConfigEvaluates21TimesAndTakes100003Updates() {
        // bdlncde_cycle_nav.json: num_steps 100001, print_steps 5000 -> evaluations at 0, 5000, ..., 100000
        ScriptedModel m = new ScriptedModel(-1, 0);
        RunOutcome r = train(r1Settings(100_001, 5000, 1.0), m);
        assertThat(r.curve()).hasSize(21);
        assertThat(r.curve().get(20).step()).isEqualTo(100_000L);
        assertThat(m.steps()).isEqualTo(100_003L);
    }

    @Test
    void evaluatesAtEveryMultipleOfPrintStepsFromZeroAndAfterTheLastStep() {
        ScriptedModel m = new ScriptedModel(-1, 0, 1, 2, 3, 3);
        RunOutcome r = train(settings(10, 4, 1.0), m);
        assertThat(r.curve()).extracting(EvaluationPoint::step).containsExactly(0L, 4L, 8L, 10L);
        assertThat(r.curve()).extracting(EvaluationPoint::valAccuracy).containsExactly(0.0, 0.25, 0.5, 0.75);
        assertThat(r.status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(r.stepsTaken()).isEqualTo(10);
        assertThat(r.bestAccuracy()).isEqualTo(0.75);
        // the schedule: warm-up W = 1 step, so step 0 has lr 0 and step 1 the peak
        assertThat(m.rates.get(0)).isEqualTo(0.0);
        assertThat(m.rates.get(1)).isEqualTo(0.01);
        assertThat(r.curve().get(1).trainLoss()).isEqualTo((1.0 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0) / 4);
    }

    @Test
    void r1LoopWithPrintStepsDividingAllStepsEvaluates21TimesFor100001Steps() {
        // num_steps = 100001, print_steps = 5000 → 21 evaluations (0, 5000, …, 100000), SPEC §4.1
        long evals = java.util.stream.LongStream.range(0, 100_001).filter(s -> s % 5000 == 0).count();
        assertThat(evals).isEqualTo(21);
    }

    /**
     * Accuracies 0.25 at step 0, 0.75 at 5 (not > 0.75), 1.0 at 10: both loops stop at the evaluation of step 10;
     * lincde's loop evaluates before update 10 (10 updates taken), R1's after it (updates 0..10: 11 taken).
     */
    @ParameterizedTest(name = "R1 loop {0}")
    @ValueSource(booleans = {false, true})
    void stopsEarlyOnlyWhenAccuracyIsStrictlyAboveTheThreshold(boolean r1Loop) {
        ScriptedModel m = new ScriptedModel(-1, 1, 3, 4, 4);
        RunOutcome r = train(r1Loop ? r1Settings(100, 5, 0.75) : settings(100, 5, 0.75), m);
        assertThat(r.status()).isEqualTo(RunOutcome.Status.EARLY_STOPPED);
        assertThat(r.curve()).extracting(EvaluationPoint::step).containsExactly(0L, 5L, 10L);
        assertThat(r.stepsTaken()).isEqualTo(r1Loop ? 11 : 10);
        assertThat(m.steps()).isEqualTo(r1Loop ? 11 : 10);
    }

    @Test
    void aNonFiniteStepEndsTheRunAsDiverged() {
        ScriptedModel m = new ScriptedModel(6, 0);
        RunOutcome r = train(settings(100, 5, 1.0), m);
        assertThat(r.status()).isEqualTo(RunOutcome.Status.DIVERGED);
        assertThat(r.divergedAtStep()).isEqualTo(6);
        assertThat(m.steps()).isEqualTo(7);
    }

    @Test
    void a5StepsAccumulateTheAuxiliaryBatchIntoOneUpdate() {
        ScriptedModel m = new ScriptedModel(-1, 0);
        FakeTask task = new FakeTask(true);
        new Trainer(settings(3, 10, 1.0)).train(m, task, Rng.seeded(1), TrainingListener.NONE,
                Trainer.CheckpointSink.NONE);
        assertThat(m.batchesPerStep).containsExactly(2, 2, 2);
        assertThat(task.trainSteps).containsExactly(0L, 1L, 2L);
    }

    /** One run of the trainer on the scripted model and the fake task, seed 1, no listener, no checkpoints. */
    private static RunOutcome train(TrainingSettings settings, ScriptedModel m) {
        return new Trainer(settings).train(m, new FakeTask(false), Rng.seeded(1), TrainingListener.NONE,
                Trainer.CheckpointSink.NONE);
    }
}
