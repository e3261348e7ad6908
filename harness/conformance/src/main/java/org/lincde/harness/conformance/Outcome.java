package org.lincde.harness.conformance;

/**
 * The result of one conformance case (docs/STYLE.md D4). Stricter than DJL's runner: a case is
 * {@link #UNSUPPORTED} only when the backend declared it so up front in its
 * {@link org.lincde.spi.BackendCapabilities}; an undeclared {@link UnsupportedOperationException} is a
 * {@link #FAIL}.
 */
public enum Outcome {
    /** Every compared tensor is within its tolerance, every invariant holds. */
    PASS,
    /** A tensor is outside its tolerance, an invariant is broken, or the case threw. */
    FAIL,
    /** Not run, with a stated reason (no fused kernels declared, not applicable, known gap, backend absent). */
    SKIP,
    /** The backend declared up front that it does not do this (a dtype it does not compute in). */
    UNSUPPORTED
}
