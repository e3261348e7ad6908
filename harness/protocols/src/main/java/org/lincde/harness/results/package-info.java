/**
 * The results store: one JSON record per finished run under {@code results/<artifact>/<key>.json}, keyed
 * by the SHA-256 of the run's canonical resolved config ({@link org.lincde.harness.results.CanonicalJson}),
 * written atomically, with what was observed about the run kept apart from what was configured
 * ({@link org.lincde.harness.results.Provenance}).
 */
package org.lincde.harness.results;
