package org.lincde.harness.train;

import java.util.List;

/**
 * What a run produced.
 *
 * @param status           how it ended
 * @param curve            every evaluation, in order
 * @param stepsTaken       optimiser steps taken
 * @param secondsPerStep   mean wall time of a training step (evaluations excluded)
 * @param finalAccuracy    validation accuracy at the last evaluation
 * @param bestAccuracy     best validation accuracy seen
 * @param divergedAtStep   the step whose loss or gradient was NaN/Inf (−1 if none)
 */
public record RunOutcome(Status status, List<EvaluationPoint> curve, long stepsTaken, double secondsPerStep,
                         double finalAccuracy, double bestAccuracy, long divergedAtStep) {
    /** How a run ended. */
    public enum Status {
        /** Ran every step. */
        COMPLETED,
        /** Validation accuracy passed the early-stop threshold. */
        EARLY_STOPPED,
        /** A loss or gradient was NaN/Inf: recorded as diverged, the grid moves on. */
        DIVERGED
    }
}
