/**
 * R2's toy signature regression data (SPEC §3.3):
 * {@link org.lincde.harness.data.toy.ToySignatureDataset}.
 */
package org.lincde.harness.data.toy;
