package org.lincde.tables.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;

/** Tablesaw's grouping of run records against statistics worked out by hand. */
class RunTableTest {
    private record Plan(String cell) implements RunPlan {
        @Override
        public String artifact() {
            return "uea-mini";
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("cell", cell);
        }

        @Override
        public long plannedSteps() {
            return 1;
        }

        @Override
        public RunRecord execute(RunContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static RunRecord record(RunPlan p, Double accuracy) {
        Map<String, Double> metrics = new HashMap<>();
        if (accuracy != null) {
            metrics.put("test_accuracy", accuracy);
        }
        metrics.put("parameters", 1234.0);
        return new RunRecord(p.key(), p.artifact(), p.cell(), p.config(), "completed", List.of(), metrics, 10, 0.5,
                100, 5, Map.of());
    }

    @Test
    void meanAndPopulationStdPerModelAndDataset() throws Exception {
        List<RunPlan> grid = List.of(new Plan("BD-LNCDE / BasicMotions / seed 1"),
                new Plan("BD-LNCDE / BasicMotions / seed 2"), new Plan("BD-LNCDE / BasicMotions / seed 3"),
                new Plan("BD-LNCDE / JapaneseVowels / seed 1"), new Plan("D-LNCDE / BasicMotions / seed 1"),
                new Plan("D-LNCDE / BasicMotions / seed 2"), new Plan("D-LNCDE / BasicMotions / seed 3"));
        Map<String, RunRecord> stored = new HashMap<>();
        Double[] acc = {0.75, 1.0, 0.5, 0.9, 0.5, null, 1.0}; // seed 2 of D selected no checkpoint: counts as 0
        for (int i = 0; i < acc.length; i++) {
            stored.put(grid.get(i).cell(), record(grid.get(i), acc[i]));
        }
        stored.remove("D-LNCDE / BasicMotions / seed 3"); // not finished yet: no row
        Artifact.Results results = p -> Optional.ofNullable(stored.get(p.cell()));

        var table = RunTable.of("uea-mini", grid, results);
        assertThat(table.rowCount()).isEqualTo(6);
        Map<List<String>, RunTable.Stat> s = RunTable.summary(table, "test_accuracy", 0.0);

        // {0.75, 1, 0.5}: mean 0.75, population variance ((0)^2 + 0.25^2 + 0.25^2) / 3 = 0.041666…
        RunTable.Stat bd = s.get(List.of("BD-LNCDE", "BasicMotions"));
        assertThat(bd.mean()).isCloseTo(0.75, within(1e-15));
        assertThat(bd.std()).isCloseTo(Math.sqrt(0.125 / 3), within(1e-15));
        assertThat(bd.n()).isEqualTo(3);
        assertThat(bd.text(100)).isEqualTo("75.0 ± 20.4 (n=3)");
        // one run: std 0 (numpy's ddof 0, not Tablesaw's sample std, which would be NaN)
        assertThat(s.get(List.of("BD-LNCDE", "JapaneseVowels")).std()).isEqualTo(0.0);
        // {0.5, 0 (missing)}: mean 0.25, std 0.25
        RunTable.Stat d = s.get(List.of("D-LNCDE", "BasicMotions"));
        assertThat(d.mean()).isCloseTo(0.25, within(1e-15));
        assertThat(d.std()).isCloseTo(0.25, within(1e-15));
        assertThat(d.n()).isEqualTo(2);
    }

    @Test
    void runsCsvHasOneRowPerFinishedRunAndEveryMetric(@TempDir Path dir) throws Exception {
        List<RunPlan> grid = List.of(new Plan("S5 / JapaneseVowels / seed 7"));
        Artifact.Results results = p -> Optional.of(record(p, 0.875));
        Path csv = RunTable.writeCsv(RunTable.of("uea-mini", grid, results), dir.resolve("out/uea_mini_runs.csv"));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("model,condition,repeat,key,status,steps,seconds_per_step,peak_rss_mb,"
                + "parameters,test_accuracy");
        assertThat(lines.get(1)).startsWith("S5,JapaneseVowels,seed 7,").endsWith(",completed,10,0.5,100.0,1234.0,0.875");
    }
}
