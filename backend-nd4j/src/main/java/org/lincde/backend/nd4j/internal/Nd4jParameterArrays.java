package org.lincde.backend.nd4j.internal;

import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.ParameterArrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A model's parameters and AdamW moments as ND4J arrays outside every workspace (they live as long
 * as the model); gradients, masks and the update's temporaries come from the current workspace.
 * Trainable parameters read back with the session dtype's element type, buffers with their own.
 */
public final class Nd4jParameterArrays implements ParameterArrays<INDArray> {
    private final DType dtype;

    /** @param dtype the session's precision */
    public Nd4jParameterArrays(DType dtype) {
        this.dtype = dtype;
    }

    @Override
    public INDArray store(ParameterShape shape, HostTensor value) {
        return Nd4jArrays.createDetached(value.data(), shape.shape(), dtype);
    }

    @Override
    public ElementType storedType(ParameterShape shape, HostTensor value) {
        return shape.role() == ParameterSet.Role.TRAINABLE ? Nd4jArrays.elementType(dtype) : value.type();
    }

    @Override
    public HostTensor toHost(INDArray a, int[] shape, ElementType type) {
        return Nd4jArrays.toHost(a, type);
    }

    @Override
    public INDArray zerosLike(INDArray like) {
        return Nd4j.create(like.dataType(), like.shape());
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    public INDArray momentLike(INDArray like) {
        try (MemoryWorkspace out = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(like.dataType(), like.shape());
        }
    }

    @Override
    public INDArray mask(INDArray gradient, INDArray mask) {
        return gradient.mul(mask);
    }

    @Override
    public boolean allFinite(INDArray gradient) {
        return !(gradient.isNaN().any() || gradient.isInfinite().any());
    }

    /**
     * AdamW in place: {@link AdamWUpdate}'s operations (PyTorch's
     * {@code torch.optim.AdamW}, SPEC §4.1) in the same order, as whole-array ops, so float64 sessions
     * agree with it to the last bit or two. Decoupled decay {@code w ← w·(1 − lr·wd)}, moments
     * {@code m ← β1 m + (1−β1) g}, {@code v ← β2 v + (1−β2) g²}, bias-corrected step
     * {@code w ← w − (lr/(1−β1^t)) m / (sqrt(v)/sqrt(1−β2^t) + eps)}.
     */
    @Override
    public void adamW(OptimizerSpec.AdamW spec, INDArray w, INDArray g, INDArray m, INDArray v, long step, double lr,
                      double decay) {
        AdamWUpdate.Scalars k = AdamWUpdate.Scalars.of(spec, step, lr, decay);
        m.muli(k.beta1()).addi(g.mul(1.0 - k.beta1()));
        v.muli(k.beta2()).addi(g.mul(1.0 - k.beta2()).muli(g));
        INDArray denom = Transforms.sqrt(v, true).divi(k.sqrtC2()).addi(k.eps());
        INDArray delta = m.mul(k.stepSize()).divi(denom);
        w.muli(k.shrink()).subi(delta);
    }

    @Override
    public void release(INDArray a) {
        a.close();
    }
}
