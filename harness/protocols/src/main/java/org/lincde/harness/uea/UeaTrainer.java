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

    /**
     * Where a loop saves and finds its resume point ({@link org.lincde.harness.train.RunCheckpoint} behind it): the
     * plan restores the model and its own state (batch stream position, evaluation shuffles) in {@link #resume} and
     * adds them in {@link #save}; the loop's own state (step, curve, counters) travels as the map.
     */
    public interface Checkpointing {
        /** The saved loop state, after restoring everything else; empty for a fresh start. */
        java.util.Optional<java.util.Map<String, Object>> resume();

        /** Whether a checkpoint is due before step {@code nextStep}. */
        boolean due(long nextStep);

        /** Saves the loop state {@code loop} (its {@code step} is the next step); may throw RunPreempted after. */
        void save(java.util.Map<String, Object> loop);

        /** No checkpoints. */
        Checkpointing NONE = new Checkpointing() {
            @Override
            public java.util.Optional<java.util.Map<String, Object>> resume() {
                return java.util.Optional.empty();
            }

            @Override
            public boolean due(long nextStep) {
                return false;
            }

            @Override
            public void save(java.util.Map<String, Object> loop) {
            }
        };
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
        return runPyTorch(stepper, evaluator, listener, batchesPerEpoch, Checkpointing.NONE);
    }

    /** {@link #runPyTorch(Stepper, Evaluator, TrainingListener, int)}, resumable through {@code checkpoints}. */
    public Outcome runPyTorch(Stepper stepper, Evaluator evaluator, TrainingListener listener, int batchesPerEpoch,
                              Checkpointing checkpoints) {
        try (AutoCloseable running = org.lincde.harness.train.Preemption.loop()) {
            return pyTorchLoop(stepper, evaluator, listener, batchesPerEpoch, checkpoints);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome pyTorchLoop(Stepper stepper, Evaluator evaluator, TrainingListener listener, int batchesPerEpoch,
                                Checkpointing checkpoints) {
        if (batchesPerEpoch < 1) {
            throw new IllegalArgumentException("batches per epoch must be >= 1, got " + batchesPerEpoch);
        }
        PyTorchEarlyStopping rule = new PyTorchEarlyStopping(patience);
        Loop s = Loop.resume(checkpoints, rule::observe);
        long step = s.step;
        RunOutcome.Status status = RunOutcome.Status.COMPLETED;
        long diverged = -1;
        int firstBatch = (int) (step % batchesPerEpoch);
        long start = step;
        epochs:
        while (step <= numSteps) {
            for (int b = firstBatch; b < batchesPerEpoch; b++, step++) {
                if (step > start && checkpoints.due(step)) {
                    checkpoints.save(s.state(step));
                }
                if (!s.step(stepper, step, listener)) {
                    status = RunOutcome.Status.DIVERGED;
                    diverged = step;
                    break epochs;
                }
                if (step % printSteps != 0) {
                    continue;
                }
                PyTorchEarlyStopping.Decision d = rule.observe(s.evaluate(evaluator, step, listener).valAccuracy());
                if (d.evaluateTest()) {
                    s.test = evaluator.accuracy(Split.TEST);
                    s.testStep = step;
                }
                if (d.stop()) {
                    status = RunOutcome.Status.EARLY_STOPPED;
                    step++;
                    break epochs;
                }
            }
            firstBatch = 0;
        }
        listener.finished();
        long taken = status == RunOutcome.Status.DIVERGED ? diverged : step;
        long counted = status == RunOutcome.Status.DIVERGED ? taken + 1 : taken;
        return new Outcome(status, List.copyOf(s.curve), List.copyOf(s.train), s.test, s.testStep,
                Double.isNaN(rule.best()) ? 0.0 : rule.best(), taken, counted == 0 ? 0.0 : s.nanos / 1e9 / counted,
                diverged);
    }

    /** Runs the loop. */
    public Outcome run(Stepper stepper, Evaluator evaluator, TrainingListener listener) {
        return run(stepper, evaluator, listener, Checkpointing.NONE);
    }

    /** Runs the loop, resumable through {@code checkpoints}. */
    public Outcome run(Stepper stepper, Evaluator evaluator, TrainingListener listener, Checkpointing checkpoints) {
        try (AutoCloseable running = org.lincde.harness.train.Preemption.loop()) {
            return jaxLoop(stepper, evaluator, listener, checkpoints);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome jaxLoop(Stepper stepper, Evaluator evaluator, TrainingListener listener, Checkpointing checkpoints) {
        EarlyStopping rule = new EarlyStopping(patience);
        Loop s = Loop.resume(checkpoints, rule::observe);
        long first = s.step;
        long taken = s.step;
        RunOutcome.Status status = RunOutcome.Status.COMPLETED;
        long diverged = -1;
        for (long step = first; step < numSteps; step++) {
            if (step > first && checkpoints.due(step)) {
                checkpoints.save(s.state(step));
            }
            if (!s.step(stepper, step, listener)) {
                status = RunOutcome.Status.DIVERGED;
                diverged = step;
                break;
            }
            taken = step + 1;
            if ((step + 1) % printSteps != 0) {
                continue;
            }
            EarlyStopping.Decision d = rule.observe(s.evaluate(evaluator, step + 1, listener).valAccuracy());
            if (d == EarlyStopping.Decision.STOP) {
                status = RunOutcome.Status.EARLY_STOPPED;
                break;
            }
            if (d == EarlyStopping.Decision.EVALUATE_TEST) {
                s.test = evaluator.accuracy(Split.TEST);
                s.testStep = step + 1;
            }
        }
        listener.finished();
        long counted = status == RunOutcome.Status.DIVERGED ? taken + 1 : taken;
        return new Outcome(status, List.copyOf(s.curve), List.copyOf(s.train), s.test, s.testStep, rule.best(),
                taken, counted == 0 ? 0.0 : s.nanos / 1e9 / counted, diverged);
    }

    /**
     * The state both loops keep, written once: the curve and training accuracies, the test accuracy and its step,
     * the running training loss since the last evaluation, the training time and the divergence rule; read back
     * from a checkpoint and written to one bit for bit.
     */
    private static final class Loop {
        final List<EvaluationPoint> curve = new ArrayList<>();
        final List<Double> train = new ArrayList<>();
        final org.lincde.harness.train.DivergenceRule divergence = new org.lincde.harness.train.DivergenceRule();
        long step;
        double test = Double.NaN;
        long testStep = -1;
        double lossSum;
        long lossCount;
        long nanos;

        /** A fresh state, or the checkpointed one; {@code rule} sees its curve again (its state follows from it). */
        static Loop resume(Checkpointing checkpoints, java.util.function.DoubleConsumer rule) {
            Loop l = new Loop();
            java.util.Optional<java.util.Map<String, Object>> saved = checkpoints.resume();
            if (saved.isPresent()) {
                var m = new org.lincde.harness.train.RunCheckpoint.Saved(null, null, saved.get());
                l.step = m.integer("step");
                l.curve.addAll(m.curve("curve"));
                l.train.addAll(m.numbers("train_accuracies"));
                l.test = m.number("test");
                l.testStep = m.integer("test_step");
                l.lossSum = m.number("loss_sum");
                l.lossCount = m.integer("loss_count");
                l.nanos = m.integer("train_nanos");
                l.curve.forEach(p -> rule.accept(p.valAccuracy()));
                l.divergence.resume(saved.get());
            }
            return l;
        }

        /** Takes step {@code step}, timed; false if it diverged (then nothing is counted), else its loss is. */
        boolean step(Stepper stepper, long step, TrainingListener listener) {
            long t0 = System.nanoTime();
            SequenceModel.StepReport r = stepper.step(step);
            nanos += System.nanoTime() - t0;
            if (divergence.diverged(r.finite(), r.loss())) {
                return false;
            }
            lossSum += r.loss();
            lossCount++;
            listener.step(step, r.loss());
            return true;
        }

        /** Training and validation accuracy: a curve point labelled {@code label}, the mean loss since the last. */
        EvaluationPoint evaluate(Evaluator evaluator, long label, TrainingListener listener) {
            double trainAcc = evaluator.accuracy(Split.TRAIN);
            double val = evaluator.accuracy(Split.VALIDATION);
            EvaluationPoint p = new EvaluationPoint(label, val, lossSum / lossCount);
            lossSum = 0;
            lossCount = 0;
            curve.add(p);
            train.add(trainAcc);
            listener.evaluated(p);
            return p;
        }

        /** The state at the start of step {@code at}, in a form a checkpoint keeps bit for bit. */
        java.util.Map<String, Object> state(long at) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("step", at);
            m.put("curve", org.lincde.harness.train.RunCheckpoint.curve(curve));
            m.put("train_accuracies", org.lincde.harness.train.RunCheckpoint.exact(train));
            m.put("test", org.lincde.harness.train.RunCheckpoint.exact(test));
            m.put("test_step", testStep);
            m.put("loss_sum", org.lincde.harness.train.RunCheckpoint.exact(lossSum));
            m.put("loss_count", lossCount);
            m.put("train_nanos", nanos);
            m.put(org.lincde.harness.train.DivergenceRule.CHECKPOINT_KEY,
                    org.lincde.harness.train.RunCheckpoint.exact(divergence.firstLoss()));
            return m;
        }
    }
}
