/**
 * The ND4J backend: float32 and float64 on nd4j-native (OpenBLAS), an eager reverse-mode tape over ND4J
 * arrays, fused Linear CDE recurrences for every field with a step kernel.
 *
 * <p>Public API: {@link org.lincde.backend.nd4j.Nd4jBackend} only, which other modules find through
 * {@link java.util.ServiceLoader}; its sessions and models are package-private and follow the SPI
 * contracts (the training-step policy is {@code org.lincde.spi.model.TrainableModel}'s). The engine
 * glue lives in {@code org.lincde.backend.nd4j.internal}, which is not API.
 */
package org.lincde.backend.nd4j;
