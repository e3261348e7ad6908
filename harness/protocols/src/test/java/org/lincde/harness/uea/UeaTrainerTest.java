package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.RunOutcome;
import org.lincde.harness.train.TrainingListener;
import org.lincde.spi.SequenceModel;

/** SPEC §4.3's early stopping and test-at-best selection on scripted validation accuracies. */
class UeaTrainerTest {

    @Test
    void earlyStoppingRuleFollowsR3() {
        EarlyStopping r = new EarlyStopping(2);
        // first evaluation: 0.0 ties best = [0.0]: counts as non-improving AND selects (test recomputed)
        assertThat(r.observe(0.0)).isEqualTo(EarlyStopping.Decision.EVALUATE_TEST);
        assertThat(r.counter()).isEqualTo(1);
        assertThat(r.observe(0.5)).isEqualTo(EarlyStopping.Decision.EVALUATE_TEST);
        assertThat(r.counter()).isZero();
        assertThat(r.observe(0.4)).isEqualTo(EarlyStopping.Decision.CONTINUE);
        assertThat(r.observe(0.5)).isEqualTo(EarlyStopping.Decision.EVALUATE_TEST); // tie: counter 2, selected
        assertThat(r.counter()).isEqualTo(2);
        assertThat(r.observe(0.5)).isEqualTo(EarlyStopping.Decision.STOP);           // counter 3 > 2: stop first
        assertThat(r.selections()).isEqualTo(3);
        assertThat(r.best()).isEqualTo(0.5);
    }

    /**
     * Scripted run, print every 10 steps, patience 10: the best is 0.8 at evaluation 3, a tie at 8, then
     * 11 consecutive non-improving evaluations (4..14, ties included) end it at evaluation 14 (step 140);
     * the test accuracy is the one evaluated at the tie (step 80), not at the first 0.8.
     */
    @Test
    void reportsTheTestAccuracyOfTheLastSelectedCheckpointAndStopsOnTheEleventhNonImprovingEvaluation() {
        double[] val = {0.2, 0.5, 0.8, 0.7, 0.7, 0.6, 0.7, 0.8, 0.7, 0.7, 0.7, 0.6, 0.7, 0.8, 0.9, 0.9};
        List<String> calls = new ArrayList<>();
        int[] evalIndex = {0};
        UeaTrainer.Outcome out = new UeaTrainer(1000, 10, 10).run(
                step -> new SequenceModel.StepReport(1.0 / (step + 1), 1.0 / (step + 1), 0, true),
                split -> {
                    calls.add(split.name());
                    return switch (split) {
                        case TRAIN -> 0.9;
                        case VALIDATION -> val[evalIndex[0]++];
                        case TEST -> 0.01 * evalIndex[0]; // identifies the evaluation it was taken at
                    };
                },
                TrainingListener.NONE);
        // evaluation 8 is a tie with 0.8 (counter 5) and refreshes the test accuracy; evaluation 14
        // (0.8, a tie) is the 11th non-improving evaluation in a row since evaluation 3 and stops first
        assertThat(out.status()).isEqualTo(RunOutcome.Status.EARLY_STOPPED);
        assertThat(out.curve()).extracting(EvaluationPoint::step)
                .containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L, 110L, 120L, 130L, 140L);
        assertThat(out.testStep()).isEqualTo(80);
        assertThat(out.testAccuracy()).isCloseTo(0.08, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(out.stepsTaken()).isEqualTo(140);
        assertThat(calls.stream().filter("TEST"::equals).count()).isEqualTo(4); // evaluations 1, 2, 3, 8
        assertThat(out.bestValidation()).isEqualTo(0.8);
        assertThat(out.trainAccuracies()).hasSize(14).containsOnly(0.9);
        // mean training loss over the 10 steps before each evaluation
        double expected = 0;
        for (int s = 0; s < 10; s++) {
            expected += 1.0 / (s + 1);
        }
        assertThat(out.curve().get(0).trainLoss()).isCloseTo(expected / 10, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aNonFiniteStepEndsTheRunAsDiverged() {
        UeaTrainer.Outcome out = new UeaTrainer(100, 10, 10).run(
                step -> new SequenceModel.StepReport(1, 1, 0, step != 25),
                split -> 0.5, TrainingListener.NONE);
        assertThat(out.status()).isEqualTo(RunOutcome.Status.DIVERGED);
        assertThat(out.divergedAtStep()).isEqualTo(25);
        assertThat(out.stepsTaken()).isEqualTo(25);
        assertThat(out.curve()).hasSize(2);
    }

    @Test
    void withoutAnyEvaluationTheTestAccuracyIsNaN() {
        UeaTrainer.Outcome out = new UeaTrainer(5, 10, 10).run(step -> new SequenceModel.StepReport(1, 1, 0, true),
                split -> 1.0, TrainingListener.NONE);
        assertThat(out.status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(out.testAccuracy()).isNaN();
        assertThat(out.curve()).isEmpty();
    }
}
