package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.Mamba2MixerKernel;
import org.lincde.spi.kernel.Mamba2Mixer;

/**
 * The Mamba2 layer between its projections as one fused kernel ({@link Mamba2Mixer}: forward and hand-derived
 * backward in Java over native memory, batch rows split over the session's threads). The generic graph spends a
 * Mamba2 step in some forty element-wise, slicing and small batched-product ops on {@code (B, L, 2E+2N+H)}-sized
 * tensors (and their backward ops: every slice's gradient is a zero-filled tensor of the full width); here one
 * pass per row reads the projection output and writes the normalised SSD output (docs/models/mamba2.md §"Fused
 * mixer").
 *
 * <p>It joins libtorch's autograd as {@link FusedWkv6}: the projection output and the six parameters are packed
 * into one flat tensor by a recorded {@code cat}, which the kernel reads; the output leaves as a fresh leaf that
 * requires a gradient. After the engine's backward has filled that leaf's gradient, the Java backward fills the
 * packed gradient and one more engine pass from the packed tensor carries it to the projection and the
 * parameters. Parameter gradients are summed over batch rows in row order: deterministic at any thread count.
 */
final class FusedMamba2Mixer implements Mamba2MixerKernel<NDArray> {
    private final DjlTensorOps ops;
    private final KernelPool pool;
    private final List<Deferred> pending;

    FusedMamba2Mixer(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.pool = pool;
        this.pending = pending;
    }

    /** This thread's kernel scratch for these sizes (about 1 MB at R1's size; allocated once, not per call). */
    private static Mamba2Mixer kernel(int len, int inner, int state, int heads, int conv, double eps, boolean fast) {
        Mamba2Mixer k = SCRATCH.get();
        if (k == null || !k.sameShape(len, inner, state, heads, conv, eps, fast)) {
            k = new Mamba2Mixer(len, inner, state, heads, conv, eps, fast);
            SCRATCH.set(k);
        }
        return k;
    }

    private static final ThreadLocal<Mamba2Mixer> SCRATCH = new ThreadLocal<>();

    @Override
    public NDArray outputs(NDArray zxbcdt, NDArray convWeight, NDArray convBias, NDArray dtBias, NDArray aLog,
            NDArray d, NDArray normWeight, double eps) {
        int[] zs = ops.shape(zxbcdt);
        int[] ws = ops.shape(convWeight);
        int heads = ops.shape(dtBias)[0];
        int inner = ops.shape(normWeight)[0];
        int state = zs.length == 3 ? (zs[2] - 2 * inner - heads) / 2 : -1;
        if (zs.length != 3 || state <= 0 || zs[2] != 2 * inner + 2 * state + heads || ws.length != 3
                || ws[0] != inner + 2 * state || ws[1] != 1 || ops.shape(convBias)[0] != ws[0]
                || ops.shape(aLog)[0] != heads || ops.shape(d)[0] != heads || inner % heads != 0) {
            throw new IllegalArgumentException("Mamba2 mixer: zxbcdt " + Arrays.toString(zs) + ", conv1d.weight "
                    + Arrays.toString(ws) + ", conv1d.bias " + Arrays.toString(ops.shape(convBias)) + ", dt_bias "
                    + Arrays.toString(ops.shape(dtBias)) + ", A_log " + Arrays.toString(ops.shape(aLog)) + ", D "
                    + Arrays.toString(ops.shape(d)) + ", norm.weight " + Arrays.toString(ops.shape(normWeight))
                    + " (expected (B, L, 2E+2N+H), (E+2N, 1, K), (E+2N), (H) ×3, (E))");
        }
        int b = zs[0];
        int len = zs[1];
        int conv = ws[2];
        boolean fast = ops.dataType() == DataType.FLOAT32;
        long t0 = System.nanoTime();
        Mamba2Mixer shape = new Mamba2Mixer(len, inner, state, heads, conv, eps, fast);
        int ni = shape.inputSize();
        int no = shape.outputSize();
        int np = shape.paramSize();
        // the kernel reads the projection output where the GEMM wrote it; only the six small parameters are packed
        // (a recorded cat) so that one engine pass carries their gradients (docs/models/mamba2.md §"Fused mixer")
        NDArray params = NDArrays.concat(new NDList(convWeight.reshape(-1), convBias.reshape(-1), dtBias.reshape(-1),
                aLog.reshape(-1), d.reshape(-1), normWeight.reshape(-1)), 0);
        NativeView in = NativeView.of(zxbcdt);
        double[] prm = new double[np];
        NativeView.of(params).get(0, prm, 0, np);
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), b * no);
        boolean recording = Autograd.isRecording();
        int nk = shape.keepSize();
        // G, the decays and Y of every row, for the backward pass (reused from step to step, by pending slot)
        double[] keep = recording ? pool.workspace().doubles("mamba2.keep." + pending.size(), b * nk) : null;
        pool.forRows(b, shape.work(), (from, to) -> {
            Mamba2Mixer kern = kernel(len, inner, state, heads, conv, eps, fast);
            double[] row = pool.workspace().doubles("mamba2.row", ni);
            double[] or = pool.workspace().doubles("mamba2.out", no);
            for (int r = from; r < to; r++) {
                in.get(r * ni, row, 0, ni);
                kern.forward(row, 0, prm, or, 0, keep, r * nk);
                out.put(or, 0, r * no, no);
            }
        });
        t0 = Autograd.trace("mamba2 mixer: forward", t0);
        NDArray o = out.toArray(ops.manager(), ops.dataType(), b, len, inner);
        if (recording) {
            o.setRequiresGradient(true);
            pending.add(OutputGradientPhase.of(o, (g, keepGraph) -> {
                long t1 = System.nanoTime();
                NativeView dOut = NativeView.of(g);
                NativeView dIn = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), b * ni);
                double[] dRows = pool.workspace().doubles("mamba2.dparams", b * np);
                pool.forRows(b, 3 * shape.work(), (from, to) -> {
                    Mamba2Mixer kern = kernel(len, inner, state, heads, conv, eps, fast);
                    double[] row = pool.workspace().doubles("mamba2.row", ni);
                    double[] gr = pool.workspace().doubles("mamba2.out", no);
                    double[] dr = pool.workspace().doubles("mamba2.drow", ni);
                    for (int r = from; r < to; r++) {
                        in.get(r * ni, row, 0, ni);
                        dOut.get(r * no, gr, 0, no);
                        kern.backward(row, 0, prm, keep, r * nk, gr, 0, dr, 0, dRows, r * np);
                        dIn.put(dr, 0, r * ni, ni);
                    }
                });
                double[] dp = new double[np];
                for (int r = 0; r < b; r++) { // fixed order: the same sum at any thread count
                    for (int i = 0; i < np; i++) {
                        dp[i] += dRows[r * np + i];
                    }
                }
                NativeView dPrm = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), np);
                dPrm.put(dp, 0, 0, np);
                Autograd.trace("mamba2 mixer: backward", t1);
                // two roots: the small parameter pack (a pass through its cat to the six leaves only), then the
                // projection output, whose pass continues through in_proj and everything upstream
                Autograd.backward(params, dPrm.toArray(ops.manager(), ops.dataType(), np), keepGraph);
                Autograd.backward(zxbcdt, dIn.toArray(ops.manager(), ops.dataType(), b, len, zs[2]), keepGraph);
            }));
        }
        return o;
    }
}
