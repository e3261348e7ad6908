package org.lincde.harness.conformance;

import java.util.EnumMap;
import java.util.Map;
import org.lincde.spi.DType;

/**
 * Every tolerance of the kit, in one place, keyed by check and dtype (docs/STYLE.md D5, E5). float64 runs are
 * held to about ten million ulps of the reference's result (1e-9 relative: summation order and fused
 * kernels may differ, nothing else); float32 runs to about a thousand float32 ulps (1e-4 relative).
 * Finite differences of the float64 reference are held to 1e-6 relative.
 *
 * <p>Measured (conformance run of the reference, DJL and ND4J backends, every built-in structure): the
 * largest relative error of any float64 case was 3e-15, of any float32 case 1.5e-6 (AdamW parameters
 * after 5 steps, DJL), so the bounds leave a margin of about 10⁵ in float64 and 60 in float32 while a
 * planted fault (a wrong sign, a transposed block, a dropped step, float32 rounding in float64 mode)
 * lands orders of magnitude above them.
 */
public final class Tolerances {
    private static final Map<Check, Tolerance> F64 = new EnumMap<>(Check.class);
    private static final Map<Check, Tolerance> F32 = new EnumMap<>(Check.class);

    static {
        both(Check.FORWARD, new Tolerance(1e-9, 1e-12), new Tolerance(1e-4, 1e-6));
        both(Check.GRADIENTS, new Tolerance(1e-9, 1e-12), new Tolerance(1e-4, 1e-6));
        both(Check.RECURRENT_VS_SCAN, new Tolerance(1e-9, 1e-12), new Tolerance(1e-4, 1e-6));
        both(Check.FUSED_VS_GENERIC, new Tolerance(1e-9, 1e-12), new Tolerance(1e-4, 1e-6));
        both(Check.ADAMW, new Tolerance(1e-9, 1e-12), new Tolerance(1e-4, 1e-6));
        both(Check.MASK_ZEROS, Tolerance.EXACT, Tolerance.EXACT);
        both(Check.TRANSITION, new Tolerance(1e-12, 1e-14), new Tolerance(1e-5, 1e-7));
        both(Check.TRANSITION_GRADIENTS, new Tolerance(1e-10, 1e-13), new Tolerance(1e-5, 1e-7));
        both(Check.HADAMARD, new Tolerance(1e-12, 1e-14), new Tolerance(1e-6, 1e-7));
        both(Check.SCAN_BLOCKS, Tolerance.EXACT, Tolerance.EXACT);
        both(Check.FINITE_DIFFERENCES, new Tolerance(1e-6, 1e-9), new Tolerance(1e-6, 1e-9));
    }

    private Tolerances() {}

    private static void both(Check c, Tolerance f64, Tolerance f32) {
        F64.put(c, f64);
        F32.put(c, f32);
    }

    /** The tolerance of {@code check} in {@code dtype}. */
    public static Tolerance of(Check check, DType dtype) {
        return (dtype == DType.FLOAT32 ? F32 : F64).get(check);
    }
}
