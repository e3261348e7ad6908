package org.lincde.backend.nd4j.internal;

import java.util.concurrent.ForkJoinPool;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.kernel.SelectiveScan;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The selective scan of S6 and the Mamba v1 block ({@link SelectiveScanKernel}) as one tape op: forward and
 * hand-derived backward in Java ({@link SelectiveScan}, shared with the DJL backend), so the generic graph's
 * {@code (B, L, E, N)} tensors never exist; the decays are computed once by the forward and kept in a Java
 * array for the backward (docs/models/selective-scan.md).
 */
final class Nd4jSelectiveScan implements SelectiveScanKernel<Nd4jTensor> {
    private final Nd4jTensorOps ops;
    private final ForkJoinPool pool;

    /** @param pool threads to split batch rows over, or null for the calling thread only */
    Nd4jSelectiveScan(Nd4jTensorOps ops, ForkJoinPool pool) {
        this.ops = ops;
        this.pool = pool;
    }

    @Override
    public Nd4jTensor outputs(Nd4jTensor u, Nd4jTensor delta, Nd4jTensor a, Nd4jTensor b, Nd4jTensor c) {
        int[] us = u.shape;
        int[] as = a.shape;
        if (us.length != 3 || as.length != 2 || as[0] != us[2] || !java.util.Arrays.equals(delta.shape, us)
                || !java.util.Arrays.equals(b.shape, new int[] {us[0], us[1], as[1]})
                || !java.util.Arrays.equals(c.shape, new int[] {us[0], us[1], as[1]})) {
            throw new IllegalArgumentException("selective scan: u and Δ must be (B, L, E), A (E, N), B and C (B, L, N); got u "
                    + java.util.Arrays.toString(us) + ", Δ " + java.util.Arrays.toString(delta.shape) + ", A "
                    + java.util.Arrays.toString(as) + ", B " + java.util.Arrays.toString(b.shape) + ", C "
                    + java.util.Arrays.toString(c.shape));
        }
        int batch = us[0];
        SelectiveScan k = new SelectiveScan(batch, us[1], us[2], as[1]);
        double[] uv = Nd4jArrays.toDoubles(u.value);
        double[] dt = Nd4jArrays.toDoubles(delta.value);
        double[] av = Nd4jArrays.toDoubles(a.value);
        double[] bv = Nd4jArrays.toDoubles(b.value);
        double[] cv = Nd4jArrays.toDoubles(c.value);
        double[] y = new double[uv.length];
        boolean exact = ops.dataType() == DataType.DOUBLE;
        SelectiveScan.Decays decays = new SelectiveScan.Decays(batch, k.decayRowSize(), exact);
        SelectiveScan.DecayRows rows = decays.keeping(k.computedDecays(dt, av, !exact));
        Nd4jRecurrence.parallel(pool, batch, Nd4jRecurrence.MIN_ROWS_PER_TASK,
                (from, to) -> k.forward(uv, dt, bv, cv, rows, y, from, to, k.work(av)));
        Nd4jTensor result = ops.fromKernel(create(y, us), u, delta, a, b, c);
        if (result.requiresGrad) {
            ops.record(() -> {
                if (result.grad == null) {
                    return;
                }
                double[] dy = Nd4jArrays.toDoubles(result.grad);
                double[] du = new double[uv.length];
                double[] ddt = new double[uv.length];
                double[] db = new double[bv.length];
                double[] dc = new double[cv.length];
                double[][] parts = new double[k.chunks()][av.length];
                SelectiveScan.DecayRows kept = decays.stored();
                Nd4jRecurrence.parallel(pool, k.chunks(), 1, (from, to) -> {
                    SelectiveScan.Work w = k.work(av);
                    for (int ch = from; ch < to; ch++) {
                        k.backward(uv, dt, bv, cv, kept, dy, du, ddt, db, dc, parts[ch], ch, w);
                    }
                });
                ops.accumulate(u, create(du, us), true);
                ops.accumulate(delta, create(ddt, us), true);
                ops.accumulate(a, create(k.reduceA(parts), as), true);
                ops.accumulate(b, create(db, b.shape), true);
                ops.accumulate(c, create(dc, c.shape), true);
            });
        }
        return result;
    }

    private INDArray create(double[] values, int... shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
        }
        return Nd4j.create(values, l, 'c').castTo(ops.dataType());
    }
}
