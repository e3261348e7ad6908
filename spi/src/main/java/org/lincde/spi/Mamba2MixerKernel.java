package org.lincde.spi;

/**
 * Everything of the {@code mamba_ssm.Mamba2} layer between its two projections, run by a backend's fused kernel
 * (docs/models/mamba2.md §"Fused mixer"), offered through {@link TensorOps#fusedMamba2Mixer}: from the input
 * projection's output {@code [z; xBC; dt]} to the gated RMSNorm's output that {@code out_proj} reads,
 * <pre>
 *   [x; B; C] = SiLU(causalConv(xBC)),   Δ = softplus(dt + dt_bias),   A = −exp(A_log)
 *   y = SSD(x·Δ, ΔA, B, C) + D ⊙ x      (the whole sequence as one chunk)
 *   out = RMSNorm(y ⊙ SiLU(z)) ⊙ w
 * </pre>
 * The same map as {@code org.lincde.spi.model.baseline.Mamba2Layer}'s generic graph (chunked or recurrent, which
 * are equal in exact arithmetic): it must agree with it within float rounding, forward and backward (gradients of
 * the projection output and of all six parameters); the conformance kit compares the model's fused and generic
 * paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface Mamba2MixerKernel<T> {
    /**
     * The gated, normalised SSD outputs {@code (B, L, E)}.
     *
     * @param zxbcdt     the input projection's output {@code (B, L, 2E+2N+H)}, in the order {@code [z, x, B, C, dt]}
     * @param convWeight {@code conv1d.weight (E+2N, 1, K)}
     * @param convBias   {@code conv1d.bias (E+2N)}
     * @param dtBias     {@code dt_bias (H)}
     * @param aLog       {@code A_log (H)}
     * @param d          {@code D (H)}
     * @param normWeight {@code norm.weight (E)}
     * @param eps        the RMSNorm's epsilon
     */
    T outputs(T zxbcdt, T convWeight, T convBias, T dtBias, T aLog, T d, T normWeight, double eps);
}
