package org.lincde.harness.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.harness.data.TokenTask;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.Objective;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;

/**
 * The training loop (SPEC §4.1): one training step per {@code step} at {@code lr = schedule(step)},
 * an evaluation when {@code step % print_steps == 0}, and an early stop once validation accuracy is
 * strictly above the threshold. Where the evaluation sits and how many updates run is the settings'
 * {@link TrainingSettings.LoopRule}: R1's (update, then evaluate; {@code num_steps + 2} updates) or
 * lincde's (evaluate, then update; {@code num_steps} updates and a final evaluation). A5 steps mix in the
 * auxiliary length-2 batch (R1: accumulated into the same update, plain CE without regulariser;
 * R2: a separate update). A NaN/Inf loss or gradient, or a loss past the {@link DivergenceRule}, ends the run as
 * {@code DIVERGED}. Dropout masks
 * come from {@code rng.stream("dropout", step)}, so every backend sees the same masks.
 */
public final class Trainer {
    private final TrainingSettings settings;

    /** A trainer with fixed settings. */
    public Trainer(TrainingSettings settings) {
        this.settings = settings;
    }

    /** Trains {@code model} on {@code task}; {@code checkpoints} is called after every evaluation. */
    public RunOutcome train(SequenceModel model, TokenTask task, Rng rng, TrainingListener listener,
                            CheckpointSink checkpoints) {
        return train(model, task, rng, listener, checkpoints, RunCheckpoint.NONE);
    }

