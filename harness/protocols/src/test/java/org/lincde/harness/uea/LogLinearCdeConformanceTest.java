package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.conformance.CaseResult;
import org.lincde.harness.conformance.Check;
import org.lincde.harness.conformance.ConformanceKit;
import org.lincde.harness.conformance.LogLinearCdeCase;
import org.lincde.harness.conformance.ConformanceReport;
import org.lincde.harness.conformance.Outcome;

/**
 * The log-linear CDE through the conformance kit on every backend of the harness's test class path and every
 * structure: forward, gradients, AdamW steps and chunked scan vs recurrence against the float64 reference.
 */
class LogLinearCdeConformanceTest {
    @Test
    void everyBackendAgreesWithTheReferenceOnTheLogLinearCde() {
        ConformanceReport report = ConformanceKit.discover().modelCases(List.of(LogLinearCdeCase.small())).build().run();
        System.out.println(report.toMarkdown(false));
        assertThat(report.failures()).as("failed cases:%n%s", report.failureDetails()).isEmpty();
        List<CaseResult> model = report.results().stream().filter(r -> "log_lcde".equals(r.model())).toList();
        assertThat(model).extracting(CaseResult::check).contains(Check.FORWARD, Check.GRADIENTS, Check.RECURRENT_VS_SCAN,
                Check.ADAMW);
        assertThat(model.stream().filter(r -> r.outcome() == Outcome.PASS).count()).isGreaterThan(20);
    }
}
