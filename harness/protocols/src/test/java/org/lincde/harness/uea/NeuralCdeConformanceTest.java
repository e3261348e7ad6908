package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.conformance.CaseResult;
import org.lincde.harness.conformance.Check;
import org.lincde.harness.conformance.ConformanceKit;
import org.lincde.harness.conformance.ConformanceReport;
import org.lincde.harness.conformance.NeuralCdeCase;
import org.lincde.harness.conformance.Outcome;

/**
 * R3's NCDE, NRDE and Log-NCDE through the conformance kit on every backend of the harness's test class path:
 * forward, gradients and Adam steps through the whole Heun solve against the float64 reference, and the
 * reference's gradients against central differences.
 */
class NeuralCdeConformanceTest {
    @Test
    void everyBackendAgreesWithTheReferenceOnTheNeuralCdes() {
        ConformanceReport report = ConformanceKit.discover().modelCases(NeuralCdeCase.all()).build().run();
        System.out.println(report.toMarkdown(false));
        assertThat(report.failures()).as("failed cases:%n%s", report.failureDetails()).isEmpty();
        for (String model : List.of("ncde", "nrde", "log_ncde")) {
            List<CaseResult> rows = report.results().stream().filter(r -> model.equals(r.model())).toList();
            assertThat(rows).as(model).extracting(CaseResult::check).contains(Check.FORWARD, Check.GRADIENTS,
                    Check.ADAMW, Check.FINITE_DIFFERENCES);
            for (String backend : List.of("reference", "djl", "nd4j")) {
                // forward, gradients, Adam (and on the reference, finite differences); djl/nd4j in both dtypes
                long pass = rows.stream().filter(r -> r.backend().equals(backend) && r.outcome() == Outcome.PASS).count();
                assertThat(pass).as(model + " on " + backend).isGreaterThanOrEqualTo(4);
            }
            assertThat(rows).as(model).noneMatch(r -> r.outcome() == Outcome.FAIL);
            System.out.printf("%s: %d PASS of %d cases%n", model,
                    rows.stream().filter(r -> r.outcome() == Outcome.PASS).count(), rows.size());
        }
    }
}