    /**
     * Trains as {@link #train(SequenceModel, TokenTask, Rng, TrainingListener, CheckpointSink)}, resuming from
     * {@code resume}'s checkpoint when it has one and saving one whenever it is due (see {@link RunCheckpoint}).
     */
    public RunOutcome train(SequenceModel model, TokenTask task, Rng rng, TrainingListener listener,
                            CheckpointSink checkpoints, RunCheckpoint resume) {
        try (AutoCloseable running = Preemption.loop()) {
            return run(model, task, rng, listener, checkpoints, resume);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RunOutcome run(SequenceModel model, TokenTask task, Rng rng, TrainingListener listener,
                           CheckpointSink checkpoints, RunCheckpoint resume) {
        boolean r1 = settings.loop() == TrainingSettings.LoopRule.R1;
        Progress progress = new Progress(model, task, listener, checkpoints);
        List<EvaluationPoint> curve = progress.curve;
        long step = 0;
        Optional<RunCheckpoint.Saved> saved = resume.load();
        if (saved.isPresent()) {
            RunCheckpoint.Saved c = saved.get();
            model.restore(c.parameters(), c.optimizer());
            step = c.integer("step");
            curve.addAll(c.curve("curve"));
            progress.best = c.number("best");
            progress.lossSum = c.number("loss_sum");
            progress.lossCount = c.integer("loss_count");
            progress.trainNanos = c.integer("train_nanos");
        }
        long updates = settings.plannedUpdates();
        Objective auxObjective = new Objective(settings.objective().loss(), 0.0);
        RunOutcome.Status status = RunOutcome.Status.COMPLETED;
        long diverged = -1;
        DivergenceRule divergence = new DivergenceRule();
        saved.ifPresent(c -> divergence.resume(c.loop()));
        for (; step < updates; step++) {
            if (!r1 && step % settings.printSteps() == 0) {
                if (progress.evaluate(step).valAccuracy() > settings.earlyStopThreshold()) {
                    status = RunOutcome.Status.EARLY_STOPPED;
                    break;
                }
            }
            Batch main = task.trainBatch(step, settings.batchSize());
            Optional<Batch> aux = task.auxiliaryBatch(step, settings.batchSize());
            double lr = settings.schedule().at(step);
            ForwardMode mode = ForwardMode.training(rng.stream("dropout", step));
            long t0 = System.nanoTime();
            org.lincde.spi.SequenceModel.StepReport r;
            if (aux.isPresent() && settings.auxiliaryMode() == TrainingSettings.AuxiliaryMode.SEPARATE_UPDATES) {
                r = model.trainStep(List.of(main), settings.objective(), settings.optimizer(), lr, mode);
                if (r.finite()) {
                    var r2 = model.trainStep(List.of(aux.get()), auxObjective, settings.optimizer(), lr,
                            ForwardMode.training(rng.stream("dropout-aux", step)));
                    r = r2.finite() ? r : r2;
                }
            } else if (aux.isPresent()) {
                // R1: aux batch first (plain CE), then main (CE + regulariser), one update. Objective
                // sums each batch's own mean CE and adds λ·R once, exactly that.
                r = model.trainStep(List.of(aux.get(), main), settings.objective(), settings.optimizer(), lr, mode);
            } else {
                r = model.trainStep(List.of(main), settings.objective(), settings.optimizer(), lr, mode);
            }
            progress.trainNanos += System.nanoTime() - t0;
            if (divergence.diverged(r.finite(), r.loss())) {
                status = RunOutcome.Status.DIVERGED;
                diverged = step;
                break;
            }
            progress.lossSum += r.loss();
            progress.lossCount++;
            listener.step(step, r.loss());
            if (r1 && step % settings.printSteps() == 0) {
                // R1 train.py:158: the evaluation labelled step s follows update s
                if (progress.evaluate(step).valAccuracy() > settings.earlyStopThreshold()) {
                    status = RunOutcome.Status.EARLY_STOPPED;
                    step++; // updates taken: 0 … s
                    break;
                }
            }
            if (resume.due(step + 1)) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("step", step + 1);
                state.put("curve", RunCheckpoint.curve(curve));
                state.put("best", RunCheckpoint.exact(progress.best));
                state.put("loss_sum", RunCheckpoint.exact(progress.lossSum));
                state.put("loss_count", progress.lossCount);
                state.put("train_nanos", progress.trainNanos);
                state.put(DivergenceRule.CHECKPOINT_KEY, RunCheckpoint.exact(divergence.firstLoss()));
                resume.save(model, state);
            }
        }
        if (status == RunOutcome.Status.COMPLETED && !r1) {
            // lincde's loop evaluates only at multiples of print_steps; one more evaluation records the trained model
            if (curve.isEmpty() || curve.get(curve.size() - 1).step() != step) {
                progress.evaluate(step);
            }
        }
        listener.finished();
        long taken = status == RunOutcome.Status.DIVERGED ? diverged : step;
        double finalAcc = curve.isEmpty() ? 0 : curve.get(curve.size() - 1).valAccuracy();
        return new RunOutcome(status, List.copyOf(curve), taken,
                taken == 0 ? 0 : progress.trainNanos / 1e9
                        / Math.max(1, taken + (status == RunOutcome.Status.DIVERGED ? 1 : 0)),
                finalAcc, progress.best, diverged);
    }

    /**
     * The loop's running record, written once for its three evaluations (lincde's before a step, R1's after one,
     * the final one): the curve, the best validation accuracy, the training loss since the last evaluation and the
     * training time.
     */
    private final class Progress {
        final List<EvaluationPoint> curve = new ArrayList<>();
        double best;
        double lossSum;
        long lossCount;
        long trainNanos;
        private final SequenceModel model;
        private final TokenTask task;
        private final TrainingListener listener;
        private final CheckpointSink checkpoints;

        Progress(SequenceModel model, TokenTask task, TrainingListener listener, CheckpointSink checkpoints) {
            this.model = model;
            this.task = task;
            this.listener = listener;
            this.checkpoints = checkpoints;
        }

        /** Evaluates at {@code step} (train loss: the mean since the last, NaN if none), records and saves it. */
        EvaluationPoint evaluate(long step) {
            double trainLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
            EvaluationPoint p = Trainer.this.evaluate(model, task, step, trainLoss);
            lossSum = 0;
            lossCount = 0;
            curve.add(p);
            best = Math.max(best, p.valAccuracy());
            listener.evaluated(p);
            checkpoints.save(model, p);
            return p;
        }
    }

    /** Validation accuracy over the whole validation set (inference mode). */
    public EvaluationPoint evaluate(SequenceModel model, TokenTask task, long step, double trainLoss) {
        Accuracy.Count c = new Accuracy.Count(0, 0);
        for (Batch b : task.validationBatches(settings.evalBatchSize())) {
            c = c.plus(Accuracy.count(model.forward(b, ForwardMode.inference()), b));
        }
        return new EvaluationPoint(step, c.value(), trainLoss);
    }

    /** Receives the model after each evaluation. */
    @FunctionalInterface
    public interface CheckpointSink {
        /** Saves (or ignores) the model's state at {@code point}. */
        void save(SequenceModel model, EvaluationPoint point);

        /** Saves nothing. */
        CheckpointSink NONE = (m, p) -> { };
    }
}
