package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.DenseRecurrenceKernel;

/**
 * The dense (and sparse) Linear CDE recurrence (SPEC §1.1 items 1 and 6, eq. 2) in libtorch's products,
 * without the {@code B·(L−1)·h²} coefficient tensor (0.65 GB of float32 per block at R1's B 256, L 40,
 * h 128, and as much again for its gradient). The sums of {@code s_i = reshape_{h×h}(W u_i) y_{i−1}} are
 * reordered: {@code s_i = (y_{i−1} ⊗ u_i) Wᵣᵀ}, {@code Wᵣ = reshape(W, h, h·(d+1))} (row {@code p·h+q} of
 * {@code W} is row {@code p}, columns {@code q·(d+1)..}), one {@code B × h(d+1) × h} GEMM per step; its
 * backward is two more GEMMs of that size ({@code dWᵣ += dsᵀ z}, {@code dz = ds Wᵣ}), so the step runs at
 * GEMM speed instead of streaming the coefficients through memory four times (coefficient GEMM, batched
 * products, their gradient, the coefficient GEMM's two backward products). The per-step slices come from
 * one split ({@link DjlTensorOps#unstack}: one backward step for all of them, docs/PERFORMANCE.md).
 *
 * <p>Block 0 of a token model ({@link #statesFromTable}) has only {@code V} distinct transition matrices:
 * one GEMM applies all of them, {@code P = y Acatᵀ} with {@code Acat = reshape(table, V·h, h)}, and a
 * one-hot mask picks row {@code b}'s matrix ({@code V·B·h²} multiply-adds a step instead of the gather of
 * {@code B·h²} coefficients per step and its scatter-add gradient). Large vocabularies (more rows than
 * {@link #MAX_TABLE_ROWS}) gather per step instead.
 */
final class DenseRecurrence implements DenseRecurrenceKernel<NDArray> {
    /** Most table rows applied together by one GEMM; above it the per-step gather is cheaper. */
    static final int MAX_TABLE_ROWS = 32;

    private final DjlTensorOps ops;

    DenseRecurrence(DjlTensorOps ops) {
        this.ops = ops;
    }

    @Override
    public NDArray states(NDArray y0, NDArray u, NDArray weight, double clip) {
        int[] ys = ops.shape(y0);
        int[] us = ops.shape(u);
        int[] ws = ops.shape(weight);
        int b = ys[0];
        int h = ys[1];
        int d1 = us[2];
        if (us.length != 3 || us[0] != b || ws.length != 2 || ws[0] != h * h || ws[1] != d1) {
            throw new IllegalArgumentException("dense recurrence: y0 " + java.util.Arrays.toString(ys) + ", u "
                    + java.util.Arrays.toString(us) + ", weight " + java.util.Arrays.toString(ws)
                    + " (expected (B, h), (B, L−1, d+1), (h·h, d+1))");
        }
        long t0 = System.nanoTime();
        NDArray wrT = weight.reshape(h, (long) h * d1).transpose();      // (h·(d+1), h), a view
        List<NDArray> ys2 = new ArrayList<>(us[1] + 1);
        NDArray y = y0;
        ys2.add(y);
        for (NDArray ui : ops.unstack(u, 1)) {
            // the outer product as a batched product with inner size 1: its backward is two batched
            // matrix-vector products (a broadcasting mul's backward reduces over a strided axis, far slower)
            NDArray z = y.reshape(b, h, 1).matMul(ui.reshape(b, 1, d1)).reshape(b, (long) h * d1);
            y = step(y, z.matMul(wrT), clip);
            ys2.add(y);
        }
        NDArray out = NDArrays.stack(new NDList(ys2), 1);
        Autograd.trace("dense recurrence: forward", t0);
        return out;
    }

    @Override
    public NDArray statesFromTable(NDArray y0, NDArray coefficientTable, int[] ids, double clip) {
        int[] ys = ops.shape(y0);
        int[] ts = ops.shape(coefficientTable);
        int b = ys[0];
        int h = ys[1];
        int v = ts[0];
        if (ts.length != 2 || ts[1] != h * h || ids.length % b != 0) {
            throw new IllegalArgumentException("dense recurrence: y0 " + java.util.Arrays.toString(ys)
                    + ", coefficient table " + java.util.Arrays.toString(ts) + ", " + ids.length
                    + " ids (expected (B, h), (V, h·h), B·(L−1) ids)");
        }
        int steps = ids.length / b;
        for (int id : ids) {
            if (id < 0 || id >= v) {
                throw new IllegalArgumentException("dense recurrence: table row " + id + " outside [0, " + v + ")");
            }
        }
        long t0 = System.nanoTime();
        List<NDArray> ys2 = new ArrayList<>(steps + 1);
        NDArray y = y0;
        ys2.add(y);
        if (v > MAX_TABLE_ROWS) {
            List<NDArray> coef = ops.unstack(ops.embedding(coefficientTable, ids, b, steps), 1);
            for (NDArray c : coef) {
                NDArray s = c.reshape(b, h, h).matMul(y.reshape(b, h, 1)).reshape(b, h);
                y = step(y, s, clip);
                ys2.add(y);
            }
        } else {
            NDArray acatT = coefficientTable.reshape((long) v * h, h).transpose();   // (h, V·h)
            double[] oneHot = new double[b * steps * v];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < steps; i++) {
                    oneHot[(r * steps + i) * v + ids[r * steps + i]] = 1.0;
                }
            }
            List<NDArray> masks = ops.unstack(ops.create(oneHot, b, steps, v, 1), 1);
            for (NDArray m : masks) {
                NDArray all = y.matMul(acatT).reshape(b, v, h);                       // A_v y for every v
                y = step(y, all.mul(m).sum(new int[] {1}), clip);
                ys2.add(y);
            }
        }
        NDArray out = NDArrays.stack(new NDList(ys2), 1);
        Autograd.trace("dense recurrence (table): forward", t0);
        return out;
    }

    /** {@code y + c·tanh(s / c)} as the generic loop writes it (SPEC §1.1 eq. 2), or {@code y + s} unclipped. */
    private NDArray step(NDArray y, NDArray s, double clip) {
        return y.add(Double.isInfinite(clip) ? s : ops.scale(ops.tanh(ops.scale(s, 1.0 / clip)), clip));
    }
}
