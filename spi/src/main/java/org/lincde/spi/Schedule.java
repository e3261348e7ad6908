package org.lincde.spi;

/** Learning rate as a function of the optimiser step. */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public sealed interface Schedule permits Schedule.Constant, Schedule.WarmupCosine {

    /** The learning rate for optimiser step {@code t} (0-based). */
    double at(long t);

    /** A constant rate (R2, R3). */
    record Constant(double lr) implements Schedule {
        @Override
        public double at(long t) {
            return lr;
        }
    }

    /**
     * R1's schedule (SPEC §4.1): {@code W = ⌊0.1·T⌋}; {@code t < W}: {@code lrMax·t/W} (so the first
     * update has rate 0); {@code W ≤ t < T}: {@code lrMin + ½(1 + cos(π(t−W)/(T−W)))(lrMax − lrMin)};
     * afterwards {@code lrMin}.
     *
     * @param lrMax       peak rate ({@code learning_rate})
     * @param lrMin       floor (1e−5 in R1)
     * @param warmupSteps {@code W}
     * @param totalSteps  {@code T}
     */
    record WarmupCosine(double lrMax, double lrMin, long warmupSteps, long totalSteps) implements Schedule {
        /** Validates the step counts. */
        public WarmupCosine {
            if (warmupSteps < 0 || totalSteps < warmupSteps) {
                throw new InvalidOptionException("num_steps", totalSteps,
                        "warm-up " + warmupSteps + " must be within [0, num_steps]");
            }
        }

        /** R1: warm-up is 10 % of {@code numSteps}, floor 1e−5. */
        public static WarmupCosine r1(double lr, long numSteps) {
            return new WarmupCosine(lr, 1e-5, (long) Math.floor(0.1 * numSteps), numSteps);
        }

        @Override
        public double at(long t) {
            if (t < warmupSteps) {
                return lrMax * t / warmupSteps;
            }
            if (t < totalSteps) {
                double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
                return lrMin + 0.5 * (1 + StrictMath.cos(Math.PI * progress)) * (lrMax - lrMin);
            }
            return lrMin;
        }
    }
}
