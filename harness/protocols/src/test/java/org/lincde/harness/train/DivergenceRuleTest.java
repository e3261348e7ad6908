package org.lincde.harness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.results.CanonicalJson;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.TokenRunPlan;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;

/** Divergence is judged by the loss, the same way in float64 as in float32. */
class DivergenceRuleTest {
    @Test
    void theRuleStopsOnNonFiniteOnTheBoundAndOnGrowthByOrdersOfMagnitude() {
        assertThat(new DivergenceRule().diverged(false, 1.0)).isTrue();
        assertThat(new DivergenceRule().diverged(true, Double.NaN)).isTrue();
        assertThat(new DivergenceRule().diverged(true, 2e8)).as("above the bound on the first step").isTrue();
        DivergenceRule r = new DivergenceRule();
        assertThat(r.diverged(true, 4.1)).isFalse(); // ln 60, a fresh classifier
        assertThat(r.diverged(true, 40.0)).as("a spike of 10x").isFalse();
        assertThat(r.diverged(true, 0.001)).isFalse();
        assertThat(r.diverged(true, 4.1e4)).as("10^4 times the first loss").isFalse();
        assertThat(r.diverged(true, 4.2e4)).isTrue();
        DivergenceRule small = new DivergenceRule();
        assertThat(small.diverged(true, 1e-3)).isFalse();
        assertThat(small.diverged(true, 9e3)).as("growth is measured from at least 1").isFalse();
        assertThat(small.diverged(true, 1.1e4)).isTrue();
    }

    @Test
    void aHugeLearningRateDivergesOnTheFloat64ReferenceAndTheRecordHoldsNoNaNString() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", "parity");
        c.put("num_blocks", 1);
        c.put("model_dim", 8);
        c.put("batch_size", 4);
        c.put("num_steps", 40);
        c.put("print_steps", 5);
        c.put("learning_rate", 1e6);
        c.put("seed", 7);
        c.put("train_lengths", List.of(3, 5));
        c.put("validation_lengths", List.of(5, 6));
        c.put("validation_samples", 8);
        c.put("train_padding", 6);
        c.put("training_loop", "evaluate_first");
        R1Config config = R1Config.fromMap("lr1e6.json", c);
        try (RunContext ctx = new RunContext(BackendRegistry.discover(), StructureRegistry.discover(), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 1)) {
            RunRecord r = new TokenRunPlan("divergence", "lr 1e6", config, 0, "reference", DType.FLOAT64).execute(ctx);
            assertThat(r.status()).isEqualTo("diverged");
            assertThat(r.stepsTaken()).isLessThan(40);
            String json = CanonicalJson.pretty(r);
            assertThat(json).doesNotContain("\"NaN\"").doesNotContain("Infinity");
            assertThat(json).contains("\"trainLoss\" : null"); // step 0 of lincde's loop: no loss yet
        }
    }
}
