/**
 * The reference backend: the float64 pure-Java oracle every other backend is compared with.
 *
 * <p>Public API: {@link org.lincde.backend.reference.ReferenceBackend} only, which other modules find
 * through {@link java.util.ServiceLoader} (or construct, to get the oracle by name in tests); the tape,
 * its ops, sessions and models are package-private and follow the SPI contracts (the training-step
 * policy is {@code org.lincde.spi.model.TrainableModel}'s).
 */
package org.lincde.backend.reference;
