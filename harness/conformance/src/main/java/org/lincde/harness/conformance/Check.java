package org.lincde.harness.conformance;

/**
 * The kinds of conformance case. Model checks run a {@link ModelCase} on a backend's
 * {@link org.lincde.spi.SequenceModel}; op checks run a structure's transition through the backend's
 * op-level face {@link org.lincde.spi.Session#gradient}; oracle checks concern the float64 reference and
 * the structure's own math and run once, on the oracle's row.
 */
public enum Check {
    /** Training-mode forward outputs (same dropout {@code Rng} streams) vs the float64 reference. */
    FORWARD("forward", "model outputs vs the float64 reference (training mode, same dropout streams)"),
    /** Loss and the gradient of every trainable parameter vs the float64 reference. */
    GRADIENTS("gradients", "loss and every parameter's gradient vs the float64 reference"),
    /** Associative-scan evaluation vs the recurrence on the same backend, forward and gradients. */
    RECURRENT_VS_SCAN("recurrent-vs-scan", "scan vs recurrent evaluation on the backend, forward and gradients"),
    /** Fused kernels vs the generic path ({@code SessionOptions.fusedKernels} true/false), forward and gradients. */
    FUSED_VS_GENERIC("fused-vs-generic", "fused kernels vs the generic path on the backend, forward and gradients"),
    /** Every parameter after 5 AdamW steps vs the float64 reference. */
    ADAMW("adamw-5", "parameters after 5 AdamW steps vs the float64 reference"),
    /** Gradient masks hold: masked gradients and masked weights stay exactly zero through AdamW. */
    MASK_ZEROS("mask-zeros", "masked gradients are 0 and masked weights stay exactly 0 after the AdamW steps"),
    /** The generic transition over the backend's TensorOps vs {@code denseMatrix(u)·y} in plain double math. */
    TRANSITION("transition", "generic transition A(u)·y on the backend vs denseMatrix(u)·y in plain double math"),
    /** Gradients of the transition (parameters, u, y) vs the float64 reference's op-level gradients. */
    TRANSITION_GRADIENTS("transition-grad", "gradients of the transition vs the float64 reference's op-level face"),
    /** {@code H·H = h·I} and {@code H·I} = the Sylvester matrix through the backend's walshHadamard op. */
    HADAMARD("hadamard", "H·H = h·I, H·I = Sylvester matrix and its gradient through the backend's walshHadamard"),
    /** Products of {@code I + A(u)} stay within the diagonal blocks of {@code scanBlockSize()}. */
    SCAN_BLOCKS("scan-blocks", "A(u) and products of I + A(u) stay inside the scanBlockSize() diagonal blocks"),
    /** The reference's gradients vs central finite differences of its loss. */
    FINITE_DIFFERENCES("finite-differences", "the reference's gradients vs central finite differences");

    private final String id;
    private final String description;

    Check(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The short id printed in reports and matched by known-gap patterns ({@code adamw-5}). */
    public String id() {
        return id;
    }

    /** One line saying what the case checks. */
    public String description() {
        return description;
    }

    /** The check with {@code id}; an unknown id is an error listing the known ones. */
    public static Check byId(String id) {
        for (Check c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Check c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.id);
        }
        throw new IllegalArgumentException("unknown conformance check '" + id + "' (known: " + known + ")");
    }
}
