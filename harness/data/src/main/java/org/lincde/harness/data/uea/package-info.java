/**
 * The UEA multivariate classification pipeline of the Log-NCDE code base (SPEC §3.5, §4.3):
 * readers for the archive's {@code .ts} and relational {@code .arff} files
 * ({@link org.lincde.harness.data.uea.UeaTsReader}, {@link org.lincde.harness.data.uea.UeaArffReader}),
 * the seed-independent combination ({@link org.lincde.harness.data.uea.UeaRawDataset}), the per-run
 * processing and batching ({@link org.lincde.harness.data.uea.UeaDataset}: time channel, min–max
 * scaling, 70/15/15 split, {@link org.lincde.harness.data.uea.LogSignatureIntervals} with the
 * faithful final-interval quirk), and {@link org.lincde.harness.data.uea.UeaDownloader}.
 */
package org.lincde.harness.data.uea;
