package org.lincde.harness.train;

import org.lincde.harness.config.Required;
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
 * @param loop               where evaluations sit relative to updates, and how many updates run
 */
public record TrainingSettings(int batchSize, long numSteps, int printSteps, Schedule schedule, Objective objective,
                               OptimizerSpec optimizer, double earlyStopThreshold, AuxiliaryMode auxiliaryMode,
                               int evalBatchSize, LoopRule loop) {
    /** Validates counts. */
    public TrainingSettings {
        if (batchSize < 1 || numSteps < 1 || printSteps < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("batch size, steps, print steps and eval batch size must be >= 1");
        }
        if (loop == null) {
            throw new IllegalArgumentException("loop rule must be given");
        }
    }

    /** Settings by name; the loop defaults to lincde's {@link LoopRule#EVALUATE_FIRST} (the R2 plans' loop). */
    public static Builder builder() {
        return new Builder();
    }

    /** Every field is required except {@code loop}. */
    public static final class Builder {
        private Integer batchSize;
        private Long numSteps;
        private Integer printSteps;
        private Schedule schedule;
        private Objective objective;
        private OptimizerSpec optimizer;
        private Double earlyStopThreshold;
        private AuxiliaryMode auxiliaryMode;
        private Integer evalBatchSize;
        private LoopRule loop = LoopRule.EVALUATE_FIRST;

        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder numSteps(long v) { numSteps = v; return this; }
        public Builder printSteps(int v) { printSteps = v; return this; }
        public Builder schedule(Schedule v) { schedule = v; return this; }
        public Builder objective(Objective v) { objective = v; return this; }
        public Builder optimizer(OptimizerSpec v) { optimizer = v; return this; }
        public Builder earlyStopThreshold(double v) { earlyStopThreshold = v; return this; }
        public Builder auxiliaryMode(AuxiliaryMode v) { auxiliaryMode = v; return this; }
        public Builder evalBatchSize(int v) { evalBatchSize = v; return this; }
        public Builder loop(LoopRule v) { loop = v; return this; }

        /** The settings; a field without a default that was never set is an {@link IllegalStateException}. */
        public TrainingSettings build() {
            String what = "TrainingSettings";
            return new TrainingSettings(Required.field(batchSize, what, "batchSize"),
                    Required.field(numSteps, what, "numSteps"), Required.field(printSteps, what, "printSteps"),
                    Required.field(schedule, what, "schedule"), Required.field(objective, what, "objective"),
                    Required.field(optimizer, what, "optimizer"),
                    Required.field(earlyStopThreshold, what, "earlyStopThreshold"),
                    Required.field(auxiliaryMode, what, "auxiliaryMode"),
                    Required.field(evalBatchSize, what, "evalBatchSize"), loop);
        }
    }

    /** A builder holding these settings (to change one of them). */
    public Builder toBuilder() {
        return builder().batchSize(batchSize).numSteps(numSteps).printSteps(printSteps).schedule(schedule)
                .objective(objective).optimizer(optimizer).earlyStopThreshold(earlyStopThreshold)
                .auxiliaryMode(auxiliaryMode).evalBatchSize(evalBatchSize).loop(loop);
    }

    /** Optimiser updates a run that neither stops early nor diverges performs. */
    public long plannedUpdates() {
        return loop == LoopRule.R1 ? numSteps + 2 : numSteps;
    }

    /** Where evaluations sit relative to updates (docs/protocols/fidelity.md, "R1's training loop"). */
    public enum LoopRule {
        /**
         * [QUIRK] R1's train.py (lines 112–158, 249–252): update s (at {@code lr = schedule(s)}), then evaluate
         * if {@code s % print_steps == 0}, so the evaluation "at step s" sees s + 1 updates; the loop checks
         * {@code step > num_steps} only after an update, so it performs {@code num_steps + 2} updates
         * ({@code s = 0 … num_steps + 1}) and evaluates at every multiple of print_steps up to
         * {@code num_steps + 1}; no extra final evaluation.
         */
        R1,
        /**
         * lincde's own loop: evaluate before update s when {@code s % print_steps == 0} (step 0 sees the
         * untrained model), {@code num_steps} updates, and one more evaluation after the last update.
         */
        EVALUATE_FIRST
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
