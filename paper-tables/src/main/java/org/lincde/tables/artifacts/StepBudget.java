package org.lincde.tables.artifacts;

/**
 * A profile's own training length for the UEA experiments, in place of R3's ({@code num_steps} 100 000, evaluated
 * every {@code print_steps} 1 000): a settings field of this type is empty when the profile trains as R3 does.
 *
 * @param numSteps   optimiser steps at most
 * @param printSteps evaluate every this many steps
 */
record StepBudget(long numSteps, long printSteps) {
    StepBudget {
        if (numSteps < 1 || printSteps < 1) {
            throw new IllegalArgumentException("a step budget needs numSteps and printSteps >= 1, got " + numSteps + ", "
                    + printSteps);
        }
    }

    /** The page's words for {@code budget}: "at most 1000 steps (evaluation every 100)", or R3's. */
    static String describe(java.util.Optional<StepBudget> budget) {
        return budget.map(b -> "at most " + b.numSteps() + " steps (evaluation every " + b.printSteps() + ")")
                .orElse("R3's 100 000 steps (evaluation every 1 000)");
    }
}
