package org.lincde.spi;

/**
 * A depth-wise causal short convolution followed by SiLU (docs/models/deltanet.md §8),
 * run by a backend's fused kernel, offered through {@link TensorOps#fusedShortConv}: per batch row and channel
 * {@code e}, with zeros before the sequence start,
 * <pre>
 *   c_t[e] = b[e] + Σ_{j<K} w[e, 0, j] · x_{t−(K−1)+j}[e],   y_t[e] = SiLU(c_t[e]) = c_t[e] σ(c_t[e])
 * </pre>
 * ({@code nn.Conv1d(groups=E, padding=K−1)} cut to the first L outputs, then SiLU: fla's {@code ShortConvolution}).
 * Must agree with the generic graph within float rounding, forward and backward (gradients of {@code x}, the
 * weight and the bias).
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface ShortConvKernel<T> {
    /**
     * The outputs {@code y (B, L, E)}.
     *
     * @param x      inputs {@code (B, L, E)}
     * @param weight the depth-wise kernel {@code (E, 1, K)}
     * @param bias   {@code (E)}, or null for none
     */
    T outputs(T x, T weight, T bias);
}
