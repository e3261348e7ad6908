package org.lincde.backend.nd4j.internal;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensor of {@link Nd4jTensorOps}: an ND4J array that is never modified after creation, and,
 * when it takes part in differentiation, the gradient accumulated into it by the {@link Nd4jTape}.
 * Values may be views with any strides (transposes stay lazy); gradients always have the value's shape.
 * Lives as long as the call's workspace ({@link Nd4jScope}): nothing of it leaves a call.
 */
public final class Nd4jTensor {
    final INDArray value;
    final int[] shape;
    final boolean requiresGrad;
    INDArray grad;
    /** Whether {@link #grad} was allocated for this tensor alone (so it may be accumulated into in place). */
    boolean gradOwned;

    Nd4jTensor(INDArray value, boolean requiresGrad) {
        this.value = value;
        this.shape = Nd4jArrays.intShape(value);
        this.requiresGrad = requiresGrad;
    }

    /** The ND4J array (read only). */
    public INDArray array() {
        return value;
    }

    /** The accumulated gradient, or null when none flowed here. */
    public INDArray gradient() {
        return grad;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }

    @Override
    public String toString() {
        return "Nd4jTensor[" + value.dataType() + " " + Arrays.toString(shape) + (requiresGrad ? ", grad" : "") + "]";
    }
}
