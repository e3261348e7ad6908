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

    /** Whether {@link #mambaMixer} and {@link #s6Layer} are offered; false by default. */
    default boolean fusesMambaMixer() {
        return false;
    }

    /**
     * Everything of the Mamba v1 block between {@code in_proj} and {@code out_proj}
     * ({@code org.lincde.spi.model.baseline.MambaV1Layer}), {@code (B, L, E)}:
     * <pre>
     *   [x'; z] = xz,   u = SiLU(causalConv(x')),   [δ; B; C] = u·Wxᵀ,   Δ = softplus(δ·Wdtᵀ + b)
     *   out = (scan(u, Δ, A, B, C) + D ⊙ u) ⊙ SiLU(z)
     * </pre>
     * The layer's graph computes the same; gradients of all eight inputs. Offered when {@link #fusesMambaMixer()}.
     *
     * @param xz          the input projection's output {@code (B, L, 2E)}, {@code x'} then {@code z}
     * @param convWeight  {@code conv1d.weight (E, 1, K)}
     * @param convBias    {@code conv1d.bias (E)}
     * @param xProjWeight {@code x_proj.weight (R+2N, E)}
     * @param dtProjWeight {@code dt_proj.weight (E, R)}
     * @param dtProjBias  {@code dt_proj.bias (E)}
     * @param a           {@code A = −exp(A_log) (E, N)}
     * @param d           {@code D (E)}
     */
    default T mambaMixer(T xz, T convWeight, T convBias, T xProjWeight, T dtProjWeight, T dtProjBias, T a, T d) {
        throw new UnsupportedOperationException("this selective scan does not fuse the Mamba v1 mixer");
    }

    /**
     * The whole S6 layer ({@code org.lincde.spi.model.baseline.S6Layer}) as one op, {@code (B, L, E)}:
     * {@code [δ; B; C] = x·Wxᵀ}, {@code Δ = softplus(δ·Wdtᵀ + b)}, {@code out = scan(x, Δ, A, B, C) + D ⊙ x}
     * ({@link #mambaMixer} without the convolution and the gate). Offered when {@link #fusesMambaMixer()}.
     */
    default T s6Layer(T x, T xProjWeight, T dtProjWeight, T dtProjBias, T a, T d) {
        throw new UnsupportedOperationException("this selective scan does not fuse the S6 layer");
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
