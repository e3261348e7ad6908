package org.lincde.harness.train;

/**
 * One evaluation of a run.
 *
 * @param step        optimiser step at which it was taken (before that step's update)
 * @param valAccuracy validation accuracy in [0, 1]
 * @param trainLoss   mean training loss since the previous evaluation (NaN at step 0)
 */
public record EvaluationPoint(long step, double valAccuracy, double trainLoss) {}
