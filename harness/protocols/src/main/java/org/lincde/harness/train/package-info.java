/**
 * The R1 training loop (SPEC §4.1) shared by the token-task protocols: evaluation every
 * {@code print_steps}, early stop above the threshold, the learning-rate schedule, token accuracy as R1
 * computes it, and a listener for progress bars. The backends do the step itself
 * ({@link org.lincde.spi.SequenceModel#trainStep}).
 */
package org.lincde.harness.train;
