/**
 * One class per table or figure of the two papers: the runs it needs in each profile, and how it renders
 * their records (Markdown and CSV tables, figures) beside the published numbers with a verdict per cell.
 * A system the paper compares that lincde cannot run yet keeps its row, marked "not reproduced" with the
 * reason.
 */
package org.lincde.tables.artifacts;
