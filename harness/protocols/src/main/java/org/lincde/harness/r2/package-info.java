/**
 * The deep selective SSM code base's protocols (R2, Cirone et al. 2024; SPEC §1.4, §2.8, §3.1, §4.2):
 * its YAML experiment configs read strictly ({@link org.lincde.harness.r2.LcdeA5Config},
 * {@link org.lincde.harness.r2.SsmA5Config}, {@link org.lincde.harness.r2.LcdeToyConfig},
 * {@link org.lincde.harness.r2.SsmToyConfig}), its A5 data pipeline ({@link org.lincde.harness.r2.R2A5Task}),
 * and the A5 experiment as run plans ({@link org.lincde.harness.r2.R2A5Experiment}).
 *
 * <p>Design of the A5 minimum-depth search. R2 walks the lengths of one model in order and drops every
 * depth that failed at a length for all longer lengths ({@link org.lincde.harness.r2.MonotoneDepthSearch}).
 * The depths tried at length N therefore depend on every shorter length, so a model's lengths are not
 * independent units: one {@link org.lincde.harness.r2.SsmA5SearchPlan} per model walks all its lengths,
 * and its record holds the whole search. Models remain independent (and shardable). Resumption inside a
 * search comes from a per-(length, depth) journal in the run context's checkpoint folder where one is
 * given ({@code lincde experiment}). The Linear CDE has one block and R2 trains every length, so it is
 * one {@link org.lincde.harness.r2.LcdeA5RunPlan} per length.
 *
 * <p>Seeds: PyTorch's and JAX's generator streams cannot be matched; every draw comes from named
 * {@link org.lincde.spi.Rng} streams of the run seed (model init, dropout, split, batch order), each
 * documented where it is drawn.
 */
package org.lincde.harness.r2;
