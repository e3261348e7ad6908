package org.lincde.harness.toy;

/**
 * Integrates {@code dy/dt = f(t, y)} across knot intervals {@code [τ_0, τ_1], …, [τ_{K−2}, τ_{K−1}]}
 * (SPEC §1.4), in place on {@code y}. Three schemes:
 * <ul>
 *   <li>{@link #adaptive}: Tsit5 with an error-controlled step (R2's toy solver). Scaled error
 *       {@code e = RMS_i(err_i / (atol + rtol·max(|y_i|, |y_new_i|)))}, exponent {@code 1/5} (diffrax's
 *       error order for Tsit5). Two controllers ({@link Controller}): {@link Controller#DIFFRAX_PID} is
 *       diffrax 0.6's {@code PIDController(rtol, atol, jump_ts=ts)} with its default coefficients, step for
 *       step (docs/protocols/fidelity.md, "R2's toy solver"); {@link Controller#CLASSIC_I} is the textbook
 *       integral controller lincde used before. The first step is {@link Settings#initialStep()} (R2: 0.01).
 *       FSAL: an accepted step's last stage starts the next step within an interval; a new interval
 *       recomputes it.</li>
 *   <li>{@link #fixed}: Tsit5 with {@code n} equal steps per interval (for order checks).</li>
 *   <li>{@link #euler}: explicit Euler with {@code n} equal steps per interval.</li>
 * </ul>
 * Workspaces are allocated once per solver; solving allocates nothing. Not thread-safe: one per thread.
 */
public final class OdeSolver {
    /** How the adaptive solver picks its next step. */
    public enum Controller {
        /**
         * [QUIRK] diffrax 0.6's {@code PIDController} with {@code pcoeff = dcoeff = 0, icoeff = 1} and
         * {@code jump_ts} = the knots (diffrax/_step_size_controller/adaptive.py, {@code adapt_step_size}):
         * accept only when {@code e < 1}; factor {@code clip(0.9·e^{−1/5}, 1, 10)} after an accepted step
         * (it never shrinks) and {@code clip(…, 0.2, 10)} after a rejected one; the next step grows from the
         * step actually taken, except after a step clipped to a knot, which grows from the unclipped
         * proposal; a proposal within {@link #END_TOLERANCE} of the end lands on it after an accepted step
         * and covers half the remainder after a rejected one (diffrax/_integrate.py {@code _clip_to_end}).
         */
        DIFFRAX_PID,
        /**
         * A textbook integral controller, not R2's: accept when {@code e ≤ 1}; factor
         * {@code clamp(0.9·e^{−1/5}, 0.2, 10)} (at most 1 after a rejection), applied to the step actually
         * taken (clipped or not); no end tolerance.
         */
        CLASSIC_I
    }

    /**
     * diffrax's {@code _clip_to_end} tolerance for float32 times (R2's JAX default dtype): a proposal past
     * {@code t_end − 1e−6} is clipped to the end.
     */
    public static final double END_TOLERANCE = 1e-6;

    /**
     * Adaptive-step settings.
     *
     * @param rtol        relative tolerance (R2: 1e−2)
     * @param atol        absolute tolerance (R2: 1e−2)
     * @param initialStep first step size (R2: 0.01)
     * @param maxSteps    bound on attempted steps per solve (R2: diffeqsolve's default 4096)
     * @param controller  how the next step is chosen (R2: {@link Controller#DIFFRAX_PID})
     */
    public record Settings(double rtol, double atol, double initialStep, long maxSteps, Controller controller) {
        /** Validates the values. */
        public Settings {
            if (!(rtol >= 0) || !(atol >= 0) || rtol + atol <= 0) {
                throw new IllegalArgumentException("tolerances must be >= 0 and not both 0, got rtol " + rtol
                        + ", atol " + atol);
            }
            if (!(initialStep > 0)) {
                throw new IllegalArgumentException("initial step must be > 0, got " + initialStep);
            }
            if (maxSteps < 1) {
                throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
            }
            if (controller == null) {
                throw new IllegalArgumentException("controller must be given");
            }
        }

        /** Settings with diffrax's controller. */
        public Settings(double rtol, double atol, double initialStep, long maxSteps) {
            this(rtol, atol, initialStep, maxSteps, Controller.DIFFRAX_PID);
        }

