package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.kernel.SelectiveScan;

/**
 * The selective scan of S6 and the Mamba v1 block ({@link SelectiveScanKernel}) as one fused kernel: the
 * forward and its hand-derived backward run in Java ({@link SelectiveScan}) over the inputs' native
 * memory. Of the generic graph's {@code (B, L, E, N)} tensors only the decays exist, once, in a Java array
 * kept from step to step: computed by the forward (one {@code exp} per element), read again by the backward,
 * which recomputes the states from them row by row.
 *
 * <p>It joins libtorch's autograd like {@link FusedRecurrence}: {@code y} leaves as a fresh leaf that
 * requires a gradient; after the engine's backward has filled that gradient, {@link Pending#backward}
 * runs the Java backward and pushes the five input gradients into the engine with one more backward
 * pass from the scalar {@code Σ u⊙du + Σ Δ⊙dΔ + Σ A⊙dA + Σ B⊙dB + Σ C⊙dC} (the gradients held constant),
 * whose gradient with respect to each input is exactly that input's gradient: one traversal of the
 * shared graph behind the five inputs instead of five.
 */
public final class FusedSelectiveScan implements SelectiveScanKernel<NDArray> {
    private final DjlTensorOps ops;
    private final KernelPool pool;
    private final List<Deferred> pending;
    /** Decays kept for the backward pass, by slot in {@link #pending}. */
    private final java.util.Map<Integer, SelectiveScan.Decays> decayStores = new java.util.HashMap<>();

    /**
     * @param pending where scans that need a backward pass are registered (owned by {@code ops})
     */
    public FusedSelectiveScan(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.pool = pool;
        this.pending = pending;
    }

    @Override
    public NDArray outputs(NDArray u, NDArray delta, NDArray a, NDArray b, NDArray c) {
        int[] us = ops.shape(u);
        int[] as = ops.shape(a);
        if (us.length != 3 || as.length != 2 || as[0] != us[2]
                || !java.util.Arrays.equals(ops.shape(delta), us)
                || !java.util.Arrays.equals(ops.shape(b), new int[] {us[0], us[1], as[1]})
                || !java.util.Arrays.equals(ops.shape(c), new int[] {us[0], us[1], as[1]})) {
            throw new IllegalArgumentException("selective scan: u and Δ must be (B, L, E), A (E, N), B and C (B, L, N); got u "
                    + java.util.Arrays.toString(us) + ", Δ " + java.util.Arrays.toString(ops.shape(delta)) + ", A "
                    + java.util.Arrays.toString(as) + ", B " + java.util.Arrays.toString(ops.shape(b)) + ", C "
                    + java.util.Arrays.toString(ops.shape(c)));
        }
        long t0 = System.nanoTime();
        Scan s = new Scan(new SelectiveScan(us[0], us[1], us[2], as[1]), us[0], us[1], us[2], as[1]);
        s.read(u, delta, a, b, c);
        double[] y = new double[s.rowsE * s.batch];
        boolean recording = Autograd.isRecording();
        SelectiveScan.DecayRows rows = s.kernel.computedDecays(s.dt, s.a);
        if (recording) {
            s.decays = decayStore(pending.size(), s.batch, s.kernel.decayRowSize());
            rows = s.decays.keeping(rows);
        }
        SelectiveScan.DecayRows source = rows;
        pool.forRows(s.batch, s.kernel.work(), (from, to) ->
                s.kernel.forward(s.u, s.dt, s.b, s.c, source, y, from, to, s.kernel.work(s.a)));
        NDArray out = write(y, us);
        Autograd.trace("selective scan: forward", t0);
        if (recording) {
            out.setRequiresGradient(true);
            pending.add(new Pending(u, delta, a, b, c, out, s));
        }
        return out;
    }

