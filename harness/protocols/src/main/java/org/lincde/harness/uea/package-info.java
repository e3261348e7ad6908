/**
 * R3's UEA experiments (SPEC §3.5, §4.3) with the log-linear CDEs and R3's SSM baselines: the per-dataset settings
 * ({@link org.lincde.harness.uea.UeaExperiment}, {@link org.lincde.harness.uea.SsmSettings}), the models
 * ({@link org.lincde.harness.uea.UeaModel}: {@link org.lincde.harness.uea.LinearNcdeVariant}, {@link org.lincde.harness.uea.R3Baseline}),
 * the training loop with R3's early stopping and test-at-best selection
 * ({@link org.lincde.harness.uea.UeaTrainer}, {@link org.lincde.harness.uea.EarlyStopping}) and the run plan
 * ({@link org.lincde.harness.uea.UeaRunPlan}); datasets are found by {@link org.lincde.harness.uea.UeaDataLocator}.
 */
package org.lincde.harness.uea;
