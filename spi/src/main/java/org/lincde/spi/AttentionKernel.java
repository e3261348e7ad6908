package org.lincde.spi;

/**
 * Engine-fused pieces of a Transformer layer (SPEC §2.7), offered through {@link TensorOps#fusedAttention}:
 * the affine maps as one engine op each (the product and the bias in one GEMM call, instead of a product and a
 * separate pass over its output), which lets the layer project Q, K and V in one product of the stacked
 * weights. The same math as {@code org.lincde.spi.model.Layers#linear}: it must agree with the generic graph
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
}