    /**
     * The decay store for the scan registered at {@code slot} of the pending backward passes, kept from step
     * to step (the same shapes come back every step; a fresh array of tens of MB costs a zeroing pass).
     */
    private SelectiveScan.Decays decayStore(int slot, int rows, int rowSize) {
        boolean exact = ops.dataType() == ai.djl.ndarray.types.DataType.FLOAT64;
        SelectiveScan.Decays d = decayStores.get(slot);
        if (d == null || !d.fits(rows, rowSize, exact)) {
            d = new SelectiveScan.Decays(rows, rowSize, exact);
            decayStores.put(slot, d);
        }
        return d;
    }

    private NDArray write(double[] values, int... shape) {
        NativeView v = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), values.length);
        v.put(values, 0, 0, values.length);
        return v.toArray(ops.manager(), ops.dataType(), shape);
    }

    private static double[] read(NDArray x) {
        NativeView v = NativeView.of(x);
        double[] out = new double[v.size()];
        v.get(0, out, 0, out.length);
        return out;
    }

    /** The inputs as doubles (kept for the backward pass, which recomputes the states from them). */
    private static final class Scan {
        final SelectiveScan kernel;
        final int batch;
        final int rowsE;
        final int rowsN;
        final int width;
        final int state;
        double[] u;
        double[] dt;
        double[] a;
        double[] b;
        double[] c;
        /** The decays kept for the backward pass (training only). */
        SelectiveScan.Decays decays;

        Scan(SelectiveScan kernel, int batch, int length, int width, int state) {
            this.kernel = kernel;
            this.batch = batch;
            this.rowsE = length * width;
            this.rowsN = length * state;
            this.width = width;
            this.state = state;
        }

        void read(NDArray u0, NDArray d0, NDArray a0, NDArray b0, NDArray c0) {
            u = FusedSelectiveScan.read(u0);
            dt = FusedSelectiveScan.read(d0);
            a = FusedSelectiveScan.read(a0);
            b = FusedSelectiveScan.read(b0);
            c = FusedSelectiveScan.read(c0);
        }
    }

    /** A scan whose Java backward still has to run. */
    private final class Pending implements Deferred {
        private final NDArray u;
        private final NDArray delta;
        private final NDArray a;
        private final NDArray b;
        private final NDArray c;
        private final NDArray y;
        private final Scan s;

        Pending(NDArray u, NDArray delta, NDArray a, NDArray b, NDArray c, NDArray y, Scan s) {
            this.u = u;
            this.delta = delta;
            this.a = a;
            this.b = b;
            this.c = c;
            this.y = y;
            this.s = s;
        }

        @Override
        public void backward(boolean keepGraph) {
            NDArray g = Autograd.gradientOrNull(y);
            if (g == null) {
                return; // y did not reach the loss
            }
            long t0 = System.nanoTime();
            double[] dy = read(g);
            SelectiveScan k = s.kernel;
            int n = s.batch * s.rowsE;
            double[] du = new double[n];
            double[] ddt = new double[n];
            double[] db = new double[s.batch * s.rowsN];
            double[] dc = new double[s.batch * s.rowsN];
            double[][] parts = new double[k.chunks()][s.width * s.state];
            SelectiveScan.DecayRows rows = s.decays.stored();
            pool.forRows(k.chunks(), 2 * k.work() * SelectiveScan.ROWS_PER_CHUNK, (from, to) -> {
                SelectiveScan.Work w = k.work(s.a);
                for (int ch = from; ch < to; ch++) {
                    k.backward(s.u, s.dt, s.b, s.c, rows, dy, du, ddt, db, dc, parts[ch], ch, w);
                }
            });
            double[] da = k.reduceA(parts);
            t0 = Autograd.trace("selective scan: backward", t0);
            NDArray surrogate;
            try (Autograd.Mode m = Autograd.enabled()) {
                surrogate = u.mul(write(du, ops.shape(u))).sum()
                        .add(delta.mul(write(ddt, ops.shape(delta))).sum())
                        .add(a.mul(write(da, ops.shape(a))).sum())
                        .add(b.mul(write(db, ops.shape(b))).sum())
                        .add(c.mul(write(dc, ops.shape(c))).sum());
            }
            Autograd.backward(surrogate, surrogate.onesLike(), keepGraph);
            Autograd.trace("selective scan: engine", t0);
        }
    }
}
