/**
 * Rendering shared by the artifacts: Markdown/CSV tables, summary statistics over seeds (mean ± population
 * std, as the authors' analysis scripts compute it) and XChart figures in PNG, SVG and PDF.
 */
package org.lincde.tables.render;
