package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.RnnCellKernel;
import org.lincde.spi.kernel.RnnCells;

/**
 * The recurrence of an {@code nn.LSTM} or tanh {@code nn.RNN} layer given its input terms ({@link RnnCellKernel};
 * docs/models/lstm.md, "The fused recurrence"): per step one libtorch GEMM for the recurrent product
 * {@code h_{t−1} Uᵀ} (grad mode off, over the kernel's own native buffer of states) and the cell's pointwise work
 * in Java ({@link RnnCells}), fused into one pass over each batch row, split over the session's threads. The
 * generic step loop runs about a dozen engine ops per step and as many backward nodes; here a step is one GEMM and
 * one row loop each way, and the recurrent weight's gradient {@code dU = Σ_t dz_tᵀ h_{t−1}} is one GEMM over all
 * steps at the end.
 *
 * <p>How it joins libtorch's autograd (as {@link FusedRecurrence}): the states leave as a fresh leaf. After the
 * engine's backward pass has filled its gradient, {@link Pending#backward} runs the backward through time (per
 * step one GEMM {@code dz_t U} for the gradient of {@code h_{t−1}}, and the row loop) and pushes the gradients of
 * the input terms and of {@code U} into the engine. Rows are computed the same way whatever the thread split and
 * the GEMMs see the same shapes every call, so results are deterministic.
 */
