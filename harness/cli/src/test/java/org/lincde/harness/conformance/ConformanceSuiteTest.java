package org.lincde.harness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lincde.spi.BackendRegistry;

/**
 * The conformance kit against every backend on the command line's class path (reference, DJL and ND4J)
 * and every structure found by ServiceLoader. Nothing
 * here names a backend: {@code -Dlincde.backend=ID} narrows the run to one backend (CI runs one per
 * backend, docs/STYLE.md K5), which must then open.
 */
class ConformanceSuiteTest {

    @Test
    void everyBackendOnTheClassPathConforms() {
        ConformanceKit.Builder b = ConformanceKit.discover();
        String only = System.getProperty("lincde.backend");
        if (only != null && !only.isBlank()) {
            b.onlyBackends(Set.of(only)).requireAvailable(true);
        }
        ConformanceReport report = b.build().run();
        System.out.println(report.toMarkdown(false));
        assertThat(report.results()).isNotEmpty();
        assertThat(report.counts().get(Outcome.PASS)).as("cases that passed").isPositive();
        assertThat(report.failures()).as("failed conformance cases:%n%s", report.failureDetails()).isEmpty();
        // every backend found was checked
        assertThat(report.results().stream().map(CaseResult::backend).distinct().toList())
                .containsAll(only == null || only.isBlank()
                        ? BackendRegistry.discover().all().stream().map(org.lincde.spi.Backend::id).toList()
                        : java.util.List.of(only));
    }
}
