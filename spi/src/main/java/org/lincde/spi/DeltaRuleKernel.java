package org.lincde.spi;

/**
 * The (gated) delta rule (docs/models/deltanet.md §8) run by a backend's fused kernel,
 * offered through {@link TensorOps#fusedDeltaRule}: per batch row and head, {@code S_0 = 0},
 * <pre>
 *   S_t = α_t (I − β_t k_t k_tᵀ) S_{t−1} + β_t k_t v_tᵀ,   o_t = S_tᵀ q_t · d_k^{−1/2},   α_t = e^{g_t} (1 without g)
 * </pre>
 * The same map as {@code org.lincde.spi.model.baseline.DeltaRule.recurrent} and {@code DeltaRule.chunked}: it must
 * agree with them within float rounding, forward and backward (gradients of every input); the conformance kit
 * compares the models' fused and generic paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface DeltaRuleKernel<T> {
    /**
     * The outputs {@code o (B, H, T, d_v)}.
     *
     * @param q    queries {@code (B, H, T, d_k)} (not yet scaled by {@code d_k^{−1/2}})
     * @param k    keys {@code (B, H, T, d_k)}
     * @param v    values {@code (B, H, T, d_v)}
     * @param beta write strengths {@code (B, H, T)}
     * @param g    log decays {@code (B, H, T)}, or null for none
     */
    T outputs(T q, T k, T v, T beta, T g);
}
