/**
 * Data for the training loop. {@link org.lincde.harness.data.TokenTask} is the contract for the
 * sequence-to-sequence token tasks of the R1 protocol (SPEC §4.1): the A5 word problem
 * ({@code a5}, SPEC §3.1) and the formal-language tasks ({@code formal}, SPEC §3.2), built by name
 * with {@link org.lincde.harness.data.TokenTasks#create} from
 * {@link org.lincde.harness.data.TaskOptions}. Every batch is a pure function of the options and
 * the step, drawn from {@link org.lincde.spi.Rng} streams.
 */
package org.lincde.harness.data;
