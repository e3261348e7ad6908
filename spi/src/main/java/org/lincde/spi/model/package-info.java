/**
 * The Linear CDE models written once over {@link org.lincde.spi.TensorOps}, so every backend runs the same
 * graph: R1's {@link org.lincde.spi.model.LinearCdeLayer} and {@link org.lincde.spi.model.StackedLinearCde}
 * (SPEC §1.1–1.2), R2's {@link org.lincde.spi.model.FixedStepLinearCde} and
 * {@link org.lincde.spi.model.A5LinearCde} (§1.4), R3's {@link org.lincde.spi.model.LogLinearCde} (§1.5),
 * with the losses, dropout and the reference AdamW update every backend is checked against.
 */
package org.lincde.spi.model;
