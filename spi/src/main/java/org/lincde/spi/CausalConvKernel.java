package org.lincde.spi;

/**
 * A depth-wise causal convolution (docs/models/xlstm.md §"Causal convolution as one op") run as one backend op,
 * offered through {@link TensorOps#fusedCausalConv}: per batch row and channel {@code e}, with zeros before the
 * sequence start,
 * <pre>
 *   out_t[e] = b[e] + Σ_{j<K} w[e, 0, j] · x_{t−(K−1)+j}[e]
 * </pre>
 * ({@code nn.Conv1d(groups=E, padding=K−1)} cut to the first L outputs). The same map as the generic graph of
 * shifted slices ({@code MambaV1Layer.causalConv}): it must agree with it within float rounding, forward and
 * backward (gradients of {@code x}, the weight and the bias).
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
@FunctionalInterface
public interface CausalConvKernel<T> {
    /**
     * The outputs {@code (B, L, E)}.
     *
     * @param x      inputs {@code (B, L, E)}
     * @param weight the depth-wise kernel {@code (E, 1, K)}
     * @param bias   {@code (E)}, or null for none (fla's {@code ShortConvolution} of the DeltaNet family)
     */
    T outputs(T x, T weight, T bias);
}