        /**
         * R2's toy settings (linear_cde.py:81–90): rtol = atol = 1e−2, first step 0.01, diffrax's controller,
         * at most 4096 steps (diffeqsolve's default {@code max_steps}; diffrax raises past it).
         */
        public static Settings r2() {
            return new Settings(1e-2, 1e-2, 0.01, 4096, Controller.DIFFRAX_PID);
        }

        /** The same settings with another controller. */
        public Settings withController(Controller c) {
            return new Settings(rtol, atol, initialStep, maxSteps, c);
        }
    }

    /** Steps of one adaptive solve. */
    public record Stats(long accepted, long rejected) {}

    static final double SAFETY = 0.9;
    static final double FACTOR_MIN = 0.2;
    static final double FACTOR_MAX = 10.0;
    static final double EXPONENT = 1.0 / 5.0;

    private final int n;
    private final Tsit5 tsit5;
    private final double[] yNew;
    private final double[] err;
    private final double[] dy;

    /** A solver for systems of dimension {@code n}. */
    public OdeSolver(int n) {
        this.n = n;
        this.tsit5 = new Tsit5(n);
        this.yNew = new double[n];
        this.err = new double[n];
        this.dy = new double[n];
    }

    /** Adaptive Tsit5 from {@code knots[0]} to the last knot. y: read and written (the final state). */
    public Stats adaptive(IntervalField f, double[] knots, double[] y, Settings s) {
        return s.controller() == Controller.DIFFRAX_PID ? diffrax(f, knots, y, s) : classic(f, knots, y, s);
    }

    /**
     * diffrax 0.6's {@code diffeqsolve} loop with {@code PIDController(rtol, atol, jump_ts=knots)} (default
     * coefficients), on float64 times: a step clipped to a knot lands exactly on it (diffrax stops one ulp
     * before the jump and restarts one ulp after it: the step lengths differ by ulps).
     */
    private Stats diffrax(IntervalField f, double[] knots, double[] y, Settings s) {
        checkKnots(knots, y);
        int last = knots.length - 1;
        double tEnd = knots[last];
        double t = knots[0];
        int interval = 0;
        long accepted = 0;
        long rejected = 0;
        // controller.init: the first proposal dt0, clipped to the first knot after t0 (jump_ts), then to t1
        double dt = s.initialStep();
        boolean madeJump = t + dt >= knots[1];
        double tNext = Math.min(madeJump ? knots[1] : t + dt, tEnd);
        tsit5.firstStage(f, interval, t, y);
        while (interval < last) {
            if (accepted + rejected >= s.maxSteps()) {
                throw new IllegalStateException("adaptive Tsit5 took more than " + s.maxSteps()
                        + " steps (diffrax's max_steps; t = " + t + ", dt = " + dt + ")");
            }
            double step = tNext - t;
            if (!(step > 0)) {
                throw new IllegalStateException("adaptive Tsit5: step size underflow at t = " + t);
            }
            tsit5.step(f, interval, t, y, step, yNew, err);
            double e = scaledError(y, s);
            if (!Double.isFinite(e)) {
                throw new IllegalStateException("adaptive Tsit5: non-finite error estimate at t = " + t);
            }
            boolean keep = e < 1.0;
            // adapt_step_size: a step clipped to a jump grows from the proposal it replaced
            double prevDt = madeJump ? dt : step;
            double factor = e == 0.0 ? FACTOR_MAX
                    : Math.min(FACTOR_MAX, Math.max(keep ? 1.0 : FACTOR_MIN, SAFETY * Math.pow(e, -EXPONENT)));
            dt = prevDt * factor;
            if (keep) {
                accepted++;
                System.arraycopy(yNew, 0, y, 0, n);
                t = tNext;
                int before = interval;
                while (interval < last && t >= knots[interval + 1]) {
                    interval++; // a knot reached (or, within END_TOLERANCE of the end, passed)
                }
                if (interval == before) {
                    tsit5.acceptLastStage();
                } else if (interval < last) {
                    tsit5.firstStage(f, interval, t, y); // a jump: the field changes, FSAL is not reused
                }
            } else {
                rejected++;
            }
            if (interval >= last) {
                break;
            }
            double knot = knots[interval + 1];
            madeJump = t + dt >= knot;
            tNext = madeJump ? knot : t + dt;
            if (tNext > tEnd - END_TOLERANCE) {
                tNext = keep ? tEnd : t + 0.5 * (tEnd - t); // _clip_to_end
            }
        }
        return new Stats(accepted, rejected);
    }

