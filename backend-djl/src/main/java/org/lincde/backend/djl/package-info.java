/**
 * The DJL backend: libtorch 2.7.1 through DJL 0.35.1, offline, float32 and float64, CPU (CUDA with
 * {@code -Pcuda}). {@link org.lincde.backend.djl.DjlBackend} is the only type other modules need (and
 * they find it through {@link java.util.ServiceLoader}); sessions, models and the
 * {@link org.lincde.spi.TensorOps} implementation follow the SPI contracts.
 *
 * <p>Fast path (when {@code SessionOptions.fusedKernels()}): the spi model graph with (1) fused Java
 * recurrences for the built-in structures joined to libtorch's autograd by a multi-phase backward,
 * (2) graph cuts at block boundaries so each backward phase walks its own segment once, (3) block 0's
 * coefficients gathered from a vocabulary-sized table, and (4) dropout masks drawn in parallel from
 * the same counter-based streams. With fused kernels off, the spi graph runs unchanged.
 */
package org.lincde.backend.djl;
