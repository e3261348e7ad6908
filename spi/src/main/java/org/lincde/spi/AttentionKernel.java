package org.lincde.spi;

/**
 * Engine-fused pieces of a Transformer layer (SPEC §2.7), offered through {@link TensorOps#fusedAttention}:
 * the affine maps as one engine op each (the product and the bias in one GEMM call, instead of a product and a
 * separate pass over its output), which lets the layer project Q, K and V in one product of the stacked
 * weights ({@link #linears}). The same math as {@code org.lincde.spi.model.Layers#linear}: it must agree with the generic graph
 * within float rounding, forward and backward; the conformance kit compares the models' fused and generic
 * paths (docs/models/transformer.md, "Fused path").
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface AttentionKernel<T> {
    /**
     * {@code x Wᵀ + b} over the last axis of {@code x} (PyTorch's {@code nn.Linear}).
     *
     * @param x      {@code (..., in)}
     * @param weight {@code (out, in)}
     * @param bias   {@code (out)}
     * @return {@code (..., out)}
     */
    T linear(T x, T weight, T bias);

    /**
     * Several affine maps of the same input, {@code x Wᵢᵀ + bᵢ} for each {@code i}, as one product with the
     * stacked weights {@code [W₁; …; W_n]} and biases, split back along the last axis (the queries, keys and
     * values of a layer). The outputs may be views of the one product; their gradients flow back through it.
     *
     * @param x       {@code (..., in)}
     * @param weights {@code (out, in)} each, all the same shape
     * @param biases  {@code (out)} each
     * @return {@code (..., out)} each, in the order of {@code weights}
     */
    java.util.List<T> linears(T x, java.util.List<T> weights, java.util.List<T> biases);
}
