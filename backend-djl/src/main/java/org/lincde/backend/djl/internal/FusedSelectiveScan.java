package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.kernel.MambaV1Mixer;
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
        checkShapes(u, delta, a, b, c);
        int[] us = ops.shape(u);
        int[] as = ops.shape(a);
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

    /**
     * On CPU devices only (as {@link FusedMamba2Mixer}: on a GPU the row loops would add host transfers of the
     * projection around the engine's GEMMs; the scan alone keeps its host round trip there, docs/gpu.md §3).
     */
    @Override
    public boolean fusesMambaMixer() {
        return !ops.manager().getDevice().isGpu() && !"never".equals(System.getProperty("lincde.djl.mambaMixer"));
    }

    /**
     * The Mamba v1 block between its projections as one op ({@link SelectiveScanKernel#mambaMixer}): the
     * convolution, SiLU, {@code dt_proj}, softplus, scan, skip and gate in Java row loops
     * ({@link MambaV1Mixer}, {@link SelectiveScan}); the {@code x_proj} products ({@code u·Wxᵀ} forward,
     * {@code dxdbl·Wx} and {@code dxdblᵀ·u} backward) in libtorch with grad mode off. The eight inputs are packed by
     * one recorded {@code cat} and the backward pushes the packed gradient in one engine pass, which walks
     * {@code in_proj} once: the engine's first pass stops at this op's output. {@code -Dlincde.djl.mambaMixer=never}
     * keeps the previous form (the scan with skip and gate, the rest in the graph) for A/B timing.
     */
    @Override
    public NDArray mambaMixer(NDArray xz, NDArray convWeight, NDArray convBias, NDArray xProjWeight,
                              NDArray dtProjWeight, NDArray dtProjBias, NDArray a, NDArray d) {
        return mixer(xz, convWeight, convBias, xProjWeight, dtProjWeight, dtProjBias, a, d);
    }

    /** S6 alone as one op ({@link SelectiveScanKernel#s6Layer}): {@link #mambaMixer} without conv and gate. */
    @Override
    public NDArray s6Layer(NDArray x, NDArray xProjWeight, NDArray dtProjWeight, NDArray dtProjBias, NDArray a,
                           NDArray d) {
        return mixer(x, null, null, xProjWeight, dtProjWeight, dtProjBias, a, d);
    }

    /** {@link #mambaMixer}, or {@link #s6Layer} when {@code convWeight} is null ({@code xz} is then {@code x}). */
    private NDArray mixer(NDArray xz, NDArray convWeight, NDArray convBias, NDArray xProjWeight,
                          NDArray dtProjWeight, NDArray dtProjBias, NDArray a, NDArray d) {
        boolean block = convWeight != null;
        int m = block ? 2 : 1; // xz's width in units of E
        int[] xs = ops.shape(xz);
        int[] cw = block ? ops.shape(convWeight) : new int[] {xs[xs.length - 1], 1, 0};
        int[] xw = ops.shape(xProjWeight);
        int[] dw = ops.shape(dtProjWeight);
        int[] as = ops.shape(a);
        int width = xs.length == 3 ? xs[2] / m : -1;
        if (xs.length != 3 || xs[2] != m * width || cw.length != 3 || cw[0] != width || cw[1] != 1
                || dw.length != 2 || dw[0] != width || as.length != 2 || as[0] != width
                || xw.length != 2 || xw[1] != width || xw[0] != dw[1] + 2 * as[1]
                || (block && ops.shape(convBias)[0] != width) || ops.shape(dtProjBias)[0] != width || ops.shape(d)[0] != width) {
            throw new IllegalArgumentException("Mamba mixer: xz " + java.util.Arrays.toString(xs) + ", conv1d.weight "
                    + java.util.Arrays.toString(cw) + ", x_proj.weight " + java.util.Arrays.toString(xw)
                    + ", dt_proj.weight " + java.util.Arrays.toString(dw) + ", A " + java.util.Arrays.toString(as)
                    + " (expected (B, L, 2E), (E, 1, K), (R+2N, E), (E, R), (E, N))");
        }
        long t0 = System.nanoTime();
        int batch = xs[0];
        int len = xs[1];
        int k = cw[2];
        int rank = dw[1];
        int state = as[1];
        int xwid = rank + 2 * state;
        boolean fast = ops.dataType() == ai.djl.ndarray.types.DataType.FLOAT32;
        Scan s = new Scan(new SelectiveScan(batch, len, width, state), batch, len, width, state);
        MambaV1Mixer mix = new MambaV1Mixer(len, width, Math.max(1, k), rank);
        int ne = batch * s.rowsE;
        int nn = batch * s.rowsN;
        int nx = batch * len * xwid;
        // packed: xz (B·L·2E), conv w (E·K), conv b (E), Wx ((R+2N)·E), Wdt (E·R), b_dt (E), A (E·N), D (E)
        int[] off = new int[9];
        off[1] = m * ne;
        off[2] = off[1] + width * k;
        off[3] = off[2] + (block ? width : 0);
        off[4] = off[3] + xwid * width;
        off[5] = off[4] + width * rank;
        off[6] = off[5] + width;
        off[7] = off[6] + width * state;
        off[8] = off[7] + width;
        NDList parts = new NDList(xz.reshape(-1));
        if (block) {
            parts.add(convWeight.reshape(-1));
            parts.add(convBias.reshape(-1));
        }
        parts.add(xProjWeight.reshape(-1));
        parts.add(dtProjWeight.reshape(-1));
        parts.add(dtProjBias.reshape(-1));
        parts.add(a.reshape(-1));
        parts.add(d.reshape(-1));
        NDArray packed = NDArrays.concat(parts, 0);
        NativeView in = NativeView.of(packed);
        double[] prm = new double[off[8] - off[1]];
        in.get(off[1], prm, 0, prm.length);
        double[] w = java.util.Arrays.copyOfRange(prm, 0, off[2] - off[1]); // empty for S6 alone
        double[] cb = java.util.Arrays.copyOfRange(prm, off[2] - off[1], off[3] - off[1]);
        double[] wdt = java.util.Arrays.copyOfRange(prm, off[4] - off[1], off[5] - off[1]);
        double[] wdtT = new double[rank * width];
        for (int e = 0; e < width; e++) {
            for (int r = 0; r < rank; r++) {
                wdtT[r * width + e] = wdt[e * rank + r];
            }
        }
        double[] bdt = java.util.Arrays.copyOfRange(prm, off[5] - off[1], off[6] - off[1]);
        s.a = java.util.Arrays.copyOfRange(prm, off[6] - off[1], off[7] - off[1]);
        double[] dd = java.util.Arrays.copyOfRange(prm, off[7] - off[1], off[8] - off[1]);
        Workspace ws = pool.workspace();
        int slot = pending.size();
        String key = "mixer." + slot + ".";
        double[] xzv = ws.doubles(key + "xz", m * ne);
        double[] zz = block ? ws.doubles(key + "z", ne) : null;
        double[] cpre = block ? ws.doubles(key + "c", ne) : null;
        s.u = block ? ws.doubles(key + "u", ne) : xzv; // S6 alone: u is the input
        NativeView uv = block ? NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), ne) : null;
        pool.forRows(batch, s.rowsE * Math.max(1, k), (from, to) -> {
            int r0 = from * m * s.rowsE;
            in.get(r0, xzv, r0, (to - from) * m * s.rowsE);
            if (block) {
                for (int bt = from * len; bt < to * len; bt++) {
                    System.arraycopy(xzv, bt * 2 * width + width, zz, bt * width, width);
                }
                mix.conv(xzv, w, cb, cpre, s.u, from, to, fast);
                uv.put(s.u, from * s.rowsE, from * s.rowsE, (to - from) * s.rowsE);
            }
        });
        // S6 alone: x_proj reads the input itself (a view, no copy)
        NDArray uArr = block ? uv.toArray(ops.manager(), ops.dataType(), batch * len, width)
                : xz.stopGradient().reshape(batch * len, width);
        NDArray xdblArr;
        try (Autograd.Mode offGrad = Autograd.disabled()) {
            xdblArr = uArr.matMul(xProjWeight.transpose());
        }
        NativeView xdv = NativeView.of(xdblArr);
        double[] xdbl = ws.doubles(key + "xdbl", nx);
        s.b = ws.doubles(key + "b", nn);
        s.c = ws.doubles(key + "c2", nn);
        s.dt = ws.doubles(key + "dt", ne);
        double[] raw = ws.doubles(key + "raw", ne);
        pool.forRows(batch, s.rowsE * rank, (from, to) -> {
            int x0 = from * len * xwid;
            xdv.get(x0, xdbl, x0, (to - from) * len * xwid);
            for (int bt = from * len; bt < to * len; bt++) {
                System.arraycopy(xdbl, bt * xwid + rank, s.b, bt * state, state);
                System.arraycopy(xdbl, bt * xwid + rank + state, s.c, bt * state, state);
            }
            mix.dtProj(xdbl, xwid, wdtT, bdt, raw, s.dt, from, to, fast);
        });
        double[] pre = ws.doubles(key + "pre", ne);
        boolean recording = Autograd.isRecording();
        SelectiveScan.DecayRows rows = s.kernel.computedDecays(s.dt, s.a, fast);
        if (recording) {
            s.decays = decayStore(slot, batch, s.kernel.decayRowSize());
            rows = s.decays.keeping(rows);
        }
        SelectiveScan.DecayRows source = rows;
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), ne);
        pool.forRows(batch, s.kernel.work(), (from, to) -> {
            s.kernel.forward(s.u, s.dt, s.b, s.c, source, pre, from, to, s.kernel.work(s.a));
            double[] rowsOut = new double[(to - from) * s.rowsE];
            s.kernel.skipAndGate(s.u, dd, zz, pre, rowsOut, from, to, fast);
            out.put(rowsOut, 0, from * s.rowsE, rowsOut.length);
        });
        NDArray o = out.toArray(ops.manager(), ops.dataType(), batch, len, width);
        Autograd.trace("mamba mixer: forward", t0);
        if (!recording) {
            return o;
        }
        o.setRequiresGradient(true);
        pending.add(OutputGradientPhase.of(o, (g, keepGraph) -> {
            long t1 = System.nanoTime();
            double[] dOut = read(ws, "mixer.dout", g);
            SelectiveScan kern = s.kernel;
            double[] du = ws.doubles("mixer.du", ne);
            double[] ddt = ws.doubles("mixer.ddt", ne);
            double[] dy = ws.doubles("mixer.dy", ne);
            double[] dz = block ? ws.doubles("mixer.dz", ne) : null;
            double[] db = ws.doubles("mixer.db", nn);
            double[] dc = ws.doubles("mixer.dc", nn);
            double[] dxdbl = ws.doubles("mixer.dxdbl", nx);
            int chunks = kern.chunks();
            double[][] dAParts = new double[chunks][width * state];
            double[][] dDParts = new double[chunks][width];
            double[][] dWdtParts = new double[chunks][rank * width];
            double[][] dBdtParts = new double[chunks][width];
            SelectiveScan.DecayRows stored = s.decays.stored();
            NativeView dxv = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), nx);
            pool.forRows(chunks, 2 * kern.work() * SelectiveScan.ROWS_PER_CHUNK, (from, to) -> {
                SelectiveScan.Work wk = kern.work(s.a);
                for (int ch = from; ch < to; ch++) {
                    int r0 = kern.chunkStart(ch);
                    int r1 = kern.chunkEnd(ch);
                    kern.skipAndGateBackward(s.u, zz, pre, dOut, dy, dz, dDParts[ch], r0, r1, fast);
                    kern.backward(s.u, s.dt, s.b, s.c, stored, dy, du, ddt, db, dc, dAParts[ch], ch, wk);
                    kern.addSkipGradient(dy, dd, du, r0, r1);
                    mix.dtProjBackward(xdbl, xwid, wdtT, raw, ddt, dxdbl, dWdtParts[ch], dBdtParts[ch], r0, r1, fast);
                    for (int bt = r0 * len; bt < r1 * len; bt++) {
                        System.arraycopy(db, bt * state, dxdbl, bt * xwid + rank, state);
                        System.arraycopy(dc, bt * state, dxdbl, bt * xwid + rank + state, state);
                    }
                    dxv.put(dxdbl, r0 * len * xwid, r0 * len * xwid, (r1 - r0) * len * xwid);
                }
            });
            t1 = Autograd.trace("mamba mixer: backward (scan)", t1);
            NDArray dxArr = dxv.toArray(ops.manager(), ops.dataType(), batch * len, xwid);
            NDArray duProj;
            NDArray dWx;
            try (Autograd.Mode offGrad = Autograd.disabled()) {
                duProj = dxArr.matMul(xProjWeight.stopGradient());          // (B·L, E)
                dWx = dxArr.transpose().matMul(uArr);                      // (R+2N, E)
            }
            NativeView dupv = NativeView.of(duProj);
            double[] dxzv = block ? ws.doubles("mixer.dxz", 2 * ne) : du;
            double[][] dWParts = new double[chunks][width * k];
            double[][] dCbParts = new double[chunks][width];
            NativeView dIn = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), off[8]);
            pool.forRows(chunks, s.rowsE * k * SelectiveScan.ROWS_PER_CHUNK, (from, to) -> {
                double[] tmp = new double[s.rowsE];
                for (int ch = from; ch < to; ch++) {
                    int r0 = kern.chunkStart(ch);
                    int r1 = kern.chunkEnd(ch);
                    for (int r = r0; r < r1; r++) {
                        dupv.get(r * s.rowsE, tmp, 0, s.rowsE);
                        for (int i = 0; i < s.rowsE; i++) {
                            du[r * s.rowsE + i] += tmp[i];
                        }
                    }
                    if (block) {
                        mix.convBackward(xzv, w, cpre, du, dxzv, dWParts[ch], dCbParts[ch], r0, r1, fast);
                        for (int bt = r0 * len; bt < r1 * len; bt++) {
                            System.arraycopy(dz, bt * width, dxzv, bt * 2 * width + width, width);
                        }
                    }
                    dIn.put(dxzv, r0 * m * s.rowsE, r0 * m * s.rowsE, (r1 - r0) * m * s.rowsE);
                }
            });
            double[] da = kern.reduceA(dAParts);
            if (block) {
                dIn.put(sumParts(dWParts), 0, off[1], width * k);
                dIn.put(sumParts(dCbParts), 0, off[2], width);
            }
            double[] dwx = new double[xwid * width];
            NativeView.of(dWx).get(0, dwx, 0, dwx.length);
            dIn.put(dwx, 0, off[3], dwx.length);
            double[] dwdtT = sumParts(dWdtParts);
            double[] dwdt = new double[width * rank];
            for (int e = 0; e < width; e++) {
                for (int r = 0; r < rank; r++) {
                    dwdt[e * rank + r] = dwdtT[r * width + e];
                }
            }
            dIn.put(dwdt, 0, off[4], dwdt.length);
            dIn.put(sumParts(dBdtParts), 0, off[5], width);
            dIn.put(da, 0, off[6], da.length);
            dIn.put(sumParts(dDParts), 0, off[7], width);
            t1 = Autograd.trace("mamba mixer: backward (projection, conv)", t1);
            Autograd.backward(packed, dIn.toArray(ops.manager(), ops.dataType(), off[8]), keepGraph);
            Autograd.trace("mamba mixer: engine", t1);
        }));
        return o;
    }

    /** {@code Σ_c parts[c]} in chunk order (the same sum at any thread count). */
    private static double[] sumParts(double[][] parts) {
        double[] out = new double[parts[0].length];
        for (double[] p : parts) {
            for (int i = 0; i < out.length; i++) {
                out[i] += p[i];
            }
        }
        return out;
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
