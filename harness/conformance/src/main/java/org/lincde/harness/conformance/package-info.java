/**
 * The conformance kit (ARCHITECTURE.md in docs/, "Conformance"): for every backend, model, structure and
 * dtype it compares forward outputs, gradients and a few AdamW steps with the float64 reference backend,
 * the reference's own gradients with central finite differences, recurrent with scan evaluation and fused
 * with generic paths, and checks the structure invariants. Outcomes are PASS, FAIL, SKIP (with a reason)
 * and UNSUPPORTED (only where a backend declared it), each with the tensor, the worst error, its index and
 * the {@link org.lincde.harness.conformance.Tolerance}.
 *
 * <p>This package needs only {@code lincde-spi}: an outside backend or structure plugin tests itself with
 * {@code lincde-conformance} and the reference backend at test scope alone. Known, explained gaps of the
 * built-in backends are listed in {@code conformance/known-gaps-<backend>.txt} on the class path.
 */
package org.lincde.harness.conformance;
