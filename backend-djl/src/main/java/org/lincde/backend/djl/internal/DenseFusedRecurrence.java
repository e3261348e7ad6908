package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.DenseRecurrenceKernel;
import org.lincde.spi.kernel.DenseSums;

/**
 * The dense (and sparse) Linear CDE recurrence (SPEC §1.1 items 1 and 6, eq. 2) as one fused kernel: the
 * reordered sums of {@link DenseRecurrence} ({@code s_i = z_i Wᵣᵀ}, {@code z_i = y_{i−1} ⊗ u_i}), with the
 * three {@code B × h(d+1) × h} products of a step in libtorch's GEMM and everything else (the outer
 * products, the contractions of {@code dz}, the clip, the state update) in Java row loops over native memory
 * ({@link DenseSums}), under a hand-derived backward (docs/models/dense-sums.md):
 * <pre>
 *   forward, i = 1..L−1:  z_i = y_{i−1} ⊗ u_i;  s_i = z_i Wᵣᵀ;  y_i = y_{i−1} + c·tanh(s_i / c)
 *   backward, i = L−1..1: ds_i = g_i ⊙ (1 − tanh²);  dz = ds_i Wᵣ;  dWᵣ += ds_iᵀ z_i;
 *                         g_{i−1} = g_i + dStates_{i−1} + Σ_c dz[·, q, c] u_i[c];  du_i = Σ_q dz[·, q, ·] y_{i−1}[q]
 * </pre>
 * The graph form ({@link DenseRecurrence}) records seven engine ops a step and runs their autograd backward:
 * the outer product's batched-product backward reads {@code dz} twice, every step's {@code dWᵣ} is a fresh
 * tensor summed by the engine, and the forward's per-step tensors stay alive for the backward. Here the
 * forward keeps only the states (and the clip's {@code tanh}); {@code z_i} is rebuilt in the backward into
 * reused chunk buffers, and {@code dWᵣ} is one GEMM per chunk of steps. The same sums as the graph form;
 * only the GEMMs' blocking and the weight gradient's grouping by chunks round differently.
 *
 * <p>Block 0 of a token model ({@link #statesFromTable}) stays on the graph form: its {@code V} matrices make
 * it a small part of the step.
 */
