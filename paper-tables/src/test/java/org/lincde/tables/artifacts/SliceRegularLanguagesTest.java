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
}
