/**
 * The DJL backend: libtorch 2.7.1 through DJL 0.35.1, offline, float32 and float64, CPU (CUDA with
 * {@code -Pcuda}).
 *
 * <p>Public API: {@link org.lincde.backend.djl.DjlBackend} only, which other modules find through
 * {@link java.util.ServiceLoader}; sessions, models and the forward hooks are package-private and follow
 * the SPI contracts (the training-step policy is {@code org.lincde.spi.model.TrainableModel}'s). The
 * engine glue, {@code TensorOps} implementation included, lives in {@code org.lincde.backend.djl.internal},
 * which is not API. Arrows point one way: this package imports {@code internal}, never the reverse.
 *
 * <p>Fast path (when {@code SessionOptions.fusedKernels()}): the spi model graph with (1) fused Java
 * recurrences for every field with a step kernel, joined to libtorch's autograd by a multi-phase
 * backward, and, through {@code StackedLinearCde.ForwardHooks} ({@code DjlForwardHooks}), (2) graph cuts
 * at block boundaries so each backward phase walks its own segment once, (3) block 0's coefficients
 * gathered from a vocabulary-sized table, and (4) dropout masks drawn in parallel from the same
 * counter-based streams. With fused kernels off, the spi graph runs unchanged.
 */
package org.lincde.backend.djl;
