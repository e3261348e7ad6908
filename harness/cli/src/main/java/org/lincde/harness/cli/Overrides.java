package org.lincde.harness.cli;

import org.lincde.harness.config.R1Config;

/** Command-line overrides of config values. */
final class Overrides {
    private Overrides() {}

    /**
     * {@code c} with the budget overrides that are non-null: batch size, formal-language validation samples,
     * A5 distinct sequences (each changes the run's key).
     */
    static R1Config withBudget(R1Config c, Integer batchSize, Integer validationSamples, Integer a5Size) {
        if (batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (validationSamples != null && validationSamples < 1) {
            throw new IllegalArgumentException("--validation-samples must be >= 1, got " + validationSamples);
        }
        if (a5Size != null && a5Size < 2) {
            throw new IllegalArgumentException("--a5-size must be >= 2, got " + a5Size);
        }
        return c.withBudget(batchSize != null ? batchSize : c.batchSize(),
                validationSamples != null ? validationSamples : c.validationSamples(), a5Size != null ? a5Size : c.a5Size());
    }

    static R1Config withSteps(R1Config c, long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        return c.withSteps(steps, (int) Math.min(c.printSteps(), steps));
    }
}
