package org.lincde.spi;

/**
 * What an optimiser carries from one step to the next, as host values: the number of updates taken (Adam's bias
 * correction counts them) and each trainable parameter's first and second moments (absent for a parameter never
 * updated). With the parameters it is everything a checkpoint needs to resume training exactly: restored into a
 * model of the same backend and dtype, the next step computes the same numbers as an uninterrupted run.
 *
 * @param steps         optimiser steps taken
 * @param firstMoments  AdamW's {@code m} per trainable parameter that has one
 * @param secondMoments AdamW's {@code v}, same names
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public record OptimizerState(long steps, ParameterSet firstMoments, ParameterSet secondMoments) {
    /** Checks the two moment sets name the same parameters. */
    public OptimizerState {
        if (steps < 0) {
            throw new IllegalArgumentException("optimiser steps must be >= 0, got " + steps);
        }
        if (!firstMoments.names().equals(secondMoments.names())) {
            throw new IllegalArgumentException("first and second moments name different parameters: "
                    + firstMoments.names() + " vs " + secondMoments.names());
        }
    }

    /** No steps taken. */
    public static OptimizerState initial() {
        return new OptimizerState(0, new ParameterSet(), new ParameterSet());
    }
}
