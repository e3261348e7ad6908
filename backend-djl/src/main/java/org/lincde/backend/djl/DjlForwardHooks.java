package org.lincde.backend.djl;

import ai.djl.ndarray.NDArray;
import org.lincde.backend.djl.internal.DjlTensorOps;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.StackedLinearCde;

/**
 * The fast path's part in {@link StackedLinearCde#forward} (the one forward, SPEC §1.2), none of
 * which changes a value: the graph is cut between blocks so the phased backward walks each block once
 * ({@link DjlTensorOps#cut}), block 0's coefficients are gathered from those of the embedding table
 * ({@code LinearCdeLayer.forwardFromTable}); dropout masks are drawn straight into native memory on
 * the kernel threads by the fused ops' {@link DjlTensorOps#dropoutMask}, as in every model. On other ops
 * the hooks are the plain graph's. The fused-vs-generic tests ({@code DjlModelTest}) compare a session
 * with these hooks and fused kernels against one without.
 */
final class DjlForwardHooks implements StackedLinearCde.ForwardHooks {
    @Override
    @SuppressWarnings("unchecked")
    public <T> T blockInput(TensorOps<T> ops, int block, T x) {
        return ops instanceof DjlTensorOps d ? (T) d.cut((NDArray) x) : x;
    }

    @Override
    public boolean gatherFirstLayer() {
        return true;
    }
}
