package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.SlstmKernel;
import org.lincde.spi.kernel.SlstmCell;

/**
 * The sLSTM cell's recurrence as one fused kernel ({@link SlstmCell}: forward and hand-derived backward in Java over
 * native memory, (head, batch row) sequences split over the session's threads). The generic step loop records
 * about thirty small ops per step and its backward as many nodes: per-op overhead, not arithmetic, made the
 * sLSTM step slow (docs/models/xlstm.md). Off unless {@link #PROPERTY} asks for it: the Java recurrent product
 * costs more than it saves on a CPU.
 *
 * <p>Joins libtorch's autograd as {@link FusedWkv6}: the pre-activations and the recurrent kernel are packed by one
 * recorded {@code cat}; the outputs leave as a fresh leaf; the deferred backward computes {@code ∂pre} in Java and
 * the recurrent kernel's gradient {@code Σ_{b,t} y_{t−1} ∂g̃_tᵀ} as one batched GEMM per head (fixed order at any
 * thread count), then pushes both through the packed tensor in one engine pass.
 */
final class FusedSlstm implements SlstmKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.fusedSlstm=never|always}: whether the kernel replaces the generic step loop. {@code never}
     * (the default): at R1's size (4 heads of 32, B 256, L 40) its per-step recurrent product in Java loops,
     * {@code B·NH·DH·4DH} multiply-adds a step, measured about 2× slower than the generic graph's libtorch GEMMs on
     * the 2-core build machine (docs/models/xlstm.md); {@code always} offers it (this module's tests do).
     */
    static final String PROPERTY = "lincde.djl.fusedSlstm";

    /** Whether the kernel is offered ({@link #PROPERTY}). */
    static boolean offered() {
        String mode = System.getProperty(PROPERTY, "never");
        return switch (mode) {
            case "never" -> false;
            case "always" -> true;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode + ": expected never or always");
        };
    }

    private final DjlTensorOps ops;
    private final KernelPool pool;
    private final List<Deferred> pending;

    FusedSlstm(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.pool = pool;
        this.pending = pending;
    }

    @Override
    public NDArray outputs(NDArray pre, NDArray recurrent) {
        int[] ps = ops.shape(pre);
        int[] rs = ops.shape(recurrent);
        if (ps.length != 5 || ps[3] != 4 || rs.length != 3 || rs[0] != ps[0] || rs[1] != ps[4]
                || rs[2] != 4 * ps[4]) {
            throw new IllegalArgumentException("sLSTM recurrence: pre " + Arrays.toString(ps) + ", recurrent "
                    + Arrays.toString(rs) + " (expected (NH, B, S, 4, DH) and (NH, DH, 4·DH))");
        }
        int nh = ps[0];
        int b = ps[1];
        int len = ps[2];
        int dh = ps[4];
        int rows = nh * b;
        int rowPre = len * 4 * dh;
        int rowY = len * dh;
        int nPre = rows * rowPre;
        int headR = dh * 4 * dh;
        long work = new SlstmCell(1, dh).work() * len;
        long t0 = System.nanoTime();
        NDArray packed = NDArrays.concat(new NDList(pre.reshape(-1), recurrent.reshape(-1)), 0);
        NativeView in = NativeView.of(packed);
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), rows * rowY);
        pool.forRows(rows, work, (from, to) -> {
            SlstmCell cell = new SlstmCell(len, dh);
            double[] p = new double[rowPre];
            double[] r = new double[headR];
            double[] y = new double[rowY];
            int loaded = -1;
            for (int row = from; row < to; row++) {
                int h = row / b;
                if (h != loaded) {
                    in.get(nPre + h * headR, r, 0, headR);
                    loaded = h;
                }
                in.get(row * rowPre, p, 0, rowPre);
                cell.forward(p, r, y);
                out.put(y, 0, row * rowY, rowY);
            }
        });
        t0 = Autograd.trace("slstm: forward", t0);
        NDArray ys = out.toArray(ops.manager(), ops.dataType(), nh, b, len, dh);
        if (Autograd.isRecording()) {
            ys.setRequiresGradient(true);
            pending.add(OutputGradientPhase.of(ys, (g, keepGraph) -> {
                long t1 = System.nanoTime();
                NativeView dOut = NativeView.of(g);
                NativeView dPre = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), nPre);
                pool.forRows(rows, 3 * work, (from, to) -> {
                    SlstmCell cell = new SlstmCell(len, dh);
                    double[] p = new double[rowPre];
                    double[] r = new double[headR];
                    double[] gy = new double[rowY];
                    double[] dp = new double[rowPre];
                    int loaded = -1;
                    for (int row = from; row < to; row++) {
                        int h = row / b;
                        if (h != loaded) {
                            in.get(nPre + h * headR, r, 0, headR);
                            loaded = h;
                        }
                        in.get(row * rowPre, p, 0, rowPre);
                        dOut.get(row * rowY, gy, 0, rowY);
                        cell.backward(p, r, gy, dp);
                        dPre.put(dp, 0, row * rowPre, rowPre);
                    }
                });
                NDArray dPacked;
                try (Autograd.Mode off = Autograd.disabled()) {
                    NDArray dp = dPre.toArray(ops.manager(), ops.dataType(), nh, b * len, 4 * dh);
                    NDArray dr;
                    if (len == 1) {
                        dr = ops.manager().zeros(new Shape(nh, dh, 4L * dh), ops.dataType(), ys.getDevice());
                    } else {
                        // y_{t−1} beside each step's ∂g̃_t: zero before the first step
                        NDArray prev = NDArrays.concat(new NDList(
                                ops.manager().zeros(new Shape(nh, b, 1, dh), ops.dataType(), ys.getDevice()),
                                ys.stopGradient().get(new NDIndex(":, :, 0:" + (len - 1)))), 2);
                        dr = prev.reshape(nh, (long) b * len, dh).transpose(0, 2, 1).matMul(dp);
                    }
                    dPacked = NDArrays.concat(new NDList(dp.reshape(-1), dr.reshape(-1)), 0);
                }
                Autograd.trace("slstm: backward", t1);
                Autograd.backward(packed, dPacked, keepGraph);
            }));
        }
        return ys;
    }
}
