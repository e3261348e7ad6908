package org.lincde.spi;

/** Optimiser settings; the update rule is the same on every backend (checked by conformance). */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public sealed interface OptimizerSpec permits OptimizerSpec.AdamW {

    /**
     * AdamW (Loshchilov &amp; Hutter) exactly as PyTorch's {@code torch.optim.AdamW}: decoupled weight
     * decay {@code w ← w·(1 − lr·wd)}, then {@code m ← β1 m + (1−β1) g}, {@code v ← β2 v + (1−β2) g²},
     * {@code w ← w − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + eps)}. Parameters whose name contains
     * {@code noDecaySubstring} form the second group with weight decay 0 (R1: {@code "embedding"}).
     * Plain Adam is {@code weightDecay = 0}.
     *
     * @param beta1            first-moment decay
     * @param beta2            second-moment decay
     * @param eps              denominator epsilon
     * @param weightDecay      decoupled weight decay of the first group
     * @param noDecaySubstring names containing this get no weight decay (null or empty: none)
     */
    record AdamW(double beta1, double beta2, double eps, double weightDecay, String noDecaySubstring)
            implements OptimizerSpec {
        /** Validates ranges, naming the field. */
        public AdamW {
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new InvalidOptionException("beta1", beta1, "must be in [0, 1)");
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new InvalidOptionException("beta2", beta2, "must be in [0, 1)");
            }
            if (!(eps > 0)) {
                throw new InvalidOptionException("eps", eps, "must be > 0");
            }
            if (!(weightDecay >= 0)) {
                throw new InvalidOptionException("weight_decay", weightDecay, "must be >= 0");
            }
        }

        /** R1's optimiser: β = (0.9, 0.999), eps 1e−8, weight decay 0.01, none on embeddings. */
        public static AdamW r1() {
            return new AdamW(0.9, 0.999, 1e-8, 0.01, "embedding");
        }

        /** Plain Adam with optax/PyTorch defaults (R3). */
        public static AdamW adam() {
            return new AdamW(0.9, 0.999, 1e-8, 0.0, null);
        }

        /** The weight decay applied to parameter {@code name}. */
        public double decayFor(String name) {
            return noDecaySubstring != null && !noDecaySubstring.isEmpty() && name.contains(noDecaySubstring)
                    ? 0.0 : weightDecay;
        }
    }
}
