package org.lincde.harness.reproduce;

import java.util.Locale;
import org.lincde.spi.DType;

/**
 * How far two backends' records of the same run may be apart, per dtype pair and training length
 * (docs/protocols/agreement.md, where the measurements behind every constant are). A float32 trajectory leaves
 * a float64 one by rounding at every op; over the lengths measured so far (up to {@value #FLAT_UNTIL} steps on the
 * smoke grid and the decay runs) the gap did not grow, so the tolerance is flat there, and beyond it grows by
 * {@value #GROWTH_PER_DOUBLING}× per doubling of the steps, up to 1 (no claim of agreement).
 */
public final class AgreementTolerance {
    private AgreementTolerance() {}

    /** float32 against float64: 3× the largest relative difference measured on the smoke grid (1.5e-6). */
    static final double FLOAT32_FLOAT64 = 5e-6;
    /** float32 against float32 (two engines, each rounding its own way): 5× the largest measured (2.0e-6). */
    static final double FLOAT32_FLOAT32 = 1e-5;
    /** float64 against float64: 2000× the largest measured (4.4e-16); the conformance kit's per-op 1e-9 is looser. */
    static final double FLOAT64_FLOAT64 = 1e-12;
    /** The longest training measured without growth of the gap: tolerances are constant up to here. */
    static final long FLAT_UNTIL = 1000;
    /** Growth per doubling of the steps beyond {@link #FLAT_UNTIL}. */
    static final double GROWTH_PER_DOUBLING = 4;

    /** The rule, in words, for the report. */
    static final String RULE = String.format(Locale.ROOT, "Tolerance (docs/protocols/agreement.md): relative %.0e for "
            + "float32 vs float64, %.0e for float32 vs float32, %.0e for float64 vs float64, up to %d steps; beyond, "
            + "×%.0f per doubling of the steps; a headline accuracy may differ by one validation example where the "
            + "record states its validation size (else not at all) and a depth not at all up to %d steps.",
            FLOAT32_FLOAT64, FLOAT32_FLOAT32, FLOAT64_FLOAT64, FLAT_UNTIL, GROWTH_PER_DOUBLING, FLAT_UNTIL);

    /** The relative tolerance of a continuous quantity taken after {@code step} optimiser steps. */
    public static double relative(DType a, DType b, long step) {
        double base = a == DType.FLOAT64 && b == DType.FLOAT64 ? FLOAT64_FLOAT64
                : a == DType.FLOAT32 && b == DType.FLOAT32 ? FLOAT32_FLOAT32 : FLOAT32_FLOAT64;
        return Math.min(1, base * growth(step));
    }

    /** 1 up to {@link #FLAT_UNTIL} steps, then {@link #GROWTH_PER_DOUBLING} per doubling. */
    static double growth(long step) {
        if (step <= FLAT_UNTIL) {
            return 1;
        }
        return Math.pow(GROWTH_PER_DOUBLING, Math.log((double) step / FLAT_UNTIL) / Math.log(2));
    }

    /**
     * How many points a headline accuracy may differ after {@code step} steps: one example of {@code samples}
     * (0 when unknown) while the losses are held to their flat tolerance; beyond, also {@code 100 ×} the
     * relative tolerance of the losses (a tolerance of 1 allows any accuracy).
     */
    public static double accuracyPoints(DType a, DType b, long step, int samples) {
        double one = samples > 0 ? 100.0 / samples : 0;
        return step <= FLAT_UNTIL ? one : Math.min(100, one + 100 * relative(a, b, step));
    }

    /** How many layers a minimum depth may differ: none up to {@link #FLAT_UNTIL} steps, else one. */
    public static double depth(DType a, DType b, long step) {
        return step <= FLAT_UNTIL ? 0 : 1;
    }
}
