package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.uea.EpochBatchSampler;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.RunOutcome;
import org.lincde.harness.train.TrainingListener;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;

/**
 * R3's PyTorch trainer for S6/Mamba (torch_experiments/train.py at 5612f00, lines 186–349), traced by hand:
 * evaluation after the update at steps 0, print_steps, …; whole epochs with the last partial batch; a tie
 * resets patience; shuffled loaders with per-batch accuracy.
 */
class PyTorchLoopTest {

    /*
     * train.py:299-325 on val = 0.5, 0.5, then 0.4 repeatedly, early_stopping_steps = 10:
     *   eval 1: list empty -> improvement: counter = 0, test; then 0.5 <= max([0.5]) -> counter 1
     *   eval 2 (tie): 0.5 >= 0.5 -> counter = 0, test; 0.5 <= 0.5 -> counter 1
     *   evals 3..: 0.4 < 0.5 -> no test; 0.4 <= 0.5 -> counter 2, 3, ..., 11 > 10 at eval 12: stop
     * i.e. the 10th evaluation strictly below the best stops the run (R3's JAX rule: the 11th non-improving).
     */
    @Test
    void aTieResetsPatienceAndTheTenthWorseEvaluationStops() {
        PyTorchEarlyStopping r = new PyTorchEarlyStopping(10);
        assertThat(r.observe(0.5)).isEqualTo(new PyTorchEarlyStopping.Decision(true, false));
        assertThat(r.counter()).isEqualTo(1);
        assertThat(r.observe(0.5)).isEqualTo(new PyTorchEarlyStopping.Decision(true, false));
        assertThat(r.counter()).isEqualTo(1);
        for (int k = 1; k <= 9; k++) {
            assertThat(r.observe(0.4)).as("worse evaluation %d", k).isEqualTo(new PyTorchEarlyStopping.Decision(false, false));
        }
        assertThat(r.observe(0.4)).isEqualTo(new PyTorchEarlyStopping.Decision(false, true));
        // after a strict improvement: PyTorch stops at the 10th worse evaluation, the JAX rule at the 11th
        assertThat(worseUntilStop(new PyTorchEarlyStopping(10)::observe, 0.5)).isEqualTo(10);
        assertThat(worseUntilStopJax(new EarlyStopping(10), 0.5)).isEqualTo(11);
        // five worse, a tie, then worse: the tie resets PyTorch's patience (10 more) but not JAX's (5 more)
        PyTorchEarlyStopping p = new PyTorchEarlyStopping(10);
        EarlyStopping j = new EarlyStopping(10);
        p.observe(0.5);
        j.observe(0.5);
        for (int k = 0; k < 5; k++) {
            p.observe(0.4);
            j.observe(0.4);
        }
        assertThat(worseUntilStop(p::observe, 0.5)).isEqualTo(10);
        assertThat(worseUntilStopJax(j, 0.5)).isEqualTo(5);
        // patience 0: an improvement recomputes the test accuracy and stops in the same evaluation
        assertThat(new PyTorchEarlyStopping(0).observe(0.3)).isEqualTo(new PyTorchEarlyStopping.Decision(true, true));
    }

    /** Observes {@code first}, then 0.4 until the rule stops; returns how many 0.4s it took. */
    private static int worseUntilStop(java.util.function.DoubleFunction<PyTorchEarlyStopping.Decision> rule,
                                      double first) {
        if (rule.apply(first).stop()) {
            return 0;
        }
        int k = 1;
        while (!rule.apply(0.4).stop()) {
            k++;
        }
        return k;
    }

    private static int worseUntilStopJax(EarlyStopping rule, double first) {
        if (rule.observe(first) == EarlyStopping.Decision.STOP) {
            return 0;
        }
        int k = 1;
        while (rule.observe(0.4) != EarlyStopping.Decision.STOP) {
            k++;
        }
        return k;
    }

