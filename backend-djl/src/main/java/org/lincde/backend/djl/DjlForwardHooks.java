package org.lincde.backend.djl;

import ai.djl.ndarray.NDArray;
import org.lincde.backend.djl.internal.DjlTensorOps;
import org.lincde.backend.djl.internal.KernelPool;
import org.lincde.backend.djl.internal.NativeView;
import org.lincde.spi.Rng;
import org.lincde.spi.Shapes;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Dropout;
import org.lincde.spi.model.StackedLinearCde;

/**
 * The fast path's part in {@link StackedLinearCde#forward} (the one forward, SPEC §1.2), none of
 * which changes a value: the graph is cut between blocks so the phased backward walks each block once
 * ({@link DjlTensorOps#cut}), block 0's coefficients are gathered from those of the embedding table
 * ({@code LinearCdeLayer.forwardFromTable}), and dropout masks are drawn straight into native memory
 * on the kernel threads. On other ops the hooks are the plain graph's. The fused-vs-generic tests
 * ({@code DjlModelTest}) compare a session with these hooks and fused kernels against one without.
 */
final class DjlForwardHooks implements StackedLinearCde.ForwardHooks {
    private final KernelPool pool;

    DjlForwardHooks(KernelPool pool) {
        this.pool = pool;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T blockInput(TensorOps<T> ops, int block, T x) {
        return ops instanceof DjlTensorOps d ? (T) d.cut((NDArray) x) : x;
    }

    @Override
    public boolean gatherFirstLayer() {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T dropout(TensorOps<T> ops, T z, double rate, Rng stream) {
        if (!(ops instanceof DjlTensorOps d) || rate == 0.0) {
            return Dropout.apply(ops, z, rate, stream);
        }
        // Dropout.mask's values, built straight in native memory on the kernel threads: the
        // double[] → float[] → native copies cost more than drawing the mask
        NDArray x = (NDArray) z;
        int[] shape = d.shape(x);
        int n = Math.toIntExact(Shapes.size(shape));
        int[] draws = Dropout.draws(stream, n);
        long threshold = Dropout.threshold(rate);
        double keep = 1.0 / (1.0 - rate);
        NativeView m = NativeView.allocate(pool.arena(), d.manager(), d.dataType(), n);
        pool.forRows(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                m.set(i, Dropout.dropped(draws[i], threshold) ? 0.0 : keep);
            }
        });
        return (T) d.mul(x, m.toArray(d.manager(), d.dataType(), shape));
    }
}
