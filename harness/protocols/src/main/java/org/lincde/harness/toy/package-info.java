/**
 * R2's toy signature experiment (SPEC §1.4, §3.3, §4.2; Figure 1 of the deep selective SSM paper): the
 * untrained random Linear CDE feature map ({@link org.lincde.harness.toy.RandomLinearCde}) solved with
 * adaptive Tsit5 ({@link org.lincde.harness.toy.OdeSolver}) or Euler, the least-squares readout
 * ({@link org.lincde.harness.toy.LeastSquares}), and run plans for the "Random Linear CDE + OLS" rows
 * ({@link org.lincde.harness.toy.ToyLcdeRunPlan}) and the trained S4/Mamba regressors
 * ({@link org.lincde.harness.toy.ToySsmRunPlan}, whose models come from {@link org.lincde.harness.toy.ToyRegressors}).
 */
package org.lincde.harness.toy;
