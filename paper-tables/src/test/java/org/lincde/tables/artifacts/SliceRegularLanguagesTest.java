package org.lincde.tables.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;

/**
 * The regular-language page reports both each run's best and its final validation accuracy, says the best
 * one is compared, and marks D-DE16-LNCDE as lincde's construction (docs/protocols/fidelity.md).
 */
class SliceRegularLanguagesTest {

    @Test
    void bothStatisticsAreReportedAndOnlyTheBestIsJudged(@TempDir Path dir) throws Exception {
        SliceRegularLanguages a = new SliceRegularLanguages();
        List<RunPlan> grid = a.grid(Profile.SMOKE, "reference", DType.FLOAT64);
        Map<String, RunRecord> byKey = new HashMap<>();
        for (RunPlan p : grid) {
            // every run peaks at 80 % and ends at 60 %; D-DE's peak is 90 %
            boolean dde = p.cell().startsWith("D-DE16-LNCDE");
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("best_accuracy", dde ? 0.9 : 0.8);
            metrics.put("final_accuracy", 0.6);
            byKey.put(p.key(), new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed",
                    List.of(new EvaluationPoint(0, 0.6, Double.NaN)), metrics, 20, 0.1, 10, 1, Map.of()));
        }
        Artifact.Results results = plan -> Optional.ofNullable(byKey.get(plan.key()));
        a.render(Profile.SMOKE, grid, results, dir);
        String md = Files.readString(dir.resolve("regular_languages.md"));
        assertThat(md).contains("**best over a run's evaluations** (the statistic compared with the published values)")
                .contains("the **final** one");
        // best table: 80.0 with a verdict; final table: 60.0, no verdict marks
        assertThat(md).contains("| D-LNCDE | 80.0 ± 0.0 (n=1) ");
        assertThat(md).contains("| D-LNCDE | 60.0 ± 0.0 (n=1) | 60.0 ± 0.0 (n=1) | 60.0 ± 0.0 (n=1) | 60.0 ± 0.0 (n=1) | 60.0 |");
        assertThat(md).contains("| D-DE16-LNCDE † | 90.0 ± 0.0 (n=1) ");
        assertThat(md).contains("† D-DE-LNCDE in R1's stack is lincde's construction").contains("w_init_std = 0.25");
        String finalCsv = Files.readString(dir.resolve("regular_languages_final.csv"));
        assertThat(finalCsv).contains("D-DE16-LNCDE †").doesNotContain("✓").doesNotContain("✗");
        assertThat(Files.readString(dir.resolve("regular_languages.csv"))).contains("80.0 ± 0.0 (n=1)");
    }

    @Test
    void quickClaimsAreJudgedOnTheMeanOfThreeSeedsOfBestAndFinalAccuracyWithTheSpreadShown(@TempDir Path dir)
            throws Exception {
        SliceRegularLanguages a = new SliceRegularLanguages();
        List<RunPlan> grid = a.grid(Profile.QUICK, "reference", DType.FLOAT64);
        // 7 claim cells (BD4, D, LSTM, Transformer and the three negative-eigenvalue cells) × 3 seeds
        assertThat(grid).hasSize(21);
        assertThat(grid.stream().map(RunPlan::cell).filter(c -> c.startsWith("DeltaNet[-1,1] / parity / seed ")))
                .hasSize(3);
        assertThat(grid.stream().map(RunPlan::cell).filter(c -> c.startsWith("BD4-LNCDE / cycle_nav / seed ")))
                .hasSize(3);
        Map<String, RunRecord> byKey = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (RunPlan p : grid) {
            String model = p.cell().split(" / ")[0];
            int k = seen.merge(model, 1, Integer::sum) - 1;
            // BD4: best 99, 97, 95 (mean 97), final 98, 70, 76 (mean 81.3): "≥ 90 %" holds on the best only.
            // D: best and final 70; LSTM: 100 on both; the Transformer: 50 on both
            double best;
            double fin;
            switch (model) {
                case "BD4-LNCDE": best = new double[] {0.99, 0.97, 0.95}[k]; fin = new double[] {0.98, 0.70, 0.76}[k]; break;
                case "D-LNCDE": best = 0.7; fin = 0.7; break;
                case "LSTM": best = 1.0; fin = 1.0; break;
                default: best = 0.5; fin = 0.5;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("best_accuracy", best);
            metrics.put("final_accuracy", fin);
            byKey.put(p.key(), new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed",
                    List.of(new EvaluationPoint(0, fin, Double.NaN)), metrics, 20, 0.1, 10, 1, Map.of()));
        }
        Artifact.Results results = plan -> Optional.ofNullable(byKey.get(plan.key()));
        a.render(Profile.QUICK, grid, results, dir);
        String md = Files.readString(dir.resolve("regular_languages.md"));
        // population std of {99, 97, 95} = 1.633; of {98, 70, 76} = 12.04
        assertThat(md).contains("| BD4-LNCDE beats D-LNCDE on cycle navigation (published 100.0 vs 73.5) | BD4-LNCDE: "
                        + "best 97.0 ± 1.6 [95.0, 99.0] · final 81.3 ± 12.0 [70.0, 98.0] (n=3); D-LNCDE: "
                        + "best 70.0 ± 0.0 [70.0, 70.0] · final 70.0 ± 0.0 [70.0, 70.0] (n=3) | holds ✓ |")
                .contains("| BD4-LNCDE reaches ≥ 90 % on cycle navigation (published 100.0) | BD4-LNCDE: best 97.0 ± 1.6 "
                        + "[95.0, 99.0] · final 81.3 ± 12.0 [70.0, 98.0] (n=3) | differs ✗ (holds on the best accuracy "
                        + "only) |")
                .contains("| LSTM generalises on parity, ≥ 95 % (published 100.0) | LSTM: best 100.0 ± 0.0 [100.0, "
                        + "100.0] · final 100.0 ± 0.0 [100.0, 100.0] (n=3) | holds ✓ |");
        // claims: 4 hold (BD4 > D, LSTM, the Transformer below the LSTM, DeltaNet near chance at its 50 %); BD4 ≥ 90 %
        // and the two claims that need DeltaNet[-1,1] / Gated DeltaProduct[-1,1] above 50 % differ
        assertThat(a.verdicts(Profile.QUICK, grid, results).claimHolds()).isEqualTo(4);
    }
}
