/**
 * The built-in SLiCE structures of the vector field {@code A(u) = Σ u_i A_i} (SPEC §1.1): diagonal,
 * block-diagonal, dense, sparse, Walsh–Hadamard, DPLR and diagonal-dense, each a
 * {@link org.lincde.spi.Structure} registered with {@code @AutoService} exactly as a plugin is, with a
 * plain-{@code double[]} dense materialisation that the conformance kit checks the generic transition
 * against.
 */
package org.lincde.spi.structure;