final class FusedRnn implements RnnCellKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.rnnCells=auto|all|never}: {@code auto} (the default) offers the LSTM's recurrence on the
     * CPU; {@code all} the tanh RNN's too; {@code never} neither (the generic step loops run, for measurements). Not
     * on a GPU (the per-step host round trips would cost more than they save; the LSTM takes libtorch's fused op
     * there, {@link FusedLstm}). The tanh RNN is off by default because its generic step is three engine ops (GEMM,
     * add, tanh) and this kernel measured slower than that at R1's size on the 2-core CPU (docs/models/lstm.md).
     */
    static final String PROPERTY = "lincde.djl.rnnCells";

    private final DjlTensorOps ops;
    private final KernelPool pool;
    private final List<Deferred> pending;
    private final boolean tanhRnn;

    FusedRnn(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.pool = pool;
        this.pending = pending;
        this.tanhRnn = "all".equals(mode());
    }

    private static String mode() {
        return System.getProperty(PROPERTY, "auto");
    }

    /** Whether the kernel is offered on {@code device} ({@link #PROPERTY}). */
    static boolean offered(ai.djl.Device device) {
        String mode = mode();
        return switch (mode) {
            case "auto", "all" -> !device.isGpu();
            case "never" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode
                    + ": expected auto (the LSTM, CPU only), all (the LSTM and the tanh RNN, CPU only) or never");
        };
    }

    @Override
    public boolean offersTanhRnn() {
        return tanhRnn;
    }

    @Override
    public NDArray lstm(NDArray inputProducts, NDArray bias, NDArray weightHh) {
        return run(true, inputProducts, bias, weightHh);
    }

    @Override
    public NDArray tanhRnn(NDArray inputProducts, NDArray bias, NDArray weightHh) {
        return run(false, inputProducts, bias, weightHh);
    }

    private NDArray run(boolean lstm, NDArray a, NDArray bias, NDArray u) {
        int[] as = ops.shape(a);
        int[] bs = ops.shape(bias);
        int[] us = ops.shape(u);
        int gates = lstm ? 4 : 1;
        int h = us.length == 2 ? us[1] : -1;
        if (as.length != 3 || h <= 0 || us[0] != gates * h || as[2] != gates * h || bs.length != 1
                || bs[0] != gates * h) {
            String g = lstm ? "4h" : "h";
            throw new IllegalArgumentException((lstm ? "LSTM" : "RNN") + " recurrence: input products "
                    + Arrays.toString(as) + ", bias " + Arrays.toString(bs) + ", weight_hh " + Arrays.toString(us)
                    + " (expected (B, L, " + g + "), (" + g + "), (" + g + ", h))");
        }
        long t0 = System.nanoTime();
        Run r = new Run(lstm, as[0], as[1], h);
        r.forward(a, bias, u);
        NDArray states = r.out.toArray(ops.manager(), ops.dataType(), r.batch, r.length, h);
        Autograd.trace(lstm ? "lstm cells: forward" : "rnn cells: forward", t0);
        if (Autograd.isRecording()) {
            states.setRequiresGradient(true);
            pending.add(new Pending(a, bias, u, states, r));
        }
        return states;
    }

    /** One layer's buffers (time-major where a step's rows feed a GEMM) and its two loops. */
    private final class Run {
        final boolean lstm;
        final int batch;
        final int length;
        final int h;
        /** Width of the input terms per row and step: {@code 4h} (LSTM) or {@code h}. */
        final int gh;
        final DataType type = ops.dataType();
        /** {@code h_t}, time-major {@code (L, B, h)}: the GEMMs' operands. */
        final NativeView hs;
        /** {@code h_t}, batch-major {@code (B, L, h)}: the layer's output. */
        NativeView out;
        /** LSTM: {@link RnnCells#LSTM_SAVED} blocks of {@code h} per step and row, time-major. */
        NativeView saved;
        /** The cell state of every row, carried from step to step (forward), then its gradient (backward). */
        final double[] c;

        Run(boolean lstm, int batch, int length, int h) {
            this.lstm = lstm;
            this.batch = batch;
            this.length = length;
            this.h = h;
            this.gh = lstm ? 4 * h : h;
            int n = Math.multiplyExact(Math.multiplyExact(batch, length), h);
            this.hs = NativeView.allocate(pool.arena(), ops.manager(), type, n);
            this.out = NativeView.allocate(pool.arena(), ops.manager(), type, n);
            this.saved = lstm ? NativeView.allocate(pool.arena(), ops.manager(), type,
                    Math.multiplyExact(n, RnnCells.LSTM_SAVED)) : null;
            this.c = lstm ? new double[batch * h] : null;
        }

        /** Work per row of one step's row loop (for the thread split): an exponential counts ~16 multiply-adds. */
        long rowWork() {
            return 8L * gh;
        }

        /**
         * The input terms {@code a + b} of every step, time-major, the LSTM's cell-gate columns doubled
         * ({@code tanh(g) = 2σ(2g) − 1}: one sigmoid op serves all four gates; doubling is exact in floating point).
         */
        private void inputTerms(NativeView in, double[] bias, NativeView z, int from, int to) {
            double[] row = new double[gh];
            for (int b = from; b < to; b++) {
                for (int t = 0; t < length; t++) {
                    in.get((b * length + t) * gh, row, 0, gh);
                    for (int q = 0; q < gh; q++) {
                        row[q] += bias[q];
                    }
                    if (lstm) {
                        for (int q = 2 * h; q < 3 * h; q++) {
                            row[q] *= 2.0;
                        }
                    }
                    z.put(row, 0, (t * batch + b) * gh, gh);
                }
            }
        }

        /**
         * Per step: {@code z_t = (a_t + b) + h_{t−1} Uᵀ} and its activation (the LSTM's four sigmoids, the RNN's
         * tanh) in libtorch (three ops over native memory, grad mode off), then the cell's row loop in Java.
         */
        void forward(NDArray a, NDArray bias, NDArray u) {
            NativeView z = NativeView.allocate(pool.arena(), ops.manager(), type, batch * length * gh);
            NativeView in = NativeView.of(a);
            double[] bv = DjlTensorOps.doubles(bias);
            pool.forRows(batch, (long) length * gh, (from, to) -> inputTerms(in, bv, z, from, to));
            try (Autograd.Mode off = Autograd.disabled()) {
                NDArray uT;
                if (lstm) {
                    double[] two = new double[gh];
                    Arrays.fill(two, 1.0);
                    Arrays.fill(two, 2 * h, 3 * h, 2.0);
                    try (NDArray scale = ops.create(two, gh, 1)) {
                        uT = u.mul(scale).transpose();                    // (h, 4h), cell-gate columns doubled
                    }
                } else {
                    uT = u.transpose();
                }
                for (int t = 0; t < length; t++) {
                    NDArray act;
                    try (NDArray zt = z.sliceArray(ops.manager(), type, t * batch * gh, batch, gh)) {
                        if (t == 0) {
                            act = lstm ? Activation.sigmoid(zt) : zt.tanh();
                        } else {
                            try (NDArray hPrev = hs.sliceArray(ops.manager(), type, (t - 1) * batch * h, batch, h);
                                 NDArray p = hPrev.matMul(uT)) {         // (B, gh): h_{t−1} Uᵀ
                                p.addi(zt);
                                act = lstm ? Activation.sigmoid(p) : p.tanh();
                            }
                        }
                    }
                    NativeView av = NativeView.of(act);
                    int step = t;
                    pool.forRows(batch, rowWork(), (from, to) -> forwardRows(step, av, from, to));
                    act.close();
                }
                uT.close();
            }
        }

        private void forwardRows(int t, NativeView act, int from, int to) {
            double[] s = new double[gh];
            double[] saved1 = lstm ? new double[RnnCells.LSTM_SAVED * h] : null;
            double[] y = lstm ? new double[h] : s;
            for (int b = from; b < to; b++) {
                act.get(b * gh, s, 0, gh);
                if (lstm) {
                    RnnCells.lstmForward(h, s, 0, t == 0 ? null : c, b * h, saved1, 0, y, 0);
                    System.arraycopy(saved1, 4 * h, c, b * h, h);
                    saved.put(saved1, 0, (t * batch + b) * RnnCells.LSTM_SAVED * h, RnnCells.LSTM_SAVED * h);
                }
                hs.put(y, 0, (t * batch + b) * h, h);
                out.put(y, 0, (b * length + t) * h, h);
            }
        }

        /** The backward through time: returns {@code (dA (B, L, gh), db (gh), dU (gh, h))}. */
        NDArray[] backward(NativeView dOut, NDArray u) {
            NativeView dA = NativeView.allocate(pool.arena(), ops.manager(), type, batch * length * gh);
            NativeView dZ = NativeView.allocate(pool.arena(), ops.manager(), type, batch * length * gh);
            if (lstm) {
                Arrays.fill(c, 0.0);
            }
            NDArray dU;
            try (Autograd.Mode off = Autograd.disabled()) {
                NDArray rec = null;
                for (int t = length - 1; t >= 0; t--) {
                    int step = t;
                    NativeView recurrent = rec == null ? null : NativeView.of(rec);
                    pool.forRows(batch, rowWork(), (from, to) -> backwardRows(step, dOut, recurrent, dA, dZ, from, to));
                    if (rec != null) {
                        rec.close();
                        rec = null;
                    }
                    if (t > 0) {
                        try (NDArray dz = dZ.sliceArray(ops.manager(), type, t * batch * gh, batch, gh)) {
                            rec = dz.matMul(u);                           // (B, h): dz_t U, into h_{t−1}
                        }
                    }
                }
                if (length > 1) {
                    // dU = Σ_{t≥1} dz_tᵀ h_{t−1}: steps 1.. of dZ against steps ..L−2 of the states, one GEMM
                    int rows = (length - 1) * batch;
                    try (NDArray dzAll = dZ.sliceArray(ops.manager(), type, batch * gh, rows, gh);
                         NDArray hAll = hs.sliceArray(ops.manager(), type, 0, rows, h)) {
                        dU = dzAll.transpose().matMul(hAll);
                    }
                } else {
                    dU = ops.manager().zeros(u.getShape(), type);
                }
            }
            NDArray da = dA.toArray(ops.manager(), type, batch, length, gh);
            NDArray db;
            try (Autograd.Mode off = Autograd.disabled()) {
                db = da.sum(new int[] {0, 1});                            // b feeds every step of every row
            }
            return new NDArray[] {da, db, dU};
        }

        private void backwardRows(int t, NativeView dOut, NativeView rec, NativeView dA, NativeView dZ,
                                  int from, int to) {
            double[] dh = new double[h];
            double[] r = rec == null ? null : new double[h];
            double[] dz = new double[gh];
            double[] s = lstm ? new double[RnnCells.LSTM_SAVED * h] : null;
            double[] cPrev = lstm && t > 0 ? new double[h] : null;
            double[] y = lstm ? null : new double[h];
            int block = RnnCells.LSTM_SAVED * h;
            for (int b = from; b < to; b++) {
                dOut.get((b * length + t) * h, dh, 0, h);
                if (r != null) {
                    rec.get(b * h, r, 0, h);
                    for (int q = 0; q < h; q++) {
                        dh[q] += r[q];
                    }
                }
                if (lstm) {
                    saved.get((t * batch + b) * block, s, 0, block);
                    if (cPrev != null) {
                        saved.get(((t - 1) * batch + b) * block + 4 * h, cPrev, 0, h);
                    }
                    RnnCells.lstmBackward(h, dh, 0, c, b * h, s, 0, cPrev, 0, dz, 0);
                } else {
                    hs.get((t * batch + b) * h, y, 0, h);
                    RnnCells.tanhBackward(h, dh, 0, y, 0, dz, 0);
                }
                dA.put(dz, 0, (b * length + t) * gh, gh);
                dZ.put(dz, 0, (t * batch + b) * gh, gh);
            }
        }
    }

    /** A layer whose backward through time still has to run. */
    private final class Pending extends OutputGradientPhase {
        private final NDArray a;
        private final NDArray bias;
        private final NDArray u;
        private final Run r;

        Pending(NDArray a, NDArray bias, NDArray u, NDArray states, Run r) {
            super(states);
            this.a = a;
            this.bias = bias;
            this.u = u;
            this.r = r;
        }

        @Override
        void backward(NDArray g, boolean keepGraph) {
            long t0 = System.nanoTime();
            NDArray[] grads = r.backward(NativeView.of(g), u);
            Autograd.trace(r.lstm ? "lstm cells: backward" : "rnn cells: backward", t0);
            Autograd.backward(a, grads[0], true);
            Autograd.backward(bias, grads[1], true);
            Autograd.backward(u, grads[2], keepGraph);
        }
    }
}
