package org.lincde.tables.artifacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.uea.UeaDataLocator;
import org.lincde.harness.uea.UeaExperiment;
import org.lincde.harness.uea.UeaModel;
import org.lincde.harness.uea.UeaRunPlan;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.tables.render.RunTable;

/** Grids and record collection shared by the UEA artifacts ({@code slice-uea}, {@code slice-fig5}, {@code uea-mini}). */
final class UeaRuns {
    /** The cell text of dataset {@code name} whose files are absent: the exact command that fetches it. */
    static String notAvailable(String name) {
        return "data not available — run `" + UeaDataLocator.fetchCommand(List.of(name)) + "`";
    }

    private UeaRuns() {}

    /**
     * One plan per available dataset × model × seed, cells {@code "<model label> / <dataset> / seed <s>"}.
     * Datasets whose files {@code locator} cannot find are left out of the grid (the page says so).
     */
    static List<RunPlan> plans(String artifact, List<UeaExperiment> experiments, List<? extends UeaModel> models,
                               List<Long> seeds, UeaDataLocator locator, String backend, DType dtype) {
        List<RunPlan> plans = new ArrayList<>();
        for (UeaExperiment e : experiments) {
            if (!locator.available(e.dataset())) {
                continue;
            }
            for (UeaModel v : models) {
                for (long seed : seeds) {
                    plans.add(new UeaRunPlan(artifact, v.label() + " / " + e.dataset() + " / seed " + seed, e, v, seed,
                            backend, dtype, ForwardMode.Evaluation.RECURRENT));
                }
            }
        }
        return plans;
    }

    /** Records by model label, then dataset. */
    static Map<String, Map<String, List<RunRecord>>> collect(List<RunPlan> grid, Artifact.Results results) {
        Map<String, Map<String, List<RunRecord>>> m = new LinkedHashMap<>();
        for (RunPlan p : grid) {
            String[] parts = p.cell().split(" / ");
            results.of(p).ifPresent(r -> m.computeIfAbsent(parts[0], k -> new LinkedHashMap<>())
                    .computeIfAbsent(parts[1], k -> new ArrayList<>()).add(r));
        }
        return m;
    }

    /** Which (model, dataset) cells the grid planned. */
    static Map<String, List<String>> planned(List<RunPlan> grid) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (RunPlan p : grid) {
            String[] parts = p.cell().split(" / ");
            List<String> ds = m.computeIfAbsent(parts[0], k -> new ArrayList<>());
            if (!ds.contains(parts[1])) {
                ds.add(parts[1]);
            }
        }
        return m;
    }

    /** Test accuracies (%) of the records; a run that selected no checkpoint (NaN) counts as 0. */
    static List<Double> testAccuracies(List<RunRecord> rs) {
        List<Double> v = new ArrayList<>();
        for (RunRecord r : rs) {
            double a = r.metrics().getOrDefault("test_accuracy", Double.NaN);
            v.add(Double.isNaN(a) ? 0.0 : 100 * a);
        }
        return v;
    }

    /**
     * Test accuracy per (model label, dataset) through Tablesaw ({@link RunTable#summary}): mean ± population std and
     * n, a run that selected no checkpoint (NaN) counting as 0 as in {@link #testAccuracies}.
     */
    static Map<List<String>, RunTable.Stat> testAccuracy(String artifact, List<RunPlan> grid, Artifact.Results results) {
        return RunTable.summary(RunTable.of(artifact, grid, results), "test_accuracy", 0.0);
    }

    /** Writes every finished run of {@code grid}, one row each, as {@code <base>_runs.csv} in {@code outDir}. */
    static java.nio.file.Path writeRuns(String artifact, List<RunPlan> grid, Artifact.Results results,
                                        java.nio.file.Path outDir, String base) throws java.io.IOException {
        return RunTable.writeCsv(RunTable.of(artifact, grid, results), outDir.resolve(base + "_runs.csv"));
    }

    /** Mean of a metric over records. */
    static double mean(List<RunRecord> rs, String metric) {
        return rs.stream().mapToDouble(r -> r.metrics().getOrDefault(metric, Double.NaN)).average().orElse(Double.NaN);
    }

    /** Mean peak RSS (MB) over records. */
    static double meanRss(List<RunRecord> rs) {
        return rs.stream().mapToDouble(RunRecord::peakRssMb).average().orElse(Double.NaN);
    }
}
