package org.lincde.examples.banded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.harness.conformance.Check;
import org.lincde.harness.conformance.ConformanceKit;
import org.lincde.harness.conformance.ConformanceReport;
import org.lincde.harness.conformance.Outcome;
import org.lincde.spi.StructureSpec;

/**
 * The plugin's conformance test (JUnit's EngineTestKit idea, docs/STYLE.md J5): the kit runs on the structure
 * instance against every backend on this module's test class path and the float64 oracle.
 */
class BandedConformanceTest {

    @Test
    void bandedStructureConformsOnEveryBackend() {
        ConformanceReport report = ConformanceKit.forStructure(new BandedStructure(),
                StructureSpec.of(BandedStructure.ID), StructureSpec.of(BandedStructure.ID, "bandwidth", "2"),
                StructureSpec.of(BandedStructure.ID, "bandwidth", "0"));
        System.out.println(report.toMarkdown(false));
        assertThat(report.failures()).as("%s", report.failureDetails()).isEmpty();
        assertThat(report.counts().get(Outcome.PASS)).isPositive();
        // the finite-difference cases ran on the reference for every bandwidth, in both models that have a
        // vector field (R1's stacked LCDE and R3's log-linear CDE)
        assertThat(report.results().stream().filter(r -> r.check() == Check.FINITE_DIFFERENCES
                && r.outcome() == Outcome.PASS).map(r -> r.structure() + " " + r.model()).distinct()).hasSize(6);
        assertThat(report.results().stream().filter(r -> r.check() == Check.RECURRENT_VS_SCAN
                && r.outcome() == Outcome.PASS)).isNotEmpty();
    }
}