final class DenseFusedRecurrence implements DenseRecurrenceKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.denseRecurrence=fused|graph}: which form runs dense fields from control increments
     * ({@code fused}, the default: this class; {@code graph}: {@link DenseRecurrence}, kept for A/B benches).
     */
    static final String PROPERTY = "lincde.djl.denseRecurrence";

    /**
     * {@code -Dlincde.djl.denseChunkBytes=N}: most bytes of {@code z_i = y_{i−1} ⊗ u_i} kept for one
     * weight-gradient GEMM (default 128 MiB: at R1's size 7 steps of 17 MB in float32): fewer, larger products
     * and fewer {@code (h·h, d+1)} partial sums than one a step. Read per call (tests cover several chunks).
     */
    static final String CHUNK_PROPERTY = "lincde.djl.denseChunkBytes";

    /**
     * {@code -Dlincde.djl.denseContract=java|engine}: the backward's contractions of {@code dz} in one Java pass
     * (the default) or as two libtorch batched products; they measured within the noise of each other
     * (docs/models/dense-sums.md), and the switch stays for A/B runs on other machines.
     */
    static final String CONTRACT_PROPERTY = "lincde.djl.denseContract";

    private final DjlTensorOps ops;
    private final DenseRecurrence graph;
    private final KernelPool pool;
    private final List<Deferred> pending;

    DenseFusedRecurrence(DjlTensorOps ops, KernelPool pool, List<Deferred> pending) {
        this.ops = ops;
        this.graph = new DenseRecurrence(ops);
        this.pool = pool;
        this.pending = pending;
    }

    /** Whether {@link #PROPERTY} selects this form (read per call, so tests can run both). */
    static boolean selected() {
        String mode = System.getProperty(PROPERTY, "fused");
        return switch (mode) {
            case "fused" -> true;
            case "graph" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode + ": expected fused or graph");
        };
    }

    @Override
    public NDArray states(NDArray y0, NDArray u, NDArray weight, double clip) {
        int[] ys = ops.shape(y0);
        int[] us = ops.shape(u);
        int[] ws = ops.shape(weight);
        if (ys.length != 2 || us.length != 3 || us[0] != ys[0] || ws.length != 2 || ws[0] != ys[1] * ys[1]
                || ws[1] != us[2]) {
            throw new IllegalArgumentException("dense recurrence: y0 " + Arrays.toString(ys) + ", u "
                    + Arrays.toString(us) + ", weight " + Arrays.toString(ws)
                    + " (expected (B, h), (B, L−1, d+1), (h·h, d+1))");
        }
        long t0 = System.nanoTime();
        Trajectory t = new Trajectory(ys[0], us[1] + 1, ys[1], us[2], clip, pending.size());
        NativeView out = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), t.batch * t.length * t.h);
        t.forward(NativeView.of(y0), NativeView.of(u), weight, out);
        NDArray states = out.toArray(ops.manager(), ops.dataType(), t.batch, t.length, t.h);
        Autograd.trace("dense recurrence: fused forward", t0);
        traceGemm(t);
        if (Autograd.isRecording()) {
            states.setRequiresGradient(true);
            pending.add(new Pending(y0, u, weight, states, t));
        }
        return states;
    }

    @Override
    public NDArray statesFromTable(NDArray y0, NDArray coefficientTable, int[] ids, double clip) {
        return graph.statesFromTable(y0, coefficientTable, ids, clip);
    }

    /** Prints (when tracing) the time the last pass spent in GEMMs and additions, and resets it. */
    private static void traceGemm(Trajectory t) {
        if (Autograd.TRACE) {
            System.err.printf("    of which GEMMs %.4f s, dW additions %.4f s%n", t.gemmNanos * 1e-9, t.addNanos * 1e-9);
        }
        t.gemmNanos = 0;
        t.addNanos = 0;
    }

    /** Per-thread row scratch (contents undefined). */
    private static final class Scratch {
        double[] zd = new double[0];
        float[] zf = new float[0];
        float[] yf = new float[0];
        float[] uf = new float[0];
        double[] row = new double[0];
        double[] row2 = new double[0];
        double[] rowU = new double[0];

        Scratch size(int hd, int h, int d1) {
            if (zd.length < hd) {
                zd = new double[hd];
                zf = new float[hd];
            }
            if (yf.length < h) {
                yf = new float[h];
                row = new double[h];
                row2 = new double[h];
            }
            if (uf.length < d1) {
                uf = new float[d1];
                rowU = new double[d1];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The forward values the backward needs, and both passes. */
    private final class Trajectory {
        final int batch;
        final int length;
        final int h;
        final int d1;
        final int hd;
        final double clip;
        final boolean clipped;
        final int slot;
        final double[] u;
        final double[] states;
        final double[] tanh;
        /** Time in the engine's GEMMs and in the weight gradient's additions (for {@code -Dlincde.djl.trace}). */
        long gemmNanos;
        long addNanos;

        Trajectory(int batch, int length, int h, int d1, double clip, int slot) {
            this.batch = batch;
            this.length = length;
            this.h = h;
            this.d1 = d1;
            this.hd = h * d1;
            this.clip = clip;
            this.clipped = !Double.isInfinite(clip);
            this.slot = slot;
            Workspace w = pool.workspace();
            String k = "dense." + slot + ".";
            this.u = w.doubles(k + "u", batch * (length - 1) * d1);
            this.states = w.doubles(k + "states", batch * length * h);
            this.tanh = clipped ? w.doubles(k + "tanh", batch * (length - 1) * h) : null;
        }

        /** Row work of one pass (multiply-adds, for the thread split). */
        long rowWork() {
            return 2L * hd;
        }

        void forward(NativeView y0, NativeView uIn, NDArray weight, NativeView out) {
            int steps = length - 1;
            NativeView z = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), batch * hd);
            try (Autograd.Mode off = Autograd.disabled()) {
                NDArray zArr = z.toArray(ops.manager(), ops.dataType(), batch, hd);
                NDArray wrT = weight.reshape(h, hd).transpose();
                NDArray[] s = new NDArray[1];
                for (int i = 1; i <= length; i++) {
                    final int step = i;
                    final NativeView sv = s[0] == null ? null : NativeView.of(s[0]);
                    pool.forRows(batch, rowWork(), (from, to) -> {
                        Scratch r = SCRATCH.get().size(hd, h, d1);
                        for (int b = from; b < to; b++) {
                            int base = b * length * h;
                            if (step == 1) {
                                y0.get(b * h, states, base, h);
                                uIn.get(b * steps * d1, u, b * steps * d1, steps * d1);
                            } else {
                                update(b, step - 1, sv, r.row);
                            }
                            if (step < length) {
                                writeOuter(r, base + (step - 1) * h, (b * steps + step - 1) * d1, z, b * hd);
                            } else {
                                out.put(states, base, base, length * h);
                            }
                        }
                    });
                    if (s[0] != null) {
                        s[0].close();
                        s[0] = null;
                    }
                    if (step < length) {
                        long g0 = System.nanoTime();
                        s[0] = zArr.matMul(wrT);
                        gemmNanos += System.nanoTime() - g0;
                    }
                }
                wrT.close();
                zArr.close();
            }
        }

        /** Writes {@code y ⊗ u} (state at {@code yOff}, control at {@code uOff}) into {@code z} at {@code to}. */
        private void writeOuter(Scratch r, int yOff, int uOff, NativeView z, int to) {
            if (z.isFloat32()) {
                for (int q = 0; q < h; q++) {
                    r.yf[q] = (float) states[yOff + q];
                }
                for (int c = 0; c < d1; c++) {
                    r.uf[c] = (float) u[uOff + c];
                }
                DenseSums.outer(r.yf, 0, r.uf, 0, h, d1, r.zf, 0);
                z.putFloats(r.zf, 0, to, hd);
            } else {
                DenseSums.outer(states, yOff, u, uOff, h, d1, r.zd, 0);
                z.put(r.zd, 0, to, hd);
            }
        }

        /** {@code y_i = y_{i−1} + c·tanh(s_i / c)} for row {@code b} (SPEC §1.1 eq. 2), {@code s_i} read from {@code s}. */
        private void update(int b, int i, NativeView s, double[] row) {
            s.get(b * h, row, 0, h);
            int prev = b * length * h + (i - 1) * h;
            int cur = prev + h;
            if (!clipped) {
                for (int q = 0; q < h; q++) {
                    states[cur + q] = states[prev + q] + row[q];
                }
                return;
            }
            double inv = 1.0 / clip;
            int t0 = (b * (length - 1) + i - 1) * h;
            for (int q = 0; q < h; q++) {
                double th = FusedRecurrence.tanh(row[q] * inv);
                tanh[t0 + q] = th;
                states[cur + q] = states[prev + q] + clip * th;
            }
        }

        /**
         * The backward pass: fills {@code du} ({@code (B, L−1, d+1)}), {@code dy0} ({@code (B, h)}) and returns
         * {@code dW} ({@code (h·h, d+1)}, an engine tensor) from the states' gradient {@code dStates}. The
         * weight's gradient {@code Σ_i ds_iᵀ z_i} runs as one GEMM per chunk of steps ({@link #CHUNK_PROPERTY} bytes
         * of {@code z}), with an inner size of {@code chunk·B} instead of {@code B}.
         */
        NDArray backward(NativeView dStates, NDArray weight, NativeView du, NativeView dy0) {
            int steps = length - 1;
            long chunkBytes = Long.getLong(CHUNK_PROPERTY, 128L << 20);
            int chunk = (int) Math.max(1, Math.min(steps,
                    chunkBytes / ((long) batch * hd * ops.dataType().getNumOfBytes())));
            Workspace w = pool.workspace();
            String k = "dense." + slot + ".";
            double[] dS = w.doubles(k + "dstates", batch * length * h);
            double[] g = w.doubles(k + "g", batch * h);
            double[] duRow = w.doubles(k + "du", batch * d1);
            NativeView z = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), chunk * batch * hd);
            NativeView ds = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), chunk * batch * h);
            // engine contractions: step's y_{i−1} and u_i rows, and the two batched products' results
            boolean engine = "engine".equals(System.getProperty(CONTRACT_PROPERTY, "java"));
            NativeView yv = engine ? NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), batch * h) : null;
            NativeView uv = engine ? NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), batch * d1) : null;
            NDArray[] contracted = new NDArray[2];
            NDArray dW = null;
            try (Autograd.Mode off = Autograd.disabled()) {
                NDArray zArr = z.toArray(ops.manager(), ops.dataType(), chunk * batch, hd);
                NDArray dsArr = ds.toArray(ops.manager(), ops.dataType(), chunk * batch, h);
                NDArray wr = weight.reshape(h, hd);
                NDArray yArr = engine ? yv.toArray(ops.manager(), ops.dataType(), batch, 1, h) : null;
                NDArray uArr = engine ? uv.toArray(ops.manager(), ops.dataType(), batch, d1, 1) : null;
                NDArray[] dz = new NDArray[1];
                for (int i = length - 1; i >= 0; i--) {
                    final int step = i;
                    final int inChunk = (steps - step) % chunk;   // where step's ds and z go in the chunk buffers
                    final NativeView dzv = dz[0] == null ? null : NativeView.of(dz[0]);
                    final NativeView gyv = contracted[0] == null ? null : NativeView.of(contracted[0]);
                    final NativeView duv = contracted[1] == null ? null : NativeView.of(contracted[1]);
                    pool.forRows(batch, rowWork(), (from, to) -> {
                        Scratch r = SCRATCH.get().size(hd, h, d1);
                        for (int b = from; b < to; b++) {
                            int base = b * length * h;
                            if (step == length - 1) {
                                dStates.get(base, dS, base, length * h);
                                System.arraycopy(dS, base + step * h, g, b * h, h);
                            } else {
                                // step + 1's dz: the state's and the control's gradients through z = y ⊗ u
                                int uOff = (b * steps + step) * d1;
                                if (gyv != null) {
                                    gyv.get(b * h, r.row2, 0, h);
                                    for (int q = 0; q < h; q++) {
                                        g[b * h + q] += r.row2[q];
                                    }
                                    duv.get(b * d1, duRow, b * d1, d1);
                                } else if (dzv.isFloat32()) {
                                    dzv.getFloats(b * hd, r.zf, 0, hd);
                                    DenseSums.contract(r.zf, 0, states, base + step * h, u, uOff, h, d1, g, b * h,
                                            duRow, b * d1);
                                } else {
                                    dzv.get(b * hd, r.zd, 0, hd);
                                    DenseSums.contract(r.zd, 0, states, base + step * h, u, uOff, h, d1, g, b * h,
                                            duRow, b * d1);
                                }
                                du.put(duRow, b * d1, uOff, d1);
                            }
                            if (step == 0) {
                                dy0.put(g, b * h, b * h, h);
                                continue;
                            }
                            // ds_i = g_i ⊙ (1 − tanh²), then g_{i−1} starts from g_i + dStates_{i−1}
                            int t0 = (b * steps + step - 1) * h;
                            for (int q = 0; q < h; q++) {
                                double th = clipped ? tanh[t0 + q] : 0.0;
                                r.row[q] = g[b * h + q] * (1.0 - th * th);
                                g[b * h + q] += dS[base + (step - 1) * h + q];
                            }
                            int row = inChunk * batch + b;
                            ds.put(r.row, 0, row * h, h);
                            if (yv != null) {
                                yv.put(states, base + (step - 1) * h, b * h, h);
                                uv.put(u, (b * steps + step - 1) * d1, b * d1, d1);
                            }
                            writeOuter(r, base + (step - 1) * h, (b * steps + step - 1) * d1, z, row * hd);
                        }
                    });
                    if (dz[0] != null) {
                        dz[0].close();
                        dz[0] = null;
                    }
                    for (int c = 0; c < 2; c++) {
                        if (contracted[c] != null) {
                            contracted[c].close();
                            contracted[c] = null;
                        }
                    }
                    if (step == 0) {
                        break;
                    }
                    long g0 = System.nanoTime();
                    NDArray dsStep = dsArr.get(new NDIndex("{}:{}", inChunk * batch, (inChunk + 1) * batch));
                    dz[0] = dsStep.matMul(wr);
                    dsStep.close();
                    if (engine) {
                        NDArray dz3 = dz[0].reshape(batch, h, d1);
                        contracted[0] = dz3.matMul(uArr);
                        contracted[1] = yArr.matMul(dz3);
                        dz3.close();
                        dz[0].close();
                        dz[0] = null;
                    }
                    long g1 = System.nanoTime();
                    if (inChunk == chunk - 1 || step == 1) {
                        int rows = (inChunk + 1) * batch;
                        NDArray dsc = dsArr.get(new NDIndex("0:{}", rows));
                        NDArray zc = zArr.get(new NDIndex("0:{}", rows));
                        NDArray dsT = dsc.transpose();
                        NDArray part = dsT.matMul(zc);
                        dsT.close();
                        dsc.close();
                        zc.close();
                        long g2 = System.nanoTime();
                        if (dW == null) {
                            dW = part;
                        } else {
                            dW.addi(part);
                            part.close();
                        }
                        addNanos += System.nanoTime() - g2;
                        g1 = g2;
                    }
                    gemmNanos += g1 - g0;
                }
                wr.close();
                dsArr.close();
                zArr.close();
            }
            return dW;
        }
    }

    /** A recurrence whose Java backward still has to run. */
    private final class Pending extends OutputGradientPhase {
        private final NDArray y0;
        private final NDArray u;
        private final NDArray weight;
        private final Trajectory t;

        Pending(NDArray y0, NDArray u, NDArray weight, NDArray states, Trajectory t) {
            super(states);
            this.y0 = y0;
            this.u = u;
            this.weight = weight;
            this.t = t;
        }

        @Override
        void backward(NDArray g, boolean keepGraph) {
            long t0 = System.nanoTime();
            NativeView du = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(),
                    t.batch * (t.length - 1) * t.d1);
            NativeView dy0 = NativeView.allocate(pool.arena(), ops.manager(), ops.dataType(), t.batch * t.h);
            NDArray dW = t.backward(NativeView.of(g), weight, du, dy0);
            t0 = Autograd.trace("dense recurrence: fused backward", t0);
            traceGemm(t);
            NDArray dWeight = dW.reshape(weight.getShape());
            FusedRecurrence.engineBackward(u, du.toArray(ops.manager(), ops.dataType(), ops.shape(u)), true);
            FusedRecurrence.engineBackward(y0, dy0.toArray(ops.manager(), ops.dataType(), ops.shape(y0)), true);
            FusedRecurrence.engineBackward(weight, dWeight, keepGraph);
        }
    }
}
