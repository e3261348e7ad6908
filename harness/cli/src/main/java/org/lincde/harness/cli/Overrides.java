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
        return new R1Config(c.source(), c.task(), c.modelName(), c.numBlocks(), c.modelDim(),
                batchSize != null ? batchSize : c.batchSize(), c.numSteps(), c.printSteps(), c.learningRate(),
                c.earlyStopThreshold(), c.structure(), c.useGlu(), c.secondEmbedding(), c.initStd(), c.dropoutRate(),
                c.vfANormLambda(), c.seed(), c.gated(), c.slstmAt(), c.length(), a5Size != null ? a5Size : c.a5Size(),
                c.runs(), validationSamples != null ? validationSamples : c.validationSamples(), c.trainLengths(),
                c.validationLengths(), c.trainPadding(), c.dtype(), c.ignoredKeys(), c.trainingLoop(), c.flaBf16());
    }

    static R1Config withSteps(R1Config c, long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        return new R1Config(c.source(), c.task(), c.modelName(), c.numBlocks(), c.modelDim(), c.batchSize(), steps,
                (int) Math.min(c.printSteps(), steps), c.learningRate(), c.earlyStopThreshold(), c.structure(),
                c.useGlu(), c.secondEmbedding(), c.initStd(), c.dropoutRate(), c.vfANormLambda(), c.seed(), c.gated(),
                c.slstmAt(), c.length(), c.a5Size(), c.runs(), c.validationSamples(), c.trainLengths(),
                c.validationLengths(), c.trainPadding(), c.dtype(), c.ignoredKeys(), c.trainingLoop(), c.flaBf16());
    }
}
