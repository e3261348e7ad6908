package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.Wkv6Kernel;
import org.lincde.spi.kernel.Wkv6;

/**
 * RWKV-6's state recurrence as one fused kernel ({@link Wkv6}: forward and hand-derived backward in Java over
 * native memory, batch rows split over the session's threads). The generic chunked form spends most of an RWKV-6
 * step in element-wise ops on its {@code (B, H, C, C, K)} pairwise-decay tensor (docs/models/rwkv.md); the
 * recurrence itself is {@code 3·B·L·H·K·V} multiply-adds, a few milliseconds in Java.
 *
 * <p>How it joins libtorch's autograd (as {@link FusedRecurrence}): the five inputs are packed into one flat tensor
 * by a recorded {@code cat}, which the kernel reads; the outputs leave as a fresh leaf that requires a gradient.
 * After the engine's backward pass has filled that leaf's gradient, the Java backward fills the packed gradient and
 * one more engine pass from the packed tensor carries it to whatever produced the inputs (one pass, so the layer's
 * projections are traversed once). {@code ∂u} is summed over batch rows in row order: deterministic at any thread
 * count.
 */
final class FusedWkv6 implements Wkv6Kernel<NDArray> {
    private final DjlTensorOps ops;
    private final KernelPool pool;
    private final List<Deferred> pending;

    FusedWkv6(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.pool = pool;
        this.pending = pending;
    }

    @Override
    public NDArray outputs(NDArray q, NDArray k, NDArray v, NDArray w, NDArray u) {
        int[] qs = ops.shape(q);
        int[] vs = ops.shape(v);
        int[] us = ops.shape(u);
        if (qs.length != 4 || !Arrays.equals(qs, ops.shape(k)) || !Arrays.equals(qs, ops.shape(w)) || vs.length != 4
                || vs[0] != qs[0] || vs[1] != qs[1] || vs[2] != qs[2] || us.length != 2 || us[0] != qs[2]
                || us[1] != qs[3]) {
            throw new IllegalArgumentException("RWKV-6 recurrence: q " + Arrays.toString(qs) + ", k "
                    + Arrays.toString(ops.shape(k)) + ", v " + Arrays.toString(vs) + ", w "
                    + Arrays.toString(ops.shape(w)) + ", u " + Arrays.toString(us)
                    + " (expected (B, L, H, K) ×3 for q, k, w, (B, L, H, V), (H, K))");
        }
        int b = qs[0];
        long t0 = System.nanoTime();
        Wkv6 shape = new Wkv6(qs[1], qs[2], qs[3], vs[3]);
        int ks = shape.keySize();
        int vsz = shape.valueSize();
        int nk = b * ks;
        int nv = b * vsz;
        int hk = qs[2] * qs[3];
        NDArray packed = NDArrays.concat(new NDList(q.reshape(-1), k.reshape(-1), v.reshape(-1), w.reshape(-1),
                u.reshape(-1)), 0);
        NativeView in = NativeView.of(packed);
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), nv);
        pool.forRows(b, shape.work(), (from, to) -> {
            Wkv6 kern = new Wkv6(qs[1], qs[2], qs[3], vs[3]);
            Row x = new Row(in, ks, vsz, hk, nk, nv);
            double[] or = new double[vsz];
            for (int r = from; r < to; r++) {
                x.load(r);
                kern.forward(x.q, x.k, x.v, x.w, x.u, or);
                out.put(or, 0, r * vsz, vsz);
            }
        });
        t0 = Autograd.trace("wkv6: forward", t0);
        NDArray o = out.toArray(ops.manager(), ops.dataType(), vs);
        if (Autograd.isRecording()) {
            o.setRequiresGradient(true);
            pending.add(OutputGradientPhase.of(o, (g, keepGraph) -> {
                long t1 = System.nanoTime();
                NativeView dOut = NativeView.of(g);
                NativeView dIn = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), 3 * nk + nv + hk);
                double[] duRows = new double[b * hk];
                pool.forRows(b, 3 * shape.work(), (from, to) -> {
                    Wkv6 kern = new Wkv6(qs[1], qs[2], qs[3], vs[3]);
                    Row x = new Row(in, ks, vsz, hk, nk, nv);
                    double[] gr = new double[vsz];
                    double[] dq = new double[ks];
                    double[] dk = new double[ks];
                    double[] dv = new double[vsz];
                    double[] dw = new double[ks];
                    double[] du = new double[hk];
                    for (int r = from; r < to; r++) {
                        x.load(r);
                        dOut.get(r * vsz, gr, 0, vsz);
                        Arrays.fill(du, 0.0);
                        kern.backward(x.q, x.k, x.v, x.w, x.u, gr, dq, dk, dv, dw, du);
                        dIn.put(dq, 0, r * ks, ks);
                        dIn.put(dk, 0, nk + r * ks, ks);
                        dIn.put(dv, 0, 2 * nk + r * vsz, vsz);
                        dIn.put(dw, 0, 2 * nk + nv + r * ks, ks);
                        System.arraycopy(du, 0, duRows, r * hk, hk);
                    }
                });
                double[] du = new double[hk];
                for (int r = 0; r < b; r++) { // fixed order: the same sum at any thread count
                    for (int i = 0; i < hk; i++) {
                        du[i] += duRows[r * hk + i];
                    }
                }
                dIn.put(du, 0, 3 * nk + nv, hk);
                Autograd.trace("wkv6: backward", t1);
                Autograd.backward(packed, dIn.toArray(ops.manager(), ops.dataType(), 3 * nk + nv + hk), keepGraph);
            }));
        }
        return o;
    }

    /** A cut ({@link DjlTensorOps#cut}): each backward phase then walks one block once. */
    @Override
    public NDArray blockInput(NDArray x) {
        return ops.cut(x);
    }

    /** One batch row's {@code q, k, v, w} read from the packed inputs {@code [q; k; v; w; u]}, and the shared {@code u}. */
    private static final class Row {
        final double[] q;
        final double[] k;
        final double[] v;
        final double[] w;
        final double[] u;
        private final NativeView in;
        private final int ks;
        private final int vsz;
        private final int nk;
        private final int nv;

        Row(NativeView in, int ks, int vsz, int hk, int nk, int nv) {
            this.in = in;
            this.ks = ks;
            this.vsz = vsz;
            this.nk = nk;
            this.nv = nv;
            q = new double[ks];
            k = new double[ks];
            v = new double[vsz];
            w = new double[ks];
            u = new double[hk];
            in.get(3 * nk + nv, u, 0, hk);
        }

        void load(int r) {
            in.get(r * ks, q, 0, ks);
            in.get(nk + r * ks, k, 0, ks);
            in.get(2 * nk + r * vsz, v, 0, vsz);
            in.get(2 * nk + nv + r * ks, w, 0, ks);
        }
    }
}
