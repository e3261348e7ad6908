package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.DeltaRuleKernel;
import org.lincde.spi.kernel.DeltaRuleSteps;

/**
 * The (gated) delta rule as one fused kernel ({@link DeltaRuleSteps}: forward and hand-derived backward in Java over
 * native memory, the {@code B·H} sequences split over the session's threads). The generic chunked form spends a
 * DeltaNet step in a hundred small libtorch ops per layer (chunk products, the doubling inverse, the chunk loop) and
 * their backward; the recurrence itself is {@code 3·B·H·T·d_k·d_v} multiply-adds (docs/models/deltanet.md §8).
 *
 * <p>How it joins libtorch's autograd (as {@link FusedWkv6}): the inputs are packed into one flat tensor by a
 * recorded {@code cat}, which the kernel reads; the outputs leave as a fresh leaf that requires a gradient. After the
 * engine's backward pass has filled that leaf's gradient, the Java backward fills the packed gradient and one more
 * engine pass from the packed tensor carries it to whatever produced the inputs. Every sequence's gradients are
 * its own (no parameter is shared across sequences), so the results do not depend on the thread count.
 */
final class FusedDeltaRule implements DeltaRuleKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.deltaRule=never|always}: whether the kernel replaces the generic graph. {@code never} (the
     * default): at R1's size (4 heads of 32, B 256, L 40, 2 threads) the Java loops measured slower than the generic
     * chunked graph's libtorch GEMMs on the shared 2-core build machine (docs/models/deltanet.md §8); {@code always}
     * offers it (this module's tests and the conformance suite do).
     */
    static final String PROPERTY = "lincde.djl.deltaRule";

    /** Whether the kernel is offered ({@link #PROPERTY}). */
    static boolean offered() {
        return KernelSwitch.on(PROPERTY);
    }

    private final DjlTensorOps ops;
    private final KernelPool pool;
    private final List<Deferred> pending;

    FusedDeltaRule(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.pool = pool;
        this.pending = pending;
    }

    @Override
    public NDArray outputs(NDArray q, NDArray k, NDArray v, NDArray beta, NDArray g) {
        int[] qs = ops.shape(q);
        int[] vs = ops.shape(v);
        int[] bs = ops.shape(beta);
        if (qs.length != 4 || !Arrays.equals(qs, ops.shape(k)) || vs.length != 4 || vs[0] != qs[0] || vs[1] != qs[1]
                || vs[2] != qs[2] || !Arrays.equals(bs, new int[] {qs[0], qs[1], qs[2]})
                || (g != null && !Arrays.equals(bs, ops.shape(g)))) {
            throw new IllegalArgumentException("delta rule: q " + Arrays.toString(qs) + ", k "
                    + Arrays.toString(ops.shape(k)) + ", v " + Arrays.toString(vs) + ", beta " + Arrays.toString(bs)
                    + (g == null ? "" : ", g " + Arrays.toString(ops.shape(g)))
                    + " (expected (B, H, T, d_k) for q and k, (B, H, T, d_v), (B, H, T) for beta and g)");
        }
        int len = qs[2];
        int dk = qs[3];
        int dv = vs[3];
        int seqs = qs[0] * qs[1];
        boolean gated = g != null;
        long t0 = System.nanoTime();
        DeltaRuleSteps shape = new DeltaRuleSteps(len, dk, dv);
        Layout at = new Layout(seqs, shape.keySize(), shape.valueSize(), len);
        NDList parts = new NDList(q.reshape(-1), k.reshape(-1), v.reshape(-1), beta.reshape(-1));
        if (gated) {
            parts.add(g.reshape(-1));
        }
        NDArray packed = NDArrays.concat(parts, 0);
        NativeView in = NativeView.of(packed);
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), seqs * at.vsz);
        pool.forRows(seqs, shape.work(), (from, to) -> {
            DeltaRuleSteps kern = new DeltaRuleSteps(len, dk, dv);
            Row x = new Row(in, at, gated);
            double[] o = new double[at.vsz];
            for (int r = from; r < to; r++) {
                x.load(r);
                kern.forward(x.q, x.k, x.v, x.beta, x.g, o);
                out.put(o, 0, r * at.vsz, at.vsz);
            }
        });
        t0 = Autograd.trace("delta rule: forward", t0);
        NDArray o = out.toArray(ops.manager(), ops.dataType(), vs);
        if (Autograd.isRecording()) {
            o.setRequiresGradient(true);
            pending.add(OutputGradientPhase.of(o, (grad, keepGraph) -> {
                long t1 = System.nanoTime();
                NativeView dOut = NativeView.of(grad);
                int total = at.total(gated);
                NativeView dIn = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), total);
                pool.forRows(seqs, 3 * shape.work(), (from, to) -> {
                    DeltaRuleSteps kern = new DeltaRuleSteps(len, dk, dv);
                    Row x = new Row(in, at, gated);
                    double[] gr = new double[at.vsz];
                    double[] dq = new double[at.ksz];
                    double[] dk2 = new double[at.ksz];
                    double[] dv2 = new double[at.vsz];
                    double[] db = new double[len];
                    double[] dg = gated ? new double[len] : null;
                    for (int r = from; r < to; r++) {
                        x.load(r);
                        dOut.get(r * at.vsz, gr, 0, at.vsz);
                        kern.backward(x.q, x.k, x.v, x.beta, x.g, gr, dq, dk2, dv2, db, dg);
                        dIn.put(dq, 0, at.q(r), at.ksz);
                        dIn.put(dk2, 0, at.k(r), at.ksz);
                        dIn.put(dv2, 0, at.v(r), at.vsz);
                        dIn.put(db, 0, at.beta(r), len);
                        if (gated) {
                            dIn.put(dg, 0, at.g(r), len);
                        }
                    }
                });
                Autograd.trace("delta rule: backward", t1);
                Autograd.backward(packed, dIn.toArray(ops.manager(), ops.dataType(), total), keepGraph);
            }));
        }
        return o;
    }

    /** Offsets in the packed inputs {@code [q; k; v; β; g]} of {@code seqs} sequences. */
    private record Layout(int seqs, int ksz, int vsz, int len) {
        int q(int r) {
            return r * ksz;
        }

        int k(int r) {
            return seqs * ksz + r * ksz;
        }

        int v(int r) {
            return 2 * seqs * ksz + r * vsz;
        }

        int beta(int r) {
            return 2 * seqs * ksz + seqs * vsz + r * len;
        }

        int g(int r) {
            return 2 * seqs * ksz + seqs * vsz + seqs * len + r * len;
        }

        int total(boolean gated) {
            return 2 * seqs * ksz + seqs * vsz + (gated ? 2 : 1) * seqs * len;
        }
    }

    /** One sequence's inputs read from the packed inputs. */
    private static final class Row {
        final double[] q;
        final double[] k;
        final double[] v;
        final double[] beta;
        final double[] g;
        private final NativeView in;
        private final Layout at;

        Row(NativeView in, Layout at, boolean gated) {
            this.in = in;
            this.at = at;
            q = new double[at.ksz];
            k = new double[at.ksz];
            v = new double[at.vsz];
            beta = new double[at.len];
            g = gated ? new double[at.len] : null;
        }

        void load(int r) {
            in.get(at.q(r), q, 0, at.ksz);
            in.get(at.k(r), k, 0, at.ksz);
            in.get(at.v(r), v, 0, at.vsz);
            in.get(at.beta(r), beta, 0, at.len);
            if (g != null) {
                in.get(at.g(r), g, 0, at.len);
            }
        }
    }
}
