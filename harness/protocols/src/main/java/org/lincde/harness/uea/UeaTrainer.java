package org.lincde.harness.uea;

import java.util.ArrayList;
import java.util.List;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.RunOutcome;
import org.lincde.harness.train.TrainingListener;
import org.lincde.spi.SequenceModel;

/**
 * R3's training loops. {@link #run}: the JAX trainer (SPEC §4.3, {@code train.py}): for {@code step = 0 … num_steps−1} take one optimiser
 * step, then when {@code (step+1) % print_steps == 0} evaluate training and validation accuracy and apply
 * {@link EarlyStopping}; the test accuracy is evaluated only when the rule says so, and the reported one is
 * the last so evaluated (NaN if none). A non-finite loss or gradient, or a loss past the {@code DivergenceRule}, ends the run as diverged.
 * Time per step counts optimiser steps only (evaluations excluded). {@link #runPyTorch}: R3's PyTorch trainer
 * for S6 and Mamba, whose rules differ (docs/protocols/fidelity.md, "R3's PyTorch trainer").
 */
public final class UeaTrainer {
    /** One optimiser step on the next training batch. */
    @FunctionalInterface
    public interface Stepper {
        /** Takes step {@code step} (0-based). */
        SequenceModel.StepReport step(long step);
    }

    /** Accuracy of the current model on a split. */
    @FunctionalInterface
    public interface Evaluator {
        /** Accuracy in [0, 1] on {@code split}. */
        double accuracy(Split split);
    }

    /** The three splits of SPEC §3.5. */
    public enum Split {
        /** 70 %. */
        TRAIN,
        /** 15 %. */
        VALIDATION,
        /** 15 %. */
        TEST
    }

    /**
     * What a run produced.
     *
     * @param status             completed, early_stopped or diverged
     * @param curve              every evaluation ({@code step} = optimiser steps taken so far)
     * @param trainAccuracies    training accuracy at every evaluation
     * @param testAccuracy       the test accuracy of the last selected checkpoint (NaN if none)
     * @param testStep           the step of that checkpoint (−1 if none)
     * @param bestValidation     {@code max(best)} of the rule
     * @param stepsTaken         optimiser steps taken
     * @param secondsPerStep     mean wall time per optimiser step
     * @param divergedAtStep     the step whose loss or gradient was non-finite (−1 if none)
     */
    public record Outcome(RunOutcome.Status status, List<EvaluationPoint> curve, List<Double> trainAccuracies,
                          double testAccuracy, long testStep, double bestValidation, long stepsTaken,
                          double secondsPerStep, long divergedAtStep) {}

    private final long numSteps;
    private final long printSteps;
    private final int patience;

    /** A loop with R3's {@code num_steps}, {@code print_steps} and {@code early_stopping_steps}. */
    public UeaTrainer(long numSteps, long printSteps, int patience) {
        if (numSteps < 1 || printSteps < 1) {
            throw new IllegalArgumentException("num_steps and print_steps must be >= 1, got " + numSteps + ", "
                    + printSteps);
        }
        this.numSteps = numSteps;
        this.printSteps = printSteps;
        this.patience = patience;
    }

