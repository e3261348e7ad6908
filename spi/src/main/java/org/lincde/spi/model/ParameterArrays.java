package org.lincde.spi.model;

import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Stability;

/**
 * The array arithmetic one backend lends {@link TrainableModel}: how a parameter is stored and read
 * back, and the element-wise pieces of a training step. Which tensors are touched, in which order
 * and when (masks, the non-finite guard, step counting, the moments' lifetime) is
 * {@link TrainableModel}'s policy, written once; an implementation only computes.
 *
 * @param <A> the backend's array type ({@code double[]} on the JVM, an ND4J array, …)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public interface ParameterArrays<A> {

    /** An array holding {@code value} (its shape already checked against {@code shape}) for the model's life. */
    A store(ParameterShape shape, HostTensor value);

    /** The element type {@code value} reports from {@code SequenceModel.parameters()} once stored. */
    ElementType storedType(ParameterShape shape, HostTensor value);

    /** A host copy of {@code a}, which has {@code shape}, with element type {@code type}. */
    HostTensor toHost(A a, int[] shape, ElementType type);

    /** Zeros shaped as {@code like} for one call: the gradient of a parameter no backward pass reached. */
    A zerosLike(A like);

    /** Zeros shaped as {@code like} that live as long as the model: an optimiser moment. */
    A momentLike(A like);

    /** {@code gradient ⊙ mask} (in place on {@code gradient} or a new array). */
    A mask(A gradient, A mask);

    /** Whether every element of {@code gradient} is finite (no NaN, no ±∞). */
    boolean allFinite(A gradient);

    /**
     * One AdamW update of {@code w}, {@code m}, {@code v} in place (read: {@code g}): the arithmetic of
     * {@link AdamWUpdate}, in the backend's own (possibly fused) form.
     *
     * @param step  1-based optimiser step
     * @param decay this parameter's weight decay ({@link OptimizerSpec.AdamW#decayFor})
     */
    void adamW(OptimizerSpec.AdamW spec, A w, A g, A m, A v, long step, double lr, double decay);

    /** Releases an array made by {@link #store} or {@link #momentLike}; nothing by default. */
    default void release(A a) {}

    /**
     * Parameters and moments as {@code double[]} holding exactly {@code storage}'s values: float32
     * values are rounded after loading and after every update, as float32 storage would round them.
     * The update is {@link AdamWUpdate} itself.
     */
    static ParameterArrays<double[]> doubles(DType storage) {
        return new DoubleParameterArrays(storage == DType.FLOAT32);
    }
}
