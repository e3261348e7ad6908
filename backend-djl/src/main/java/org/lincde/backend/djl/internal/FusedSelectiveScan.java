package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
        Workspace ws = pool.workspace();
        int slot = pending.size(); // unique among the scans whose backward is pending
        s.read(ws, "scan." + slot + ".", u, delta, a, b, c);
        double[] y = ws.doubles("scan.y", s.rowsE * s.batch);
        boolean recording = Autograd.isRecording();
        // float32 sessions take the vectorised exp (error far below float32 rounding); float64 keeps Math.exp
        boolean fast = ops.dataType() == ai.djl.ndarray.types.DataType.FLOAT32;
        SelectiveScan.DecayRows rows = s.kernel.computedDecays(s.dt, s.a, fast);
        if (recording) {
            s.decays = decayStore(slot, s.batch, s.kernel.decayRowSize());
            rows = s.decays.keeping(rows);
        }
        SelectiveScan.DecayRows source = rows;
        pool.forRows(s.batch, s.kernel.work(), (from, to) ->
                s.kernel.forward(s.u, s.dt, s.b, s.c, source, y, from, to, s.kernel.work(s.a)));
        NDArray out = write(y, s.rowsE * s.batch, us);
        Autograd.trace("selective scan: forward", t0);
        if (recording) {
            out.setRequiresGradient(true);
            pending.add(new Pending(u, delta, a, b, c, out, s));
        }
        return out;
    }

    @Override
    public boolean fusesSkipAndGate() {
        return true;
    }

    /**
     * The scan with the skip and the gate ({@link SelectiveScanKernel#outputs(Object, Object, Object, Object, Object,
     * Object, Object)}). The seven inputs are packed by one recorded {@code cat} (as {@link FusedMamba2Mixer}), which
     * the kernel reads; the backward fills the packed tensor's gradient and one engine pass from it reaches every
     * input: no surrogate products, and the layer's graph below the scan (the projections, the convolution, the
     * {@code z} half) is walked once, by this phase, instead of once by the engine's first pass (through the skip and
     * the gate) and again by this phase.
     */
    @Override
    public NDArray outputs(NDArray u, NDArray delta, NDArray a, NDArray b, NDArray c, NDArray d, NDArray z) {
        int[] us = ops.shape(u);
        int[] as = ops.shape(a);
        checkShapes(u, delta, a, b, c);
        if (!java.util.Arrays.equals(ops.shape(d), new int[] {us[2]})
                || (z != null && !java.util.Arrays.equals(ops.shape(z), us))) {
            throw new IllegalArgumentException("selective scan: D must be (E) and z (B, L, E); got D "
                    + java.util.Arrays.toString(ops.shape(d)) + ", z "
                    + (z == null ? "none" : java.util.Arrays.toString(ops.shape(z))));
        }
        long t0 = System.nanoTime();
        Scan s = new Scan(new SelectiveScan(us[0], us[1], us[2], as[1]), us[0], us[1], us[2], as[1]);
        int ne = s.batch * s.rowsE;
        int nn = s.batch * s.rowsN;
        int na = s.width * s.state;
        // packed layout: u, Δ, z (B·L·E each; z only when gated), B, C (B·L·N each), A (E·N), D (E)
        int[] off = new int[8];
        off[1] = ne;
        off[2] = 2 * ne;
        off[3] = off[2] + (z == null ? 0 : ne);
        off[4] = off[3] + nn;
        off[5] = off[4] + nn;
        off[6] = off[5] + na;
        off[7] = off[6] + s.width;
        NDList parts = new NDList(u.reshape(-1), delta.reshape(-1));
        if (z != null) {
            parts.add(z.reshape(-1));
        }
        parts.add(b.reshape(-1));
        parts.add(c.reshape(-1));
        parts.add(a.reshape(-1));
        parts.add(d.reshape(-1));
        NDArray packed = NDArrays.concat(parts, 0);
        NativeView in = NativeView.of(packed);
        Workspace ws = pool.workspace();
        int slot = pending.size(); // unique among the scans whose backward is pending
        String key = "scan." + slot + ".";
        s.u = ws.doubles(key + "u", ne);
        s.dt = ws.doubles(key + "dt", ne);
        double[] zz = z == null ? null : ws.doubles(key + "z", ne);
        s.b = ws.doubles(key + "b", nn);
        s.c = ws.doubles(key + "c", nn);
        s.a = new double[na];
        double[] dd = new double[s.width];
        pool.forRows(s.batch, s.rowsE, (from, to) -> {
            int r0 = from * s.rowsE;
            int n0 = from * s.rowsN;
            in.get(off[0] + r0, s.u, r0, (to - from) * s.rowsE);
            in.get(off[1] + r0, s.dt, r0, (to - from) * s.rowsE);
            if (zz != null) {
                in.get(off[2] + r0, zz, r0, (to - from) * s.rowsE);
            }
            in.get(off[3] + n0, s.b, n0, (to - from) * s.rowsN);
            in.get(off[4] + n0, s.c, n0, (to - from) * s.rowsN);
        });
        in.get(off[5], s.a, 0, na);
        in.get(off[6], dd, 0, s.width);
        // y, then y + D ⊙ u in place: kept for the backward pass (the gate's gradient needs it)
        double[] pre = ws.doubles(key + "pre", ne);
        boolean recording = Autograd.isRecording();
        boolean fast = ops.dataType() == ai.djl.ndarray.types.DataType.FLOAT32;
        SelectiveScan.DecayRows rows = s.kernel.computedDecays(s.dt, s.a, fast);
        if (recording) {
            s.decays = decayStore(slot, s.batch, s.kernel.decayRowSize());
            rows = s.decays.keeping(rows);
        }
        SelectiveScan.DecayRows source = rows;
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), ne);
        pool.forRows(s.batch, s.kernel.work(), (from, to) -> {
            s.kernel.forward(s.u, s.dt, s.b, s.c, source, pre, from, to, s.kernel.work(s.a));
            double[] rowsOut = new double[(to - from) * s.rowsE];
            s.kernel.skipAndGate(s.u, dd, zz, pre, rowsOut, from, to, fast);
            out.put(rowsOut, 0, from * s.rowsE, rowsOut.length);
        });
        NDArray o = out.toArray(ops.manager(), ops.dataType(), us);
        Autograd.trace("selective scan: forward", t0);
        if (recording) {
            o.setRequiresGradient(true);
            int total = off[7];
            pending.add(OutputGradientPhase.of(o, (g, keepGraph) -> {
                long t1 = System.nanoTime();
                double[] dOut = read(ws, "scan.dy", g);
                SelectiveScan k = s.kernel;
                double[] du = ws.doubles("scan.du", ne);
                double[] ddt = ws.doubles("scan.ddt", ne);
                double[] dy = ws.doubles("scan.dyscan", ne);
                double[] dz = zz == null ? null : ws.doubles("scan.dz", ne);
                double[] db = ws.doubles("scan.db", nn);
                double[] dc = ws.doubles("scan.dc", nn);
                double[][] dAParts = new double[k.chunks()][na];
                double[][] dDParts = new double[k.chunks()][s.width];
                SelectiveScan.DecayRows stored = s.decays.stored();
                pool.forRows(k.chunks(), 2 * k.work() * SelectiveScan.ROWS_PER_CHUNK, (from, to) -> {
                    SelectiveScan.Work w = k.work(s.a);
                    for (int ch = from; ch < to; ch++) {
                        int r0 = k.chunkStart(ch);
                        int r1 = k.chunkEnd(ch);
                        k.skipAndGateBackward(s.u, zz, pre, dOut, dy, dz, dDParts[ch], r0, r1, fast);
                        k.backward(s.u, s.dt, s.b, s.c, stored, dy, du, ddt, db, dc, dAParts[ch], ch, w);
                        k.addSkipGradient(dy, dd, du, r0, r1);
                    }
                });
                double[] da = k.reduceA(dAParts);
                double[] dD = new double[s.width];
                for (double[] part : dDParts) { // chunk order: the same sum at any thread count
                    for (int e = 0; e < s.width; e++) {
                        dD[e] += part[e];
                    }
                }
                NativeView dIn = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), total);
                pool.forRows(s.batch, s.rowsE, (from, to) -> {
                    int r0 = from * s.rowsE;
                    int n0 = from * s.rowsN;
                    dIn.put(du, r0, off[0] + r0, (to - from) * s.rowsE);
                    dIn.put(ddt, r0, off[1] + r0, (to - from) * s.rowsE);
                    if (dz != null) {
                        dIn.put(dz, r0, off[2] + r0, (to - from) * s.rowsE);
                    }
                    dIn.put(db, n0, off[3] + n0, (to - from) * s.rowsN);
                    dIn.put(dc, n0, off[4] + n0, (to - from) * s.rowsN);
                });
                dIn.put(da, 0, off[5], na);
                dIn.put(dD, 0, off[6], s.width);
                t1 = Autograd.trace("selective scan: backward", t1);
                Autograd.backward(packed, dIn.toArray(ops.manager(), ops.dataType(), total), keepGraph);
                Autograd.trace("selective scan: engine", t1);
            }));
        }
        return o;
    }

    private void checkShapes(NDArray u, NDArray delta, NDArray a, NDArray b, NDArray c) {
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
    }

    /**
     * Cuts the graph at the layer's input ({@link DjlTensorOps#cut}): the scan's backward phase then walks only its
     * own layer's graph, and the layers below are walked once, by the cut's phase, with every gradient summed
     * (without it each scan's phase walked every layer below it again, and the engine's first pass too).
     */
    @Override
    public NDArray layerInput(NDArray x) {
        return ops.cut(x);
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

    /** The first {@code n} of {@code values} as a tensor of {@code shape} (native memory from the arena). */
    private NDArray write(double[] values, int n, int... shape) {
        NativeView v = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), n);
        v.put(values, 0, 0, n);
        return v.toArray(ops.manager(), ops.dataType(), shape);
    }

    /** {@code x}'s values widened into the workspace array {@code key} (reused from step to step). */
    private static double[] read(Workspace ws, String key, NDArray x) {
        NativeView v = NativeView.of(x);
        double[] out = ws.doubles(key, v.size());
        v.get(0, out, 0, v.size());
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

        void read(Workspace ws, String key, NDArray u0, NDArray d0, NDArray a0, NDArray b0, NDArray c0) {
            u = FusedSelectiveScan.read(ws, key + "u", u0);
            dt = FusedSelectiveScan.read(ws, key + "dt", d0);
            a = java.util.Arrays.copyOf(FusedSelectiveScan.read(ws, key + "a", a0), width * state);
            b = FusedSelectiveScan.read(ws, key + "b", b0);
            c = FusedSelectiveScan.read(ws, key + "c", c0);
        }
    }

    /** A scan whose Java backward still has to run. */
    private final class Pending extends OutputGradientPhase {
        private final NDArray u;
        private final NDArray delta;
        private final NDArray a;
        private final NDArray b;
        private final NDArray c;
        private final Scan s;

        Pending(NDArray u, NDArray delta, NDArray a, NDArray b, NDArray c, NDArray y, Scan s) {
            super(y);
            this.u = u;
            this.delta = delta;
            this.a = a;
            this.b = b;
            this.c = c;
            this.s = s;
        }

        @Override
        void backward(NDArray g, boolean keepGraph) {
            long t0 = System.nanoTime();
            Workspace ws = pool.workspace();
            double[] dy = read(ws, "scan.dy", g);
            SelectiveScan k = s.kernel;
            int n = s.batch * s.rowsE;
            int nb = s.batch * s.rowsN;
            double[] du = ws.doubles("scan.du", n);
            double[] ddt = ws.doubles("scan.ddt", n);
            double[] db = ws.doubles("scan.db", nb);
            double[] dc = ws.doubles("scan.dc", nb);
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
                surrogate = u.mul(write(du, n, ops.shape(u))).sum()
                        .add(delta.mul(write(ddt, n, ops.shape(delta))).sum())
                        .add(a.mul(write(da, da.length, ops.shape(a))).sum())
                        .add(b.mul(write(db, nb, ops.shape(b))).sum())
                        .add(c.mul(write(dc, nb, ops.shape(c))).sum());
            }
            Autograd.backward(surrogate, surrogate.onesLike(), keepGraph);
            Autograd.trace("selective scan: engine", t0);
        }
    }
}
