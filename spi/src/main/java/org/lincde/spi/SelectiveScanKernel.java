package org.lincde.spi;

/**
 * The selective scan of S6 and the Mamba v1 block (SPEC §2.2; mamba_ssm's {@code selective_scan_ref},
 * {@code mamba_ssm/ops/selective_scan_interface.py}) run by a backend's fused kernel, offered through
 * {@link TensorOps#fusedSelectiveScan}. With zero initial state, for every batch row {@code b}, channel
 * {@code e} and state {@code n}:
 * <pre>
 *   h_t[e, n] = exp(Δ_t[e]·A[e, n])·h_{t−1}[e, n] + Δ_t[e]·u_t[e]·B_t[n]
 *   y_t[e]    = Σ_n C_t[n]·h_t[e, n]
 * </pre>
 * (no {@code D ⊙ u} skip, no gate, no softplus: the caller does those in its graph). It must agree
 * with the generic graph ({@code org.lincde.spi.model.baseline.S6Layer} over
 * {@code DiagonalRecurrence}) within float rounding, forward and backward (gradients of {@code u},
 * {@code Δ}, {@code A}, {@code B}, {@code C}); the conformance kit compares the fused and generic paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface SelectiveScanKernel<T> {
    /**
     * The outputs {@code y}, {@code (B, L, E)}.
     *
     * @param u     the input {@code (B, L, E)}
     * @param delta the step {@code Δ} {@code (B, L, E)} (already positive: after softplus)
     * @param a     the continuous-time diagonal {@code A} {@code (E, N)} (negative for a stable scan)
     * @param b     the input-dependent {@code B} {@code (B, L, N)}
     * @param c     the input-dependent {@code C} {@code (B, L, N)}
     */
    T outputs(T u, T delta, T a, T b, T c);

    /**
     * Whether {@link #outputs(Object, Object, Object, Object, Object, Object, Object)} (the scan with the
     * {@code D ⊙ u} skip and the Mamba v1 gate) is offered; false by default.
     */
    default boolean fusesSkipAndGate() {
        return false;
    }

    /**
     * {@code (y + D ⊙ u) ⊙ SiLU(z)}, {@code (B, L, E)}, with {@code y} the scan of
     * {@link #outputs(Object, Object, Object, Object, Object)}; without the gate when {@code z} is null (S6
     * alone). The layer's graph computes the same from {@code y}; a backend that takes the skip and the gate into
     * its kernel saves their element-wise ops and lets its backward reach the layer's graph in one pass. Offered
     * when {@link #fusesSkipAndGate()}; gradients of all seven inputs.
     *
     * @param d the skip weight {@code D (E)}
     * @param z the gate's input {@code (B, L, E)} (before SiLU), or null for none
     */
    default T outputs(T u, T delta, T a, T b, T c, T d, T z) {
        throw new UnsupportedOperationException("this selective scan does not fuse the skip and the gate");
    }

    /**
     * The input {@code x} of the layer that runs this scan (S6, or the Mamba v1 block), with the same values: a
     * backend whose scan's backward runs as a separate phase may cut its graph here, so that each phase walks
     * only its own layer's graph (docs/models/selective-scan.md §1). The default returns {@code x}.
     */
    default T layerInput(T x) {
        return x;
    }
}
