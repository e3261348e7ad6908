/**
 * Engine glue of the ND4J backend, not API: the {@code TensorOps} tape over ND4J arrays, the fused
 * recurrence, parameter arrays and AdamW, workspaces and native loading. Its types are public only so
 * that {@code org.lincde.backend.nd4j} can use them; no other module imports this package, and it
 * imports nothing from {@code org.lincde.backend.nd4j}.
 */
package org.lincde.backend.nd4j.internal;
