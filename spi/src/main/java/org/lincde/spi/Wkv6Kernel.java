package org.lincde.spi;

/**
 * RWKV-6's state recurrence (docs/models/rwkv.md §"Fused RWKV-6 recurrence") run by a backend's fused kernel,
 * offered through {@link TensorOps#fusedWkv6}: per batch row and head, {@code S_0 = 0},
 * <pre>
 *   o_t = S_{t−1}ᵀ q_t + (q_t · (u ⊙ k_t)) v_t,     S_t = diag(e^{w_t}) S_{t−1} + k_t v_tᵀ
 * </pre>
 * The same map as {@code org.lincde.spi.model.baseline.Rwkv6Layer.recurrent} and {@code RwkvChunked.rwkv6}: it
 * must agree with them within float rounding, forward and backward (gradients of all five inputs); the
 * conformance kit compares the model's fused and generic paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface Wkv6Kernel<T> {
    /**
     * The outputs {@code o (B, L, H, V)}.
     *
     * @param q receptance {@code (B, L, H, K)}
     * @param k keys {@code (B, L, H, K)}
     * @param v values {@code (B, L, H, V)}
     * @param w log decays {@code (B, L, H, K)} (finite, ≤ 0 in the layer)
     * @param u bonus {@code (H, K)}
     */
    T outputs(T q, T k, T v, T w, T u);

    /**
     * The block's input {@code x} as this backend's backward wants it, with the same values: a backend whose
     * backward runs in phases (the engine's pass, then each kernel's) may cut its graph there, so that each phase
     * walks one block once instead of walking the earlier blocks again. The default is {@code x} itself.
     */
    default T blockInput(T x) {
        return x;
    }
}
