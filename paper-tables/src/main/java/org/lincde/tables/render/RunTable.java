package org.lincde.tables.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.aggregate.NumericAggregateFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Run records as a Tablesaw {@link Table} — one row per finished run of a grid, the cell label split into its parts
 * ({@code "BD-LNCDE / BasicMotions / seed 2345"} → {@code model}, {@code condition}, {@code repeat}), the status,
 * steps, timings and every metric as a column — grouped into mean ± population std and count per group, and written
 * as CSV beside an artifact's page ({@code <page>_runs.csv}) for anyone who wants the raw numbers.
 */
public final class RunTable {
    /** numpy's default {@code np.std} (ddof 0), which the authors' analysis scripts report; Tablesaw's is ddof 1. */
    public static final NumericAggregateFunction POPULATION_STD = new NumericAggregateFunction("Population std") {
        @Override
        public Double summarize(NumericColumn<?> column) {
            List<Double> v = java.util.stream.IntStream.range(0, column.size()).filter(i -> !column.isMissing(i))
                    .mapToObj(column::getDouble).toList();
            return Stats.std(v);
        }
    };

    private RunTable() {}

    /** The finished runs of {@code grid} (runs without a record are left out). */
    public static Table of(String name, List<RunPlan> grid, Artifact.Results results) {
        List<RunRecord> records = new ArrayList<>();
        List<String[]> cells = new ArrayList<>();
        for (RunPlan p : grid) {
            Optional<RunRecord> r = results.of(p);
            if (r.isPresent()) {
                records.add(r.get());
                cells.add(p.cell().split(" / ", 3));
            }
        }
        TreeSet<String> metrics = new TreeSet<>();
        records.forEach(r -> metrics.addAll(r.metrics().keySet()));
        StringColumn model = StringColumn.create("model");
        StringColumn condition = StringColumn.create("condition");
        StringColumn repeat = StringColumn.create("repeat");
        StringColumn key = StringColumn.create("key");
        StringColumn status = StringColumn.create("status");
        LongColumn steps = LongColumn.create("steps");
        DoubleColumn secPerStep = DoubleColumn.create("seconds_per_step");
        DoubleColumn rss = DoubleColumn.create("peak_rss_mb");
        Map<String, DoubleColumn> metricCols = new LinkedHashMap<>();
        metrics.forEach(m -> metricCols.put(m, DoubleColumn.create(m)));
        for (int i = 0; i < records.size(); i++) {
            RunRecord r = records.get(i);
            String[] c = cells.get(i);
            model.append(c[0]);
            condition.append(c.length > 1 ? c[1] : "");
            repeat.append(c.length > 2 ? c[2] : "");
            key.append(r.key());
            status.append(r.status());
            steps.append(r.stepsTaken());
            secPerStep.append(r.secondsPerStep());
            rss.append(r.peakRssMb());
            metricCols.forEach((m, col) -> {
                Double v = r.metrics().get(m);
                if (v == null) {
                    col.appendMissing();
                } else {
                    col.append(v);
                }
            });
        }
        Table t = Table.create(name, model, condition, repeat, key, status, steps, secPerStep, rss);
        metricCols.values().forEach(t::addColumns);
        return t;
    }

    /** One group's statistic of a metric. */
    public record Stat(double mean, double std, int n) {
        /** {@code "86.7 ± 4.1 (n=5)"}, the metric scaled by {@code scale} (100 for percent). */
        public String text(double scale) {
            return String.format("%.1f ± %.1f (n=%d)", scale * mean, scale * std, n);
        }
    }

    /**
     * Mean, population std and count of {@code metric} per {@code (model, condition)}, as Tablesaw computes them;
     * missing values (NaN) are treated as {@code missingAs} (a UEA run that selected no checkpoint scores 0).
     */
    public static Map<List<String>, Stat> summary(Table runs, String metric, double missingAs) {
        Map<List<String>, Stat> out = new LinkedHashMap<>();
        if (runs.rowCount() == 0 || !runs.columnNames().contains(metric)) {
            return out;
        }
        Table t = runs.copy();
        DoubleColumn v = t.doubleColumn(metric);
        DoubleColumn filled = v.copy().setName("value");
        for (int i = 0; i < filled.size(); i++) {
            if (filled.isMissing(i)) {
                filled.set(i, missingAs);
            }
        }
        t.addColumns(filled);
        Table s = t.summarize("value", AggregateFunctions.mean, POPULATION_STD, AggregateFunctions.count)
                .by("model", "condition");
        for (Row row : s) {
            out.put(List.of(row.getString("model"), row.getString("condition")), new Stat(row.getDouble(2),
                    row.getDouble(3), (int) row.getDouble(4)));
        }
        return out;
    }

    /** Writes {@code t} as CSV to {@code file} (replacing it). */
    public static Path writeCsv(Table t, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        t.write().csv(file.toFile());
        return file;
    }
}
