package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.Shapes;
import org.lincde.spi.kernel.StepKernel;

/**
 * The whole Linear CDE recurrence (SPEC §1.1 eq. 2) as one fused kernel: the forward loop and its
 * hand-derived backward run in Java over primitive arrays (the step is tiny: {@code B·h·b} FMAs, so
 * per-op overhead, not arithmetic, would dominate an op-by-op graph; docs/PERFORMANCE.md).
 *
 * <p>How it joins libtorch's autograd: the states leave as a fresh leaf that requires a gradient.
 * After the engine's backward pass has filled that leaf's gradient, {@link Pending#backward} runs the
 * recurrence backward in Java and pushes {@code (dcoef, dy0)} into the engine with a second backward
 * pass from {@code [coef, y0]} (the graph is kept between passes). Recurrences are processed newest
 * first, so every leaf has its full gradient when its turn comes.
 */
public final class FusedRecurrence implements RecurrenceKernel<NDArray> {
    private final DjlTensorOps ops;
    private final StepKernel kernel;
    private final int h;
    private final KernelPool pool;
    private final List<Deferred> pending;

    /**
     * @param pending where recurrences that need a backward pass are registered (owned by {@code ops})
     */
    public FusedRecurrence(DjlTensorOps ops, StepKernel kernel, int hidden, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.kernel = kernel;
        this.h = hidden;
        this.pool = pool;
        this.pending = pending;
    }

