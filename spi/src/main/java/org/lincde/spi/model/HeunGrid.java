package org.lincde.spi.model;

import java.util.Arrays;
import org.lincde.spi.InvalidOptionException;

/**
 * The time grid R3's neural CDEs are solved on (docs/models/neural-cdes.md §Solver), reproduced in float32
 * because R3's JAX runs keep times in float32:
 * <ul>
 *   <li>the observation times {@code ts_j = fl32(fl32(T/L)·j)}, {@code j = 0 … L−1}
 *       ({@code data_dir/datasets.py}), so the solve runs over {@code [0, ts_{L−1}]}, short of T;</li>
 *   <li>diffrax 0.7.0's {@code ConstantStepSize} ({@code _step_size_controller/constant.py}, {@code _integrate.py}):
 *       the first step ends at {@code min(t0 + dt0, t1)}; every later end is the previous end plus dt0, set to
 *       t1 when it exceeds {@code t1 − 1e−6} ({@code _clip_to_end}, float32 tolerance); the solve stops once a
 *       step ends at t1, and fails past {@code max_steps};</li>
 *   <li>the log-signature interval boundaries {@code ts_0, ts_s, ts_{2s}, …} (indices below L) and T
 *       ({@code datasets.py}), searched with {@code jnp.searchsorted(intervals, t)} (side left).</li>
 * </ul>
 */
public final class HeunGrid {
    /** diffrax's float32 end-clipping tolerance ({@code _clip_to_end}). */
    static final float CLIP_TOLERANCE = 1e-6f;

    private HeunGrid() {
    }

    /** {@code ts_j = fl32(fl32(T/L)·j)} for {@code j = 0 … L−1}. */
    public static float[] observationTimes(int length, double horizon) {
        float step = (float) (horizon / length);
        float[] ts = new float[length];
        for (int j = 0; j < length; j++) {
            ts[j] = step * (float) j;
        }
        return ts;
    }

    /**
     * The step boundaries {@code t_0 = t0 < t_1 < … < t_N = t1} of diffrax 0.7.0's constant step size.
     *
     * @throws InvalidOptionException naming {@code max_steps} when the solve needs more than {@code maxSteps} steps
     */
    public static float[] steps(float t0, float t1, double dt0, int maxSteps) {
        if (!(dt0 > 0)) {
            throw new InvalidOptionException("dt0", dt0, "must be > 0");
        }
        float dt = (float) dt0;
        float[] out = new float[16];
        out[0] = t0;
        int n = 0;
        float tprev = t0;
        float tnext = Math.min(t0 + dt, t1);
        while (tprev < t1) {
            if (n == maxSteps) {
                throw new InvalidOptionException("max_steps", maxSteps, "the Heun solve over [" + t0 + ", " + t1
                        + "] with dt0 = " + dt0 + " needs about " + (long) Math.ceil((t1 - t0) / dt0)
                        + " steps (diffrax stops with max_steps_reached)");
            }
            if (n + 1 == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[++n] = tnext;
            float nextPrev = Math.min(tnext, t1);
            float nextNext = tnext + dt;
            if (nextNext > t1 - CLIP_TOLERANCE) {
                nextNext = t1;
            }
            tprev = nextPrev;
            tnext = nextNext;
        }
        return Arrays.copyOf(out, n + 1);
    }

    /** The log-signature interval boundaries: {@code ts_{k·s}} for {@code k·s < L}, then T. */
    public static float[] intervals(float[] ts, int stepsize, double horizon) {
        int count = (ts.length + stepsize - 1) / stepsize;
        float[] out = new float[count + 1];
        for (int k = 0; k < count; k++) {
            out[k] = ts[k * stepsize];
        }
        out[count] = (float) horizon;
        return out;
    }

    /** {@code jnp.searchsorted(sorted, t)} (side left): the first index {@code i} with {@code sorted[i] ≥ t}. */
    public static int searchLeft(float[] sorted, float t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
