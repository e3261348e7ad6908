/**
 * The A5 word problem (SPEC §3.1): the group ({@link org.lincde.harness.data.a5.A5Group}), its
 * sequence data sets ({@link org.lincde.harness.data.a5.A5Dataset}), R1's CSV format
 * ({@link org.lincde.harness.data.a5.A5Csv}) and the training task
 * ({@link org.lincde.harness.data.a5.A5Task}).
 */
package org.lincde.harness.data.a5;
