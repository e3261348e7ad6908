package org.lincde.harness.reproduce;

import org.lincde.spi.DType;

/**
 * How far two backends' records of the same run may be apart, per dtype pair and training length
 * (docs/protocols/agreement.md, where the measurements behind every constant are): float32 trajectories leave
 * a float64 one by rounding at every op, and the gap grows with the optimiser steps taken.
 */
public final class AgreementTolerance {
    private AgreementTolerance() {}

    /** Knots {step, relative tolerance} of a pair with a float32 side, interpolated log-linearly in the step. */
    static final double[][] FLOAT32 = {{0, 2e-6}, {100, 2e-6}, {1000, 1e-4}};
    /** Beyond the last knot the tolerance grows by this factor per doubling of the steps, up to 1. */
    static final double FLOAT32_GROWTH = 4;
    /** Both float64: ten million ulps, as the conformance kit's float64 tolerance, per ten steps' growth. */
    static final double FLOAT64 = 1e-9;

    /** The rule, in words, for the report. */
    static final String RULE = "Tolerance (docs/protocols/agreement.md): placeholder.";

    /** The relative tolerance of a continuous quantity taken after {@code step} optimiser steps. */
    public static double relative(DType a, DType b, long step) {
        if (a == DType.FLOAT64 && b == DType.FLOAT64) {
            return FLOAT64 * Math.max(1, step / 10.0);
        }
        double[][] k = FLOAT32;
        if (step <= k[0][0]) {
            return k[0][1];
        }
        for (int i = 1; i < k.length; i++) {
            if (step <= k[i][0]) {
                double t = (step - k[i - 1][0]) / (k[i][0] - k[i - 1][0]);
                return Math.exp(Math.log(k[i - 1][1]) + t * (Math.log(k[i][1]) - Math.log(k[i - 1][1])));
            }
        }
        double last = k[k.length - 1][0];
        double doublings = Math.log(step / last) / Math.log(2);
        return Math.min(1, k[k.length - 1][1] * Math.pow(FLOAT32_GROWTH, doublings));
    }

    /** How many points a headline accuracy may differ after {@code step} steps. */
    public static double accuracyPoints(DType a, DType b, long step) {
        return 0;
    }

    /** How many layers a minimum depth may differ. */
    public static double depth(DType a, DType b, long step) {
        return 0;
    }
}