    /**
     * R3's PyTorch loop for S6 and Mamba (torch_experiments/train.py:242–349): {@code while step ≤ num_steps},
     * a whole epoch of {@code batchesPerEpoch} batches (the epoch is finished even past num_steps); after the
     * update of each {@code step} with {@code step % print_steps == 0}, training and validation accuracy and
     * {@link PyTorchEarlyStopping}; the test accuracy is recomputed when the rule says so (before a stop).
     * Curve points carry R3's step label {@code step} (the evaluation follows {@code step + 1} updates).
     */
    public Outcome runPyTorch(Stepper stepper, Evaluator evaluator, TrainingListener listener, int batchesPerEpoch) {
        if (batchesPerEpoch < 1) {
            throw new IllegalArgumentException("batches per epoch must be >= 1, got " + batchesPerEpoch);
        }
        PyTorchEarlyStopping rule = new PyTorchEarlyStopping(patience);
        List<EvaluationPoint> curve = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        double test = Double.NaN;
        long testStep = -1;
        double lossSum = 0;
        long lossCount = 0;
        long nanos = 0;
        long step = 0;
        RunOutcome.Status status = RunOutcome.Status.COMPLETED;
        long diverged = -1;
        org.lincde.harness.train.DivergenceRule divergence = new org.lincde.harness.train.DivergenceRule();
        epochs:
        while (step <= numSteps) {
            for (int b = 0; b < batchesPerEpoch; b++, step++) {
                long t0 = System.nanoTime();
                SequenceModel.StepReport r = stepper.step(step);
                nanos += System.nanoTime() - t0;
                if (divergence.diverged(r.finite(), r.loss())) {
                    status = RunOutcome.Status.DIVERGED;
                    diverged = step;
                    break epochs;
                }
                lossSum += r.loss();
                lossCount++;
                listener.step(step, r.loss());
                if (step % printSteps != 0) {
                    continue;
                }
                double trainAcc = evaluator.accuracy(Split.TRAIN);
                double val = evaluator.accuracy(Split.VALIDATION);
                EvaluationPoint p = new EvaluationPoint(step, val, lossSum / lossCount);
                lossSum = 0;
                lossCount = 0;
                curve.add(p);
                train.add(trainAcc);
                listener.evaluated(p);
                PyTorchEarlyStopping.Decision d = rule.observe(val);
                if (d.evaluateTest()) {
                    test = evaluator.accuracy(Split.TEST);
                    testStep = step;
                }
                if (d.stop()) {
                    status = RunOutcome.Status.EARLY_STOPPED;
                    step++;
                    break epochs;
                }
            }
        }
        listener.finished();
        long taken = status == RunOutcome.Status.DIVERGED ? diverged : step;
        long counted = status == RunOutcome.Status.DIVERGED ? taken + 1 : taken;
        return new Outcome(status, List.copyOf(curve), List.copyOf(train), test, testStep,
                Double.isNaN(rule.best()) ? 0.0 : rule.best(), taken, counted == 0 ? 0.0 : nanos / 1e9 / counted,
                diverged);
    }

    /** Runs the loop. */
    public Outcome run(Stepper stepper, Evaluator evaluator, TrainingListener listener) {
        EarlyStopping rule = new EarlyStopping(patience);
        List<EvaluationPoint> curve = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        double test = Double.NaN;
        long testStep = -1;
        double lossSum = 0;
        long lossCount = 0;
        long nanos = 0;
        long taken = 0;
        RunOutcome.Status status = RunOutcome.Status.COMPLETED;
        long diverged = -1;
        org.lincde.harness.train.DivergenceRule divergence = new org.lincde.harness.train.DivergenceRule();
        for (long step = 0; step < numSteps; step++) {
            long t0 = System.nanoTime();
            SequenceModel.StepReport r = stepper.step(step);
            nanos += System.nanoTime() - t0;
            if (divergence.diverged(r.finite(), r.loss())) {
                status = RunOutcome.Status.DIVERGED;
                diverged = step;
                break;
            }
            taken = step + 1;
            lossSum += r.loss();
            lossCount++;
            listener.step(step, r.loss());
            if ((step + 1) % printSteps != 0) {
                continue;
            }
            double trainAcc = evaluator.accuracy(Split.TRAIN);
            double val = evaluator.accuracy(Split.VALIDATION);
            EvaluationPoint p = new EvaluationPoint(step + 1, val, lossSum / lossCount);
            lossSum = 0;
            lossCount = 0;
            curve.add(p);
            train.add(trainAcc);
            listener.evaluated(p);
            EarlyStopping.Decision d = rule.observe(val);
            if (d == EarlyStopping.Decision.STOP) {
                status = RunOutcome.Status.EARLY_STOPPED;
                break;
            }
            if (d == EarlyStopping.Decision.EVALUATE_TEST) {
                test = evaluator.accuracy(Split.TEST);
                testStep = step + 1;
            }
        }
        listener.finished();
        long counted = status == RunOutcome.Status.DIVERGED ? taken + 1 : taken;
        return new Outcome(status, List.copyOf(curve), List.copyOf(train), test, testStep, rule.best(), taken,
                counted == 0 ? 0.0 : nanos / 1e9 / counted, diverged);
    }
}
