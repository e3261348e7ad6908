package org.lincde.harness.cli;

import org.lincde.harness.config.R1Config;

/** Command-line overrides of config values. */
final class Overrides {
    private Overrides() {}

    static R1Config withSteps(R1Config c, long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        return new R1Config(c.source(), c.task(), c.modelName(), c.numBlocks(), c.modelDim(), c.batchSize(), steps,
                (int) Math.min(c.printSteps(), steps), c.learningRate(), c.earlyStopThreshold(), c.structure(),
                c.useGlu(), c.secondEmbedding(), c.initStd(), c.dropoutRate(), c.vfANormLambda(), c.seed(), c.gated(),
                c.slstmAt(), c.length(), c.a5Size(), c.runs(), c.validationSamples(), c.trainLengths(),
                c.validationLengths(), c.trainPadding(), c.dtype(), c.ignoredKeys(), c.rank(), c.fla());
    }
}
