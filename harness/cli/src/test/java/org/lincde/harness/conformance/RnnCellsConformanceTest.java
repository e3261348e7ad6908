package org.lincde.harness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * R1's LSTM and R2's tanh-RNN model through the conformance kit on every backend of the harness's test class path,
 * float64 and float32: on djl they run the fused recurrence ({@code TensorOps.fusedRnnCells}, the first layer from
 * the embedding table's product: the cases' vocabulary of 5 is below B·L = 10; the tanh RNN's kernel is opt-in,
 * {@code -Dlincde.djl.rnnCells=all}, set here), which the fused-vs-generic check compares with the step loops
 * (logits and every gradient), beside forward, gradients and 5 AdamW steps against the float64 reference.
 */
class RnnCellsConformanceTest {
    @Test
    void everyBackendAgreesWithTheReferenceOnTheLstmAndTheRnn() {
        List<ModelCase> cases = BaselineCase.all().stream()
                .filter(c -> c.name().equals("lstm") || c.name().equals("r2-rnn")).toList();
        assertThat(cases).hasSize(2);
        String before = System.getProperty("lincde.djl.rnnCells");
        System.setProperty("lincde.djl.rnnCells", "all");
        ConformanceReport report;
        try {
            report = ConformanceKit.discover().modelCases(cases).build().run();
        } finally {
            if (before == null) {
                System.clearProperty("lincde.djl.rnnCells");
            } else {
                System.setProperty("lincde.djl.rnnCells", before);
            }
        }
        System.out.println(report.toMarkdown(false));
        assertThat(report.failures()).as("failed cases:%n%s", report.failureDetails()).isEmpty();
        for (ModelCase c : cases) {
            List<CaseResult> rows = report.results().stream().filter(r -> c.name().equals(r.model())).toList();
            assertThat(rows.stream().filter(r -> r.backend().equals("djl") && r.check() == Check.FUSED_VS_GENERIC
                    && r.outcome() == Outcome.PASS).count()).as(c.name() + " djl fused-vs-generic").isEqualTo(2L);
            assertThat(rows.stream().map(CaseResult::backend).distinct()).contains("reference", "djl", "nd4j");
        }
    }
}