    private Stats classic(IntervalField f, double[] knots, double[] y, Settings s) {
        checkKnots(knots, y);
        double t = knots[0];
        double h = s.initialStep();
        long accepted = 0;
        long rejected = 0;
        int interval = 0;
        int last = knots.length - 1;
        tsit5.firstStage(f, interval, t, y);
        while (interval < last) {
            if (accepted + rejected >= s.maxSteps()) {
                throw new IllegalStateException("adaptive Tsit5 took more than " + s.maxSteps() + " steps (t = " + t
                        + ", h = " + h + ")");
            }
            double end = knots[interval + 1];
            boolean landing = h >= end - t;
            double step = landing ? end - t : h;
            tsit5.step(f, interval, t, y, step, yNew, err);
            double e = scaledError(y, s);
            if (!Double.isFinite(e)) {
                throw new IllegalStateException("adaptive Tsit5: non-finite error estimate at t = " + t);
            }
            double factor = e == 0.0 ? FACTOR_MAX
                    : Math.min(FACTOR_MAX, Math.max(FACTOR_MIN, SAFETY * Math.pow(e, -EXPONENT)));
            if (e <= 1.0) {
                accepted++;
                System.arraycopy(yNew, 0, y, 0, n);
                if (landing) {
                    t = end;
                    interval++;
                    if (interval < last) {
                        tsit5.firstStage(f, interval, t, y); // a new interval: a new field
                    }
                } else {
                    t += step;
                    tsit5.acceptLastStage();
                }
            } else {
                rejected++;
                factor = Math.min(factor, 1.0);
            }
            h = step * factor;
            if (!(h > 0) || t + h == t) {
                throw new IllegalStateException("adaptive Tsit5: step size underflow at t = " + t);
            }
        }
        return new Stats(accepted, rejected);
    }

    /** Tsit5 with {@code stepsPerInterval} equal steps on every interval. y: read and written. */
    public void fixed(IntervalField f, double[] knots, double[] y, int stepsPerInterval) {
        checkKnots(knots, y);
        checkSteps(stepsPerInterval);
        for (int k = 0; k + 1 < knots.length; k++) {
            double h = (knots[k + 1] - knots[k]) / stepsPerInterval;
            for (int s = 0; s < stepsPerInterval; s++) {
                double t = knots[k] + s * h;
                tsit5.firstStage(f, k, t, y);
                tsit5.step(f, k, t, y, h, yNew, null);
                System.arraycopy(yNew, 0, y, 0, n);
            }
        }
    }

    /** Explicit Euler with {@code stepsPerInterval} equal steps on every interval. y: read and written. */
    public void euler(IntervalField f, double[] knots, double[] y, int stepsPerInterval) {
        checkKnots(knots, y);
        checkSteps(stepsPerInterval);
        for (int k = 0; k + 1 < knots.length; k++) {
            double h = (knots[k + 1] - knots[k]) / stepsPerInterval;
            for (int s = 0; s < stepsPerInterval; s++) {
                f.derivative(k, knots[k] + s * h, y, dy);
                for (int i = 0; i < n; i++) {
                    y[i] += h * dy[i];
                }
            }
        }
    }

    /** One Tsit5 step from {@code (t, y)} with its error estimate (tests). Writes {@code yNew}; returns err. */
    double[] singleStep(IntervalField f, double t, double[] y, double h, double[] yOut) {
        tsit5.firstStage(f, 0, t, y);
        tsit5.step(f, 0, t, y, h, yOut, err);
        return err;
    }

    private double scaledError(double[] y, Settings s) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double scale = s.atol() + s.rtol() * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            double r = err[i] / scale;
            sum += r * r;
        }
        return Math.sqrt(sum / n);
    }

    private void checkKnots(double[] knots, double[] y) {
        if (y.length != n) {
            throw new IllegalArgumentException("state has " + y.length + " entries, the solver " + n);
        }
        if (knots.length < 2) {
            throw new IllegalArgumentException("need at least 2 knots, got " + knots.length);
        }
        for (int i = 1; i < knots.length; i++) {
            if (!(knots[i] > knots[i - 1])) {
                throw new IllegalArgumentException("knots must increase strictly: knot " + i + " = " + knots[i]
                        + " after " + knots[i - 1]);
            }
        }
    }

    private static void checkSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps per interval must be >= 1, got " + steps);
        }
    }
}
