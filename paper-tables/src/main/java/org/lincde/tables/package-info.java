/**
 * The papers' tables and figures as {@link org.lincde.harness.reproduce.Artifact} services, with the
 * published numbers they are shown beside ({@link org.lincde.tables.PaperTargets}, from
 * {@code paper_targets.json}; sources in docs/PAPER_RESULTS.md).
 */
package org.lincde.tables;