    /*
     * num_steps = 5, print_steps = 2, 4 batches per epoch: `while step <= 5` enters epochs at step 0 and
     * step 4; the second epoch runs to its end (steps 4..7): 8 updates, evaluations after updates 0, 2, 4, 6.
     */
    @Test
    void evaluatesAfterTheUpdateAndFinishesTheEpoch() {
        List<Long> updates = new ArrayList<>();
        double[] val = {0.25, 0.5, 0.5, 0.75};
        int[] e = {0};
        UeaTrainer.Outcome out = new UeaTrainer(5, 2, 10).runPyTorch(
                step -> {
                    updates.add(step);
                    return new SequenceModel.StepReport(1.0, 1.0, 0, true);
                },
                split -> switch (split) {
                    case TRAIN -> 1.0;
                    case VALIDATION -> val[e[0]++];
                    case TEST -> 0.1 * e[0];
                },
                TrainingListener.NONE, 4);
        assertThat(updates).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(out.curve()).extracting(EvaluationPoint::step).containsExactly(0L, 2L, 4L, 6L);
        assertThat(out.status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(out.stepsTaken()).isEqualTo(8);
        // every evaluation was >= the best: the test accuracy is the last one's (evaluation 4, step 6)
        assertThat(out.testStep()).isEqualTo(6);
        assertThat(out.testAccuracy()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(out.bestValidation()).isEqualTo(0.75);
    }

    @Test
    void anEarlyStopLeavesTheUpdatesUpToItsStep() {
        double[] val = {0.5, 0.4, 0.4};
        int[] e = {0};
        UeaTrainer.Outcome out = new UeaTrainer(1000, 3, 2).runPyTorch(
                step -> new SequenceModel.StepReport(1.0, 1.0, 0, true),
                split -> split == UeaTrainer.Split.VALIDATION ? val[e[0]++] : 0.9, TrainingListener.NONE, 5);
        // counter: 1 after eval 1 (step 0), 2 at step 3, 3 > 2 at step 6: stop after update 6
        assertThat(out.status()).isEqualTo(RunOutcome.Status.EARLY_STOPPED);
        assertThat(out.curve()).extracting(EvaluationPoint::step).containsExactly(0L, 3L, 6L);
        assertThat(out.stepsTaken()).isEqualTo(7);
        assertThat(out.testStep()).isZero();
    }

    @Test
    void pyTorchEpochsKeepTheLastPartialBatch() {
        // 10 cases in batches of 4: 4, 4, 2 per epoch, every case once per epoch
        var it = EpochBatchSampler.keepingLast(10, 4, Rng.seeded(3));
        for (int epoch = 0; epoch < 3; epoch++) {
            Set<Integer> seen = new HashSet<>();
            int[] sizes = new int[3];
            for (int b = 0; b < 3; b++) {
                int[] rows = it.next();
                sizes[b] = rows.length;
                for (int r : rows) {
                    seen.add(r);
                }
            }
            assertThat(sizes).containsExactly(4, 4, 2);
            assertThat(seen).hasSize(10);
        }
        assertThat(EpochBatchSampler.batchesPerEpoch(10, 4)).isEqualTo(3);
        assertThat(EpochBatchSampler.batchesPerEpoch(8, 4)).isEqualTo(2);
    }

    /*
     * Five cases, one wrong, batches of 2 (2, 2, 1): the mean of per-batch accuracies is (1 + 1 + 0)/3 when
     * the wrong case falls in the partial batch and (1 + 1/2 + 1)/3 otherwise; never the per-case 4/5.
     */
    @Test
    void shuffledPerBatchAccuracyDependsOnWhereTheWrongCaseFalls() {
        boolean[] right = {true, true, false, true, true};
        Set<Double> values = new HashSet<>();
        for (int seed = 0; seed < 40; seed++) {
            double v = UeaRunPlan.shuffledPerBatchAccuracy(right, 2, Rng.seeded(seed));
            assertThat(v).isIn(2.0 / 3, 2.5 / 3);
            values.add(v);
        }
        assertThat(values).containsExactlyInAnyOrder(2.0 / 3, 2.5 / 3);
    }
}
