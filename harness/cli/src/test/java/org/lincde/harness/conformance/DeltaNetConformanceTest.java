package org.lincde.harness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * R1's fla delta-rule baselines (DeltaNet, DeltaNet[-1,1], Gated DeltaNet, Gated DeltaProduct[-1,1]) through the
 * conformance kit on every backend of the harness's test class path, float64 and float32: forward, gradients,
 * 5 AdamW steps against the float64 reference, and the chunked (WY/UT) form against the recurrent one.
 */
class DeltaNetConformanceTest {
    @Test
    void everyBackendAgreesWithTheReferenceOnTheDeltaRuleModels() {
        List<ModelCase> cases = BaselineCase.all().stream().filter(c -> c.name().startsWith("r1-delta")
                || c.name().equals("r1-gateddeltanet")).toList();
        assertThat(cases).hasSize(4);
        ConformanceReport report = ConformanceKit.discover().modelCases(cases).build().run();
        System.out.println(report.toMarkdown(false));
        assertThat(report.failures()).as("failed cases:%n%s", report.failureDetails()).isEmpty();
        for (ModelCase c : cases) {
            List<CaseResult> rows = report.results().stream().filter(r -> c.name().equals(r.model())).toList();
            assertThat(rows).extracting(CaseResult::check).contains(Check.FORWARD, Check.GRADIENTS,
                    Check.RECURRENT_VS_SCAN, Check.ADAMW);
            assertThat(rows.stream().map(CaseResult::backend).distinct()).contains("reference", "djl", "nd4j");
            assertThat(rows.stream().filter(r -> r.outcome() == Outcome.PASS).count())
                    .as(c.name()).isGreaterThanOrEqualTo(25L); // reference float64: 5; djl and nd4j: 5 checks × 2 dtypes
        }
    }
}
