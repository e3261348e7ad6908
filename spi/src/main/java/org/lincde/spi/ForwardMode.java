package org.lincde.spi;

/**
 * How to run a forward pass.
 *
 * @param training   dropout on (masks drawn from {@code dropout}) or off
 * @param dropout    the stream dropout masks come from (ignored when not training); backends
 *                   draw nothing themselves, so training-mode outputs agree across backends
 * @param evaluation recurrent loop or associative scan for the Linear CDE states
 * @param batchNorm  running statistics of BatchNorm layers (null: batch statistics in both modes)
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record ForwardMode(boolean training, Rng dropout, Evaluation evaluation, BatchNormState batchNorm) {
    /** A mode without BatchNorm running statistics. */
    public ForwardMode(boolean training, Rng dropout, Evaluation evaluation) {
        this(training, dropout, evaluation, null);
    }

    /** How Linear CDE states are evaluated (SPEC §1.0): both give the same states. */
    public enum Evaluation {
        /** O(L) sequential steps. */
        RECURRENT,
        /** O(log L) depth associative scan over the transition matrices. */
        SCAN
    }

    /** Inference: no dropout, recurrent evaluation. */
    public static ForwardMode inference() {
        return new ForwardMode(false, null, Evaluation.RECURRENT);
    }

    /** Training with dropout masks from {@code rng}, recurrent evaluation. */
    public static ForwardMode training(Rng rng) {
        return new ForwardMode(true, rng, Evaluation.RECURRENT);
    }

    /** This with another evaluation. */
    public ForwardMode with(Evaluation e) {
        return new ForwardMode(training, dropout, e, batchNorm);
    }

    /** This with another dropout stream. */
    public ForwardMode withDropout(Rng stream) {
        return new ForwardMode(training, stream, evaluation, batchNorm);
    }

    /** This with BatchNorm running statistics {@code state}. */
    public ForwardMode withBatchNorm(BatchNormState state) {
        return new ForwardMode(training, dropout, evaluation, state);
    }
}
