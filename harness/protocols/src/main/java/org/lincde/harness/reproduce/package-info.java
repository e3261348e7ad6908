/**
 * {@code lincde reproduce} and {@code lincde report}: the {@link org.lincde.harness.reproduce.Artifact}
 * service (one per paper table or figure, implemented in {@code paper-tables}), the three
 * {@link org.lincde.harness.reproduce.Profile profiles}, the {@link org.lincde.harness.reproduce.Reproducer}
 * that runs every planned run without a record (this shard's only), the verdicts beside the published
 * numbers, the cross-backend agreement table and the report ({@code index.md}, {@code index.html}).
 */
package org.lincde.harness.reproduce;