    @Override
    public NDArray states(NDArray y0, NDArray coefficients, double clip) {
        int[] ys = ops.shape(y0);
        int[] cs = ops.shape(coefficients);
        int p = kernel.coefficientCount();
        Shapes.recurrence(ys, cs, h, p, clip);
        long t0 = System.nanoTime();
        // workspace slot: unique among the recurrences whose backward is pending in this call
        Trajectory t = new Trajectory(ys[0], cs[1] + 1, h, p, clip, pool.workspace(), pending.size());
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), t.batch * t.length * h);
        t.bind(NativeView.of(y0), NativeView.of(coefficients), out);
        pool.forRows(t.batch, t.work(), t::forward);
        t0 = Autograd.trace("recurrence: forward", t0);
        NDArray states = out.toArray(ops.manager(), ops.dataType(), t.batch, t.length, h);
        if (Autograd.isRecording()) {
            states.setRequiresGradient(true);
            pending.add(new Pending(y0, coefficients, states, t));
        }
        return states;
    }

    /**
     * {@code tanh(x)}; for {@code |x| < 1e-5} the series {@code x − x³/3} (next term {@code 2x⁵/15} is
     * below double rounding there). R1's clip {@code c = 1e11} puts every argument in that range, and
     * {@code Math.tanh} (fdlibm) otherwise costs more than the whole step kernel.
     */
    static double tanh(double x) {
        if (Math.abs(x) < 1e-5) {
            return x - x * x * x * (1.0 / 3.0);
        }
        return Math.tanh(x);
    }

    /** Whether {@link #tanh} takes its series branch for every {@code s[q]·inv}. */
    private static boolean seriesOnly(double[] s, double inv) {
        boolean small = true;
        for (double v : s) {
            small &= Math.abs(v * inv) < 1e-5;
        }
        return small;
    }

    /** Runs the engine's backward from {@code head} with upstream gradient {@code grad}. */
    public static void engineBackward(NDArray head, NDArray grad, boolean keepGraph) {
        Autograd.backward(head, grad, keepGraph);
    }

    /** Forward values kept for the backward pass, and the two loops over batch rows. */
    private final class Trajectory {
        final int batch;
        final int length;
        final int hidden;
        final int coefs;
        final double clip;
        final boolean clipped;
        final Workspace ws;
        final int slot;
        final double[] y0;
        final double[] coef;
        final double[] states;
        /** {@code tanh(s_i / c)} per step, for the clip's derivative (null when not clipped). */
        final double[] tanh;
        double[] dcoef;
        double[] dy0;
        double[] dStates;
        /** Native memory the row loops read from and write to (set per pass). */
        NativeView in0;
        NativeView inCoef;
        NativeView outStates;
        NativeView inDStates;
        NativeView outDcoef;
        NativeView outDy0;

        Trajectory(int batch, int length, int hidden, int coefs, double clip, Workspace ws, int slot) {
            this.batch = batch;
            this.length = length;
            this.hidden = hidden;
            this.coefs = coefs;
            this.clip = clip;
            this.clipped = !Double.isInfinite(clip);
            this.ws = ws;
            this.slot = slot;
            String k = "recurrence." + slot + ".";
            this.y0 = ws.doubles(k + "y0", batch * hidden);
            this.coef = ws.doubles(k + "coef", batch * (length - 1) * coefs);
            this.states = ws.doubles(k + "states", batch * length * hidden);
            this.tanh = clipped ? ws.doubles(k + "tanh", batch * (length - 1) * hidden) : null;
        }

        void bind(NativeView y0In, NativeView coefIn, NativeView statesOut) {
            this.in0 = y0In;
            this.inCoef = coefIn;
            this.outStates = statesOut;
        }

        /** Arrays for the backward pass (taken only when it runs). */
        void takeBackwardArrays() {
            String k = "recurrence." + slot + ".";
            dStates = ws.doubles(k + "dstates", batch * length * hidden);
            dcoef = ws.doubles(k + "dcoef", batch * (length - 1) * coefs);
            dy0 = ws.doubles(k + "dy0", batch * hidden);
        }

        /** Multiply-adds per batch row of the forward loop (for the thread split). */
        long work() {
            return (long) (length - 1) * (coefs + hidden);
        }

        /** SPEC §1.1 eq. 2 for rows {@code [from, to)}: {@code y_i = y_{i−1} + c·tanh(A(coef_i) y_{i−1} / c)}. */
        void forward(int from, int to) {
            double[] s = new double[hidden];
            double[] ws = new double[kernel.workspace()];
            double inv = 1.0 / clip;
            int rowCoefs = (length - 1) * coefs;
            for (int b = from; b < to; b++) {
                int base = b * length * hidden;
                in0.get(b * hidden, y0, b * hidden, hidden);
                inCoef.get(b * rowCoefs, coef, b * rowCoefs, rowCoefs);
                System.arraycopy(y0, b * hidden, states, base, hidden);
                for (int i = 1; i < length; i++) {
                    int prev = base + (i - 1) * hidden;
                    int cur = prev + hidden;
                    kernel.apply(coef, (b * (length - 1) + i - 1) * coefs, states, prev, s, 0, ws);
                    if (clipped && seriesOnly(s, inv)) {
                        // the common case (R1's c = 1e11): tanh's series for every entry, in a
                        // branch-free loop the JIT vectorises; the same values as tanh() below
                        int to2 = (b * (length - 1) + i - 1) * hidden;
                        for (int q = 0; q < hidden; q++) {
                            double x = s[q] * inv;
                            double th = x - x * x * x * (1.0 / 3.0);
                            tanh[to2 + q] = th;
                            states[cur + q] = states[prev + q] + clip * th;
                        }
                    } else if (clipped) {
                        int to2 = (b * (length - 1) + i - 1) * hidden;
                        for (int q = 0; q < hidden; q++) {
                            double th = tanh(s[q] * inv);
                            tanh[to2 + q] = th;
                            states[cur + q] = states[prev + q] + clip * th;
                        }
                    } else {
                        for (int q = 0; q < hidden; q++) {
                            states[cur + q] = states[prev + q] + s[q];
                        }
                    }
                }
                outStates.put(states, base, base, length * hidden);
            }
        }

        /**
         * Adjoint for rows {@code [from, to)}: with {@code g} the total gradient of {@code y_i},
         * {@code ds = g ⊙ (1 − tanh²)}, {@code dcoef_i = ∂s/∂coef ᵀ ds}, and
         * {@code g_{i−1} = g + A(coef_i)ᵀ ds + dStates_{i−1}}; finally {@code dy0 = g_0}.
         */
        void backward(int from, int to) {
            double[] g = new double[hidden];
            double[] ds = new double[hidden];
            double[] ws = new double[kernel.workspace()];
            int rowCoefs = (length - 1) * coefs;
            for (int b = from; b < to; b++) {
                int base = b * length * hidden;
                inDStates.get(base, dStates, base, length * hidden);
                System.arraycopy(dStates, base + (length - 1) * hidden, g, 0, hidden);
                for (int i = length - 1; i >= 1; i--) {
                    int step = b * (length - 1) + i - 1;
                    if (clipped) {
                        int t0 = step * hidden;
                        for (int q = 0; q < hidden; q++) {
                            double th = tanh[t0 + q];
                            ds[q] = g[q] * (1.0 - th * th);
                        }
                    } else {
                        System.arraycopy(g, 0, ds, 0, hidden);
                    }
                    int prev = base + (i - 1) * hidden;
                    for (int q = 0; q < hidden; q++) {
                        g[q] += dStates[prev + q];
                    }
                    kernel.backward(coef, step * coefs, states, prev, ds, 0, dcoef, step * coefs, g, 0, ws);
                }
                System.arraycopy(g, 0, dy0, b * hidden, hidden);
                outDcoef.put(dcoef, b * rowCoefs, b * rowCoefs, rowCoefs);
                outDy0.put(dy0, b * hidden, b * hidden, hidden);
            }
        }
    }

    /** A recurrence whose Java backward still has to run. */
    final class Pending extends OutputGradientPhase {
        private final NDArray y0;
        private final NDArray coef;
        private final Trajectory t;

        Pending(NDArray y0, NDArray coef, NDArray states, Trajectory t) {
            super(states);
            this.y0 = y0;
            this.coef = coef;
            this.t = t;
        }

        /**
         * From the states' gradient {@code g}, runs the Java backward and back-propagates {@code (dcoef, dy0)}
         * into whatever produced {@code coef} and {@code y0}.
         *
         * @param g         the states' gradient
         * @param keepGraph whether later passes still need the graph
         */
        @Override
        void backward(NDArray g, boolean keepGraph) {
            long t0 = System.nanoTime();
            t.takeBackwardArrays();
            int nCoef = t.batch * (t.length - 1) * t.coefs;
            t.inDStates = NativeView.of(g);
            t.outDcoef = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), nCoef);
            t.outDy0 = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), t.batch * h);
            pool.forRows(t.batch, 2 * t.work(), t::backward);
            t0 = Autograd.trace("recurrence: backward", t0);
            NDArray dc = t.outDcoef.toArray(ops.manager(), ops.dataType(), ops.shape(coef));
            NDArray dy = t.outDy0.toArray(ops.manager(), ops.dataType(), ops.shape(y0));
            // two passes that share only the short way back to the block input (a cut): cheaper than
            // concatenating coef and dcoef (tens of MB) into one head
            engineBackward(coef, dc, true);
            engineBackward(y0, dy, keepGraph);
        }
    }
}
