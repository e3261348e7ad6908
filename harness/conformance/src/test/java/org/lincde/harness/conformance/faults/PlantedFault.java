package org.lincde.harness.conformance.faults;

/**
 * Faults the {@link FaultyBackend} can plant, each switchable on its own (docs/STYLE.md §7: the kit must fail
 * when it should; letting one through is a regression).
 */
public enum PlantedFault {
    /** {@code tanh}'s gradient has the wrong sign (its value is right). */
    GRADIENT_SIGN_FLIP,
    /** The backend's scan kernel is off by one: state {@code i} gets the prefix product of {@code i−1} steps. */
    SCAN_OFF_BY_ONE,
    /** Every op's result is rounded to float32 while the session claims float64. */
    FLOAT32_ROUNDING,
    /** The sparse structure's gradient mask ({@code mask_grads}) is not applied. */
    IGNORES_GRADIENT_MASK,
    /** The fused block-diagonal kernel multiplies by {@code M_jᵀ} instead of {@code M_j}. */
    TRANSPOSED_BLOCK,
    /**
     * {@code matmul}'s result is off by 10⁻⁴ relative (scaled by {@code 1 + 1e-4}, gradient included): a kernel
     * slightly wrong, as a mis-rounded constant or a lost accumulation term would make it. Too small to change an
     * accuracy at smoke size; the cross-backend agreement table must still flag it.
     */
    MATMUL_DRIFT,
    /** {@code walshHadamard} throws an {@link UnsupportedOperationException} that capabilities() never declared. */
    UNDECLARED_UNSUPPORTED_OP
}
