/**
 * R1's protocol (SPEC §4.1) as run plans: a {@link org.lincde.harness.run.RunPlan} is one idempotent unit
 * of a reproduction (its resolved config is its key). {@link org.lincde.harness.run.TokenRunPlan} trains one
 * R1 config on A5 or a formal language; {@link org.lincde.harness.run.DepthSearchRunPlan} searches the
 * minimum depth of the A5 figures; {@link org.lincde.harness.run.ModelSpecs} maps {@code model_name} to a
 * model spec. R2's plans are in {@code harness.r2} and {@code harness.toy}, R3's in {@code harness.uea}.
 */
package org.lincde.harness.run;
