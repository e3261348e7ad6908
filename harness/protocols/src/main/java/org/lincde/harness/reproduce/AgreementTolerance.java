package org.lincde.harness.reproduce;

import java.util.Locale;
import org.lincde.spi.DType;

/**
 * How far two backends' records of the same run may be apart, per dtype pair and training length
 * (docs/protocols/agreement.md, where the measurements behind every constant are). A float32 trajectory leaves
 * a float64 one by rounding at every op; while a model learns, the gap grows about tenfold every few hundred
 * steps until the two runs are different draws of the same training (measured: BD4-LNCDE at quick width,
 * 1.4e-6 after 250 steps, 7e-4 after 1 500, 0.2 after 2 000). The tolerance starts at a few times the largest
 * gap measured on the smoke grid and grows tenfold every {@value #STEPS_PER_DECADE} steps, up to 1: beyond that
 * horizon (about 1 600 steps for float32) no difference is a fault.
 */
public final class AgreementTolerance {
    private AgreementTolerance() {}

    /** float32 against float64: 3× the largest relative difference measured on the smoke grid (1.5e-6). */
    static final double FLOAT32_FLOAT64 = 5e-6;
    /** float32 against float32 (two engines, each rounding its own way): 5× the largest measured (2.0e-6). */
    static final double FLOAT32_FLOAT32 = 1e-5;
    /** float64 against float64: 2000× the largest measured (4.4e-16); the conformance kit's per-op 1e-9 is looser. */
    static final double FLOAT64_FLOAT64 = 1e-12;
    /**
     * Steps per tenfold growth: the fastest measured growth (BD4-LNCDE, quick width, float32 against float64 on
     * djl: five decades between steps 250 and 2 000, one per 340 steps), rounded down.
     */
    static final double STEPS_PER_DECADE = 300;

    /**
     * How many times a cell's own sensitivity — the relative distance the float64 reference moves when its initial
     * parameters move by one ulp of the pair's coarser dtype ({@link Sensitivity}) — two backends may differ by,
     * where that is looser than the rule (docs/protocols/agreement.md §2.1, where it is derived and measured).
     */
    static final double SENSITIVITY_FACTOR = 10;

    /** The rule, in words, for the report. */
    static final String RULE = String.format(Locale.ROOT, "Tolerance (docs/protocols/agreement.md): relative %.0e "
            + "for float32 vs float64, %.0e for float32 vs float32, %.0e for float64 vs float64, ×10 every %.0f "
            + "steps, at most 1 (from about %d steps on for float32, the trajectories of a learning model part and no "
            + "difference is a fault); a headline accuracy may differ by one validation example or 100·√(tolerance) "
            + "points, whichever is larger; a depth by one layer once the tolerance passes 1e-2. A cell outside this "
            + "rule is held to %.0f× its own sensitivity where its conditioning run measured it (the reference again "
            + "from initial parameters moved by one ulp of the pair's coarser dtype; §2.1): such a cell is marked "
            + "ill-conditioned.",
            FLOAT32_FLOAT64, FLOAT32_FLOAT32, FLOAT64_FLOAT64, STEPS_PER_DECADE,
            horizon(DType.FLOAT32, DType.FLOAT64), SENSITIVITY_FACTOR);

    private static double base(DType a, DType b) {
        return a == DType.FLOAT64 && b == DType.FLOAT64 ? FLOAT64_FLOAT64
                : a == DType.FLOAT32 && b == DType.FLOAT32 ? FLOAT32_FLOAT32 : FLOAT32_FLOAT64;
    }

    /** The relative tolerance of a continuous quantity taken after {@code step} optimiser steps. */
    public static double relative(DType a, DType b, long step) {
        return Math.min(1, base(a, b) * Math.pow(10, step / STEPS_PER_DECADE));
    }

    /**
     * The relative tolerance of a pair whose rule tolerance is {@code rule} in a cell of sensitivity {@code at}
     * (null: not measured): {@code max(rule, k·S)}, at most 1.
     */
    static double relative(double rule, Sensitivity.At at) {
        return at == null ? rule : Math.max(rule, Math.min(1, SENSITIVITY_FACTOR * at.value()));
    }

    /** The step from which the tolerance is 1 (nothing is compared any more). */
    public static long horizon(DType a, DType b) {
        return (long) Math.ceil(-Math.log10(base(a, b)) * STEPS_PER_DECADE);
    }

    /**
     * How many points a headline accuracy may differ after {@code step} steps: one example of {@code samples}
     * (none when the size is unknown) or {@code 100·√relative}, whichever is larger. Accuracy moves more than the
     * loss (an argmax near a tie flips): measured, 2 of 256 examples after 500 steps while the losses were 2e-5
     * apart, 8 after 750 steps (docs/protocols/agreement.md).
     */
    public static double accuracyPoints(DType a, DType b, long step, int samples) {
        return accuracyPoints(relative(a, b, step), samples);
    }

    /** {@link #accuracyPoints(DType, DType, long, int)} for a given relative tolerance. */
    static double accuracyPoints(double relative, int samples) {
        double one = samples > 0 ? 100.0 / samples : 0;
        return Math.min(100, Math.max(one, 100 * Math.sqrt(relative)));
    }

    /** How many layers a minimum depth may differ: none while the tolerance is below 1e-2, else one. */
    public static double depth(DType a, DType b, long step) {
        return depth(relative(a, b, step));
    }

    /** {@link #depth(DType, DType, long)} for a given relative tolerance. */
    static double depth(double relative) {
        return relative < 1e-2 ? 0 : 1;
    }
}
