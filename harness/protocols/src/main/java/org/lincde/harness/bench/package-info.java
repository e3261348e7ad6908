/**
 * Measured costs: {@link org.lincde.harness.bench.TrainStepBenchmark} times whole training steps
 * ({@code lincde bench}, one JSON line per run), {@link org.lincde.harness.bench.CostRunPlan} measures a
 * structure's parameter count, step time and scan time for the SLiCE cost table. Speed is measured here,
 * never in a unit test.
 */
package org.lincde.harness.bench;
