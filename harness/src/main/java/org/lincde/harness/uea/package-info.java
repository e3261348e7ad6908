/**
 * R3's UEA experiments with the log-linear CDEs (SPEC §3.5, §4.3): the per-dataset settings
 * ({@link org.lincde.harness.uea.UeaExperiment}), the variants ({@link org.lincde.harness.uea.LinearNcdeVariant}),
 * the training loop with R3's early stopping and test-at-best selection
 * ({@link org.lincde.harness.uea.UeaTrainer}, {@link org.lincde.harness.uea.EarlyStopping}) and the run plan
 * ({@link org.lincde.harness.uea.UeaRunPlan}); datasets are found by {@link org.lincde.harness.uea.UeaDataLocator}.
 */
package org.lincde.harness.uea;
