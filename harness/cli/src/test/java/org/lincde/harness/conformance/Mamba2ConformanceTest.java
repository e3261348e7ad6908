package org.lincde.harness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * R1's Mamba2 through the conformance kit on every backend of the harness's test class path, float64 and float32:
 * the recurrent-form case (its scan pass is the chunked form, the fused mixer on djl and nd4j) and the
 * chunked-form case, whose every pass takes the fused mixer on djl and nd4j, so its oracle checks and
 * fused-vs-generic check compare the kernel (docs/models/mamba2.md §"Fused mixer").
 */
class Mamba2ConformanceTest {
    @Test
    void everyBackendAgreesWithTheReferenceOnMamba2() {
        List<ModelCase> cases = BaselineCase.all().stream().filter(c -> c.name().startsWith("r1-mamba2")).toList();
        assertThat(cases).extracting(ModelCase::name).containsExactly("r1-mamba2", "r1-mamba2-chunked");
        ConformanceReport report = ConformanceKit.discover().modelCases(cases).build().run();
        System.out.println(report.toMarkdown(false));
        assertThat(report.failures()).as("failed cases:%n%s", report.failureDetails()).isEmpty();
        List<CaseResult> chunked = report.results().stream().filter(r -> "r1-mamba2-chunked".equals(r.model())).toList();
        for (String backend : List.of("djl", "nd4j")) {
            assertThat(chunked.stream().filter(r -> backend.equals(r.backend()) && r.check() == Check.FUSED_VS_GENERIC
                    && r.outcome() == Outcome.PASS).count()).as(backend + " fused vs generic").isEqualTo(2L);
        }
    }
}
