package org.lincde.harness.train;

import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Schedule;

/**
 * How one run trains (SPEC §4.1, R1 protocol; §4.2 for R2's A5 variant).
 *
 * @param batchSize          main batch size
 * @param numSteps           optimiser steps; the loop runs steps {@code 0 … numSteps−1}
 * @param printSteps         evaluate when {@code step % printSteps == 0} (step 0 included) and after
 *                           the last step
 * @param schedule           learning rate per step
 * @param objective          loss + λ·regulariser
 * @param optimizer          AdamW settings
 * @param earlyStopThreshold stop once validation accuracy is strictly above this (1.0 = never)
 * @param auxiliaryMode      how an auxiliary batch (A5 length-2) joins a step
 * @param evalBatchSize      batch size for validation
 */
public record TrainingSettings(int batchSize, long numSteps, int printSteps, Schedule schedule, Objective objective,
                               OptimizerSpec optimizer, double earlyStopThreshold, AuxiliaryMode auxiliaryMode,
                               int evalBatchSize) {
    /** Validates counts. */
    public TrainingSettings {
        if (batchSize < 1 || numSteps < 1 || printSteps < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("batch size, steps, print steps and eval batch size must be >= 1");
        }
    }

    /** How an auxiliary batch is used. */
    public enum AuxiliaryMode {
        /**
         * R1: forward/backward the auxiliary batch (plain CE) and the main batch (CE + regulariser),
         * accumulate, one optimiser step.
         */
        ACCUMULATE,
        /** R2 (JAX LCDE): two separate optimiser updates per iteration, main batch then auxiliary. */
        SEPARATE_UPDATES
    }
}
