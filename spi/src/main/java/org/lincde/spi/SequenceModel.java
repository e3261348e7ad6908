package org.lincde.spi;

import java.util.List;

/**
 * A model living in a {@link Session}: forward, loss and gradients, and whole training steps
 * (forward + backward + optimiser update inside the backend). Holds its parameters and its
 * optimiser state; both are read back as Java values.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface SequenceModel extends AutoCloseable {

    /** The spec it was built from. */
    ModelSpec spec();

    /** Model output: per-token logits {@code (B, L, K)} or per-sequence {@code (B, K)}. */
    HostTensor forward(Batch batch, ForwardMode mode);

    /**
     * Loss of the objective summed over {@code batches} (each batch's data loss is its own mean; the
     * regulariser is added once) and the gradient of every trainable parameter, with gradient masks
     * applied. Does not change parameters.
     */
    LossReport lossAndGradients(List<Batch> batches, Objective objective, ForwardMode mode);

    /**
     * One optimiser step: the gradients of {@link #lossAndGradients}, then one update of
     * {@code optimizer} at {@code learningRate}. A non-finite loss or gradient leaves parameters and
     * optimiser state unchanged and is reported in {@link StepReport#finite()}.
     */
    StepReport trainStep(List<Batch> batches, Objective objective, OptimizerSpec optimizer, double learningRate,
                         ForwardMode mode);

    /** A copy of the current parameters (and buffers), named as in the spec. */
    ParameterSet parameters();

    /** Replaces every parameter; names and shapes must match. Resets optimiser state. */
    void load(ParameterSet parameters);

    /** Number of optimiser steps taken since construction or the last {@link #load}. */
    long steps();

    /**
     * A host copy of the optimiser's state (step count and moments), for checkpoints. Backends whose models extend
     * {@link org.lincde.spi.model.TrainableModel} have it; others say so.
     */
    default OptimizerState optimizerState() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot export its optimiser state");
    }

    /**
     * Replaces the parameters (as {@link #load}) and the optimiser state: a run resumed from a checkpoint continues
     * exactly where it stopped.
     */
    default void restore(ParameterSet parameters, OptimizerState state) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot restore an optimiser state");
    }

    /** Releases native memory; idempotent. */
    @Override
    void close();

    /**
     * A loss evaluation.
     *
     * @param loss        data loss + λ·regulariser
     * @param dataLoss    the data loss alone
     * @param regularizer the regulariser value (before λ)
     * @param gradients   parameter name → gradient of {@code loss}
     */
    record LossReport(double loss, double dataLoss, double regularizer, ParameterSet gradients) {}

    /**
     * One training step's outcome.
     *
     * @param loss        data loss + λ·regulariser before the update
     * @param dataLoss    the data loss alone
     * @param regularizer the regulariser value (before λ)
     * @param finite      false when the loss or a gradient was NaN/Inf (the update was skipped)
     */
    record StepReport(double loss, double dataLoss, double regularizer, boolean finite) {}
}
