package org.lincde.harness.r2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The depth search's pruning rule on scripted outcomes (no training): SPEC §4.2 / R2's run_sm_A5_experiment. */
class MonotoneDepthSearchTest {
    private static final List<Integer> LENGTHS = List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20);

    /** Scripted trainings: (length, depth) pairs that succeed; every call is recorded. */
    private static final class Script implements MonotoneDepthSearch.Trial {
        final Set<List<Integer>> successes;
        final List<List<Integer>> calls = new ArrayList<>();

        Script(Set<List<Integer>> successes) {
            this.successes = successes;
        }

        @Override
        public MonotoneDepthSearch.Outcome run(int length, int depth) {
            calls.add(List.of(length, depth));
            boolean ok = successes.contains(List.of(length, depth));
            return new MonotoneDepthSearch.Outcome(ok, ok ? 0.95 : 0.5);
        }
    }

    @Test
    void reproducesThePublishedMambaRowFromItsRecordedFailures() {
        // SPEC §5.2: Mamba failed at len 4/d1, len 8/d2, len 11/d3, len 14/d4; every other depth tried succeeded
        Set<List<Integer>> ok = new java.util.HashSet<>();
        for (int n : LENGTHS) {
            for (int d = 1; d <= 4; d++) {
                ok.add(List.of(n, d));
            }
        }
        ok.removeAll(Set.of(List.of(4, 1), List.of(8, 2), List.of(11, 3), List.of(14, 4)));
        Script s = new Script(ok);
        List<MonotoneDepthSearch.LengthResult> r = new MonotoneDepthSearch(LENGTHS, List.of(1, 2, 3, 4)).run(s);
        assertThat(r).extracting(MonotoneDepthSearch.LengthResult::minDepth)
                .containsExactly(1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 0, 0, 0, 0); // docs/PAPER_RESULTS.md B.2, Mamba
        // exactly the trainings R2 ran: one per length except where a failure moved the search up
        assertThat(s.calls).containsExactly(List.of(3, 1), List.of(4, 1), List.of(4, 2), List.of(5, 2), List.of(6, 2),
                List.of(7, 2), List.of(8, 2), List.of(8, 3), List.of(9, 3), List.of(10, 3), List.of(11, 3),
                List.of(11, 4), List.of(12, 4), List.of(14, 4));
        // after the last depth failed nothing is allowed, and no training happens for 16, 18, 20
        assertThat(r.get(11).allowed()).isEmpty();
        assertThat(r.get(11).tried()).isEmpty();
        assertThat(r.get(10).allowed()).containsExactly(4);
        assertThat(r.get(10).tried()).containsOnlyKeys(4);
    }

    @Test
    void aFailedDepthIsNeverTriedAgainEvenIfItWouldSucceedLater() {
        // depth 1 fails at length 3 but would succeed at 4: the rule assumes monotonicity and never retries it
        Script s = new Script(Set.of(List.of(3, 2), List.of(4, 1), List.of(4, 2)));
        List<MonotoneDepthSearch.LengthResult> r = new MonotoneDepthSearch(List.of(3, 4), List.of(1, 2)).run(s);
        assertThat(r).extracting(MonotoneDepthSearch.LengthResult::minDepth).containsExactly(2, 2);
        assertThat(s.calls).containsExactly(List.of(3, 1), List.of(3, 2), List.of(4, 2));
    }

    @Test
    void aSuccessfulDepthStaysAllowedAndDeeperOnesAreNotTriedAfterASuccess() {
        Script s = new Script(Set.of(List.of(3, 1), List.of(5, 3)));
        List<MonotoneDepthSearch.LengthResult> r = new MonotoneDepthSearch(List.of(3, 4, 5), List.of(3, 1, 2)).run(s);
        // length 4: 1, 2, 3 all fail → nothing allowed for length 5 even though (5, 3) would have succeeded
        assertThat(r).extracting(MonotoneDepthSearch.LengthResult::minDepth).containsExactly(1, 0, 0);
        assertThat(s.calls).containsExactly(List.of(3, 1), List.of(4, 1), List.of(4, 2), List.of(4, 3));
        assertThat(r.get(0).tried()).isEqualTo(Map.of(1, new MonotoneDepthSearch.Outcome(true, 0.95)));
        assertThat(r.get(1).allowed()).containsExactly(1, 2, 3); // depths searched in increasing order
        assertThat(r.get(2).allowed()).isEmpty();
    }

    @Test
    void oneBlockModelsSolveEveryLengthWithOneTrainingEach() {
        Script s = new Script(Set.copyOf(LENGTHS.stream().map(n -> List.of(n, 1)).toList()));
        List<MonotoneDepthSearch.LengthResult> r = new MonotoneDepthSearch(LENGTHS, List.of(1, 2, 3, 4)).run(s);
        assertThat(r).allSatisfy(x -> assertThat(x.minDepth()).isEqualTo(1));
        assertThat(s.calls).hasSize(LENGTHS.size());
    }
}
