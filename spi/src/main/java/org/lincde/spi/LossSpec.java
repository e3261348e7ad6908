package org.lincde.spi;

/** The data-loss family. */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public sealed interface LossSpec permits LossSpec.CrossEntropy, LossSpec.SoftmaxOfProbabilitiesCrossEntropy,
        LossSpec.MeanSquaredError {

    /**
     * Cross-entropy over the scored positions (token targets: mean over masked positions of the
     * batch, SPEC §4.1; sequence targets: mean over sequences).
     *
     * @param probabilityEpsilon 0: stable {@code log_softmax} (R1); {@code ε > 0}:
     *                           {@code −log(softmax + ε)} as R2 (1e−10) and R3 (1e−8) write it
     */
    record CrossEntropy(double probabilityEpsilon) implements LossSpec {
        /** Validates ε. */
        public CrossEntropy {
            if (!(probabilityEpsilon >= 0) || Double.isInfinite(probabilityEpsilon)) {
                throw new InvalidOptionException("probability_epsilon", probabilityEpsilon, "must be finite and >= 0");
            }
        }
    }

    /**
     * [QUIRK] R3's PyTorch S6/Mamba loss (SPEC §2.9): the model outputs {@code softmax(logits)} and
     * {@code nn.CrossEntropyLoss} applies a second softmax, so the loss is
     * {@code −log softmax(softmax(logits))_y}: bounded, with gradients far weaker than cross-entropy's.
     * Targets as {@link CrossEntropy}'s.
     */
    record SoftmaxOfProbabilitiesCrossEntropy() implements LossSpec {}

    /** Mean squared error over all target values (regression, the toy experiment). */
    record MeanSquaredError() implements LossSpec {}
}
