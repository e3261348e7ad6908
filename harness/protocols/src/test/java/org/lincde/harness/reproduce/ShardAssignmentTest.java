package org.lincde.harness.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;

class ShardAssignmentTest {
    /** A D-LNCDE run at the cost table's reference size ({@link #unit()} seconds per step), {@code steps} long. */
    record Sized(int id, long steps) implements RunPlan {
        public String artifact() {
            return "a";
        }

        public String cell() {
            return "run " + id;
        }

        public Map<String, Object> config() {
            return Map.of("protocol", "r1", "model_name", "lcde", "structure", "diagonal", "id", id, "model_dim", 128,
                    "batch_size", 256, "length", 40, "num_blocks", 2);
        }

        public long plannedSteps() {
            return steps;
        }

        public RunRecord execute(RunContext context) {
            throw new UnsupportedOperationException();
        }
    }

    /** One D-LNCDE step at the reference size, as the shipped table prices it. */
    private static double unit() {
        return CostModel.secondsPerStep(new Sized(-1, 1).config());
    }

    @Test
    void longestFirstGreedyGivesTheHandComputedAssignment() {
        // costs 7,5,4,3,2,1 (x UNIT s x 1000) on two shards: 7->0, 5->1, 4->1 (9), 3->0 (10), 2->1 (11), 1->0 (11)
        List<RunPlan> plans = new ArrayList<>();
        long[] units = {3, 7, 1, 5, 2, 4};
        for (int i = 0; i < units.length; i++) {
            plans.add(new Sized(i, units[i] * 1000));
        }
        ShardAssignment a = ShardAssignment.of(plans, 2);
        assertThat(a.runs(0)).extracting(p -> p.plannedSteps() / 1000).containsExactly(7L, 3L, 1L);
        assertThat(a.runs(1)).extracting(p -> p.plannedSteps() / 1000).containsExactly(5L, 4L, 2L);
        assertThat(a.estimatedSeconds(0)).isCloseTo(11 * 1000 * unit(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.estimatedSeconds(1)).isCloseTo(11 * 1000 * unit(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void everyRunBelongsToExactlyOneShardTheSameWayWhateverTheOrderAndTheLoadIsBalanced() {
        Random r = new Random(5);
        List<RunPlan> plans = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            plans.add(new Sized(i, 100 + r.nextInt(30_000)));
        }
        ShardAssignment a = ShardAssignment.of(plans, 8);
        List<RunPlan> shuffled = new ArrayList<>(plans);
        Collections.shuffle(shuffled, new Random(9));
        ShardAssignment b = ShardAssignment.of(shuffled, 8);
        Set<String> seen = new HashSet<>();
        double max = 0;
        double sum = 0;
        double biggest = 0;
        for (int s = 0; s < 8; s++) {
            for (RunPlan p : a.runs(s)) {
                assertThat(seen.add(p.key())).as("run in two shards").isTrue();
                assertThat(a.owns(new Shard(s, 8), p.key())).isTrue();
                assertThat(b.owns(new Shard(s, 8), p.key())).as("same shard whatever the plan order").isTrue();
                biggest = Math.max(biggest, CostModel.seconds(p));
            }
            max = Math.max(max, a.estimatedSeconds(s));
            sum += a.estimatedSeconds(s);
        }
        assertThat(seen).hasSize(300);
        // Graham's bound for list scheduling: no shard exceeds the mean load by more than the largest run
        assertThat(max).isLessThanOrEqualTo(sum / 8 + biggest);
    }

    @Test
    void costScalesWithBatchLengthAndWidthSquared() {
        Map<String, Object> full = Map.of("protocol", "r1", "model_name", "lcde", "structure", "diagonal",
                "model_dim", 128, "batch_size", 256, "length", 40, "num_blocks", 2);
        Map<String, Object> half = Map.of("protocol", "r1", "model_name", "lcde", "structure", "diagonal",
                "model_dim", 64, "batch_size", 128, "length", 40, "num_blocks", 2);
        assertThat(CostModel.secondsPerStep(full)).isPositive();
        assertThat(CostModel.secondsPerStep(half))
                .isCloseTo(CostModel.secondsPerStep(full) * 0.5 * 0.25, org.assertj.core.data.Offset.offset(1e-12));
        // the LSTM is priced by its own row, not the unknown-model fallback the LNCDE rows share
        assertThat(CostModel.secondsPerStep(Map.of("protocol", "r1", "model_name", "lstm")))
                .isNotEqualTo(CostModel.secondsPerStep(Map.of("protocol", "r1", "model_name", "no-such-model")));
        // R1's "mamba" is the Mamba2 layer; R2's and R3's "mamba" is the Mamba v1 block (R1's "mamba1")
        assertThat(CostModel.secondsPerStep(Map.of("protocol", "r2-ssm-a5-depth-search", "model_name", "Mamba")))
                .isEqualTo(CostModel.secondsPerStep(Map.of("protocol", "r1", "model_name", "mamba1")))
                .isNotEqualTo(CostModel.secondsPerStep(Map.of("protocol", "r1", "model_name", "mamba")));
        // the gated fla layers: fla's heads are priced by their own (measured, tens of times DeltaNet's) rows; the
        // small heads of smoke and quick by DeltaNet's
        Map<String, Object> gated = Map.of("protocol", "r1", "model_name", "gateddeltanet");
        Map<String, Object> gatedSmall = Map.of("protocol", "r1", "model_name", "gateddeltanet", "fla_num_heads", 4,
                "fla_head_dim", 16);
        double deltanet = CostModel.secondsPerStep(Map.of("protocol", "r1", "model_name", "deltanet"));
        assertThat(CostModel.secondsPerStep(gatedSmall)).isEqualTo(deltanet);
        assertThat(CostModel.secondsPerStep(gated)).isGreaterThan(10 * deltanet);
    }

    @Test
    void shardsParseFromTheCommandLineAndFromKubernetes() {
        assertThat(Shard.parse("2/4", Map.of())).isEqualTo(new Shard(1, 4));
        assertThat(Shard.parse("k8s/4", Map.of("JOB_COMPLETION_INDEX", "3"))).isEqualTo(new Shard(3, 4));
        assertThat(Shard.parse("k8s", Map.of("JOB_COMPLETION_INDEX", "0", "JOB_COMPLETIONS", "8")))
                .isEqualTo(new Shard(0, 8));
        assertThatThrownBy(() -> Shard.parse("5/4", Map.of())).hasMessageContaining("shard 5 of 4");
        assertThatThrownBy(() -> Shard.parse("0/4", Map.of())).hasMessageContaining("shard 0 of 4");
        assertThatThrownBy(() -> Shard.parse("1/0", Map.of())).hasMessageContaining("at least 1, got 0");
        assertThatThrownBy(() -> Shard.parse("two", Map.of())).hasMessageContaining("i/N");
        assertThatThrownBy(() -> Shard.parse("k8s/4", Map.of())).hasMessageContaining("JOB_COMPLETION_INDEX");
        assertThatThrownBy(() -> Shard.parse("k8s/4", Map.of("JOB_COMPLETION_INDEX", "4")))
                .hasMessageContaining("shard 5 of 4");
        assertThatThrownBy(() -> Shard.parse("k8s", Map.of("JOB_COMPLETION_INDEX", "1")))
                .hasMessageContaining("JOB_COMPLETIONS");
    }
}
