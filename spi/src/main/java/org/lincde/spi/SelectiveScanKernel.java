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
}
