package org.lincde.tables.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lincde.harness.config.Required;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.r2.LcdeA5Config;
import org.lincde.harness.r2.LcdeA5RunPlan;
import org.lincde.harness.r2.R2A5Experiment;
import org.lincde.harness.r2.R2LearningRates;
import org.lincde.harness.r2.SsmA5Config;
import org.lincde.harness.r2.SsmA5SearchPlan;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Verdicts;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.DType;
import org.lincde.tables.PaperTargets;
import org.lincde.tables.render.Figures;
import org.lincde.tables.render.Table;

/**
 * Cirone et al. 2024, Fig. 2 (docs/PAPER_RESULTS.md B.2, SPEC §5.2): the minimum number of stacked blocks with
 * which each model exceeds 90 % validation token accuracy on A5, per sequence length; R2's protocols
 * (SPEC §4.2): the Linear CDE with one block per length ({@code lcde_a5.yaml}), the RNN, S4, Mamba and
 * Transformer with the monotonic depth search ({@code ssm_a5.yaml}).
 *
 * <p>Verdict per model row: <b>within</b> when every length matches the published minimum depth (a
 * published depth above the profile's largest depth counts as "not reached"); otherwise the paper's
 * qualitative claim decides: the Linear CDE and the RNN solve every length with one block; S4, Mamba and
 * the Transformer need more than one block at the longest length (their minimum depth grows with length;
 * the search makes it non-decreasing, so this is the testable part).
 */
@AutoService(Artifact.class)
public final class SsmA5Layers implements Artifact {
    /** The published section of paper_targets.json. */
    static final String TARGETS = "B_deep_selective_ssm_A5_min_layers";

    /** A row of the figure: label, key in paper_targets.json, whether one block suffices in the paper's claim. */
    record Model(String label, String targetKey, boolean oneBlock, String marker, Color color) {}

    /** In the authors' plotting order and colours ({@code results/plot_A5.py}). */
    static final List<Model> MODELS = List.of(
            new Model("Mamba", "Mamba", false, "s", new Color(0xd6, 0x27, 0x28)),
            new Model("S4", "S4", false, "^", new Color(0xff, 0x7f, 0x0e)),
            new Model("Transformer", "Transformer", false, "o", new Color(0x94, 0x67, 0xbd)),
            new Model("RNN", "RNN", true, "v", new Color(0x1f, 0x77, 0xb4)),
            new Model(R2A5Experiment.LINEAR_CDE, "LinearCDE", true, "x", new Color(0x8c, 0x56, 0x4b)));

    /**
     * The protocol of a profile.
     *
     * @param lcde       the Linear CDE's settings ({@code lcde_a5.yaml} or a small version)
     * @param ssm        the sequence models' settings ({@code ssm_a5.yaml} or a small version)
     * @param rates      learning-rate policy of the sequence models
     * @param maxSteps   step budget per SSM training; empty: {@code num_epochs} epochs
     * @param printSteps SSM evaluation interval
     * @param a5Size     distinct sequences per length
     */
    record Settings(LcdeA5Config lcde, SsmA5Config ssm, R2LearningRates rates, OptionalLong maxSteps, int printSteps,
                    int a5Size) {
        int maxDepth() {
            return ssm.depths().stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        static Builder builder() {
            return new Builder();
        }

        /** Every field is required except {@code maxSteps}. */
        static final class Builder {
            private LcdeA5Config lcde;
            private SsmA5Config ssm;
            private R2LearningRates rates;
            private OptionalLong maxSteps = OptionalLong.empty();
            private Integer printSteps;
            private Integer a5Size;

            Builder lcde(LcdeA5Config v) { lcde = v; return this; }
            Builder ssm(SsmA5Config v) { ssm = v; return this; }
            Builder rates(R2LearningRates v) { rates = v; return this; }
            Builder maxSteps(long v) { maxSteps = OptionalLong.of(v); return this; }
            Builder printSteps(int v) { printSteps = v; return this; }
            Builder a5Size(int v) { a5Size = v; return this; }

            Settings build() {
                String what = "SsmA5Layers.Settings";
                return new Settings(Required.field(lcde, what, "lcde"), Required.field(ssm, what, "ssm"),
                        Required.field(rates, what, "rates"), maxSteps, Required.field(printSteps, what, "printSteps"),
                        Required.field(a5Size, what, "a5Size"));
            }
        }
    }

    static Settings settings(Profile p) {
        switch (p) {
            case SMOKE: {
                List<Integer> lengths = List.of(3, 4);
                LcdeA5Config lcde = LcdeA5Config.PAPER.withLengths(lengths).withHidden(8).withSteps(20).withPrintSteps(10)
                        .withBatchAndLearningRate(16, 1e-2);
                SsmA5Config ssm = SsmA5Config.PAPER.withLengths(lengths).withDepths(List.of(1, 2)).withSizes(8, 4)
                        .withBatchAndLearningRate(16, 1e-2);
                return Settings.builder().lcde(lcde).ssm(ssm).rates(R2LearningRates.CONFIG).maxSteps(20).printSteps(10)
                        .a5Size(400).build();
            }
            case QUICK: {
                // a small version a laptop CPU runs in minutes: widths 32, batch 64, larger constant rates
                // (the paper's 1e-4–3e-4 need ~10^4–10^6 steps), ≤ 2500 (Linear CDE) / 1500 steps, depths ≤ 2.
                // Measured on one core: the Linear CDE solves N = 3, 4, 5 after ≈ 1500, 1500, 2000 steps. No
                // Transformer: R2's encoder layer has a fixed 2048-wide FFN (≈ 0.2 s per step at width 32).
                List<Integer> lengths = List.of(3, 4, 5);
                LcdeA5Config lcde = LcdeA5Config.PAPER.withLengths(lengths).withHidden(32).withSteps(2500)
                        .withPrintSteps(250).withBatchAndLearningRate(64, 1e-2);
                SsmA5Config ssm = SsmA5Config.PAPER.withModels(List.of("Mamba", "RNN", "S4")).withLengths(lengths)
                        .withDepths(List.of(1, 2)).withSizes(32, 8).withBatchAndLearningRate(64, 1e-2);
                return Settings.builder().lcde(lcde).ssm(ssm).rates(R2LearningRates.CONFIG).maxSteps(1500)
                        .printSteps(250).a5Size(10_000).build();
            }
            default:
                // R2's published protocol: num_epochs epochs per training, no step budget
                return Settings.builder().lcde(LcdeA5Config.PAPER).ssm(SsmA5Config.PAPER)
                        .rates(R2LearningRates.PUBLISHED).printSteps(SsmA5SearchPlan.R2_PRINT_STEPS)
                        .a5Size(R2A5Experiment.R2_A5_SIZE).build();
        }
    }

    @Override
    public String id() {
        return R2A5Experiment.ARTIFACT;
    }

    @Override
    public String title() {
        return "Cirone et al. 2024, Fig. 2: minimum number of blocks for > 90 % validation accuracy on A5";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
        Settings s = settings(profile);
        List<RunPlan> plans = new ArrayList<>();
        // the Linear CDE's lengths (the headline, and the cheapest), then the models of ssm_a5.yaml in its order
        plans.addAll(R2A5Experiment.lcdePlans(s.lcde(), s.a5Size(), R2A5Experiment.R2_SEED, backend, dtype));
        plans.addAll(R2A5Experiment.ssmPlans(s.ssm(), s.rates(), s.maxSteps(), s.printSteps(), s.a5Size(),
                R2A5Experiment.R2_SEED, backend, dtype));
        return plans;
    }

    /** Reproduced minimum depths: model label → length → depth (0: not reached); absent = pending. */
    static Map<String, Map<Integer, Integer>> reproduced(Settings s, List<RunPlan> grid, Results results) {
        Map<String, Map<Integer, Integer>> out = new LinkedHashMap<>();
        MODELS.forEach(m -> out.put(m.label(), new LinkedHashMap<>()));
        for (RunPlan p : grid) {
            Optional<RunRecord> r = results.of(p);
            if (r.isEmpty()) {
                continue;
            }
            if (p instanceof LcdeA5RunPlan l) {
                out.get(R2A5Experiment.LINEAR_CDE).put(l.length(),
                        (int) Math.round(r.get().metrics().getOrDefault("min_depth", 0.0)));
            } else if (p instanceof SsmA5SearchPlan m) {
                for (int n : s.ssm().lengths()) {
                    Double d = r.get().metrics().get(SsmA5SearchPlan.minDepthKey(n));
                    if (d != null) {
                        out.get(m.modelName()).put(n, (int) Math.round(d));
                    }
                }
            }
        }
        return out;
    }

    /** The published minimum depth of {@code m} at length {@code n} (0: not reached with ≤ 4 blocks; null: not published). */
    static Integer published(Model m, int n) {
        JsonNode t = PaperTargets.section(TARGETS);
        JsonNode lengths = t.get("lengths");
        for (int i = 0; i < lengths.size(); i++) {
            if (lengths.get(i).asInt() == n) {
                JsonNode v = t.get(m.targetKey()).get(i);
                return v.isNull() ? 0 : v.asInt();
            }
        }
        return null;
    }

    /** The published value as a profile with depths ≤ {@code maxDepth} would see it (deeper = not reached). */
    static Integer publishedWithin(Model m, int n, int maxDepth) {
        Integer p = published(m, n);
        return p == null ? null : p > maxDepth ? 0 : p;
    }

    /** The verdict of one complete row. */
    enum RowVerdict { MATCHES, CLAIM_HOLDS, DIFFERS }

    static RowVerdict judge(Model m, List<Integer> lengths, Map<Integer, Integer> row, int maxDepth) {
        boolean exact = true;
        for (int n : lengths) {
            Integer p = publishedWithin(m, n, m.oneBlock() && m.label().equals(R2A5Experiment.LINEAR_CDE) ? 1 : maxDepth);
            exact &= p != null && p.equals(row.get(n));
        }
        if (exact) {
            return RowVerdict.MATCHES;
        }
        return claimHolds(m, lengths, row) ? RowVerdict.CLAIM_HOLDS : RowVerdict.DIFFERS;
    }

    /**
     * The paper's claim for {@code m}: one block at every length (Linear CDE, RNN), or more than one block
     * needed at the longest length (S4, Mamba, Transformer). A row that solved no length at all is no
     * evidence for the second claim (the budget, not the depth, may be what failed): it does not hold.
     */
    static boolean claimHolds(Model m, List<Integer> lengths, Map<Integer, Integer> row) {
        if (m.oneBlock()) {
            return lengths.stream().allMatch(n -> row.get(n) == 1);
        }
        boolean solvedSomething = lengths.stream().anyMatch(n -> row.get(n) > 0);
        return solvedSomething && row.get(lengths.get(lengths.size() - 1)) != 1;
    }

    private static boolean complete(List<Integer> lengths, Map<Integer, Integer> row) {
        return lengths.stream().allMatch(row::containsKey);
    }

    @Override
    public Verdicts verdicts(Profile profile, List<RunPlan> grid, Results results) {
        Settings s = settings(profile);
        Map<String, Map<Integer, Integer>> rows = reproduced(s, grid, results);
        Verdicts v = Verdicts.NONE;
        for (Model m : models(s)) {
            List<Integer> lengths = lengthsOf(s, m);
            Map<Integer, Integer> row = rows.get(m.label());
            if (!complete(lengths, row)) {
                v = v.plus(new Verdicts(0, 0, 0, 1));
                continue;
            }
            v = v.plus(switch (judge(m, lengths, row, s.maxDepth())) {
                case MATCHES -> new Verdicts(1, 0, 0, 0);
                case CLAIM_HOLDS -> new Verdicts(0, 1, 0, 0);
                case DIFFERS -> new Verdicts(0, 0, 1, 0);
            });
        }
        return v;
    }

    /** The models a profile runs: the Linear CDE and the sequence models of its config, in figure order. */
    static List<Model> models(Settings s) {
        return MODELS.stream().filter(m -> m.label().equals(R2A5Experiment.LINEAR_CDE)
                || s.ssm().modelNames().contains(m.label())).toList();
    }

    private static List<Integer> lengthsOf(Settings s, Model m) {
        return m.label().equals(R2A5Experiment.LINEAR_CDE) ? s.lcde().lengths() : s.ssm().lengths();
    }

    private static String depthText(Integer d, int maxDepth) {
        if (d == null) {
            return "pending";
        }
        return d == 0 ? "—" : String.valueOf(d);
    }

    @Override
    public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) throws IOException {
        Settings s = settings(profile);
        Map<String, Map<Integer, Integer>> rows = reproduced(s, grid, results);
        List<Integer> lengths = s.ssm().lengths();
        List<String> header = new ArrayList<>(List.of("Model"));
        lengths.forEach(n -> header.add("N=" + n));
        header.add("verdict");
        Table table = new Table(header);
        Table publishedTable = new Table(header.subList(0, header.size() - 1));
        int maxDepth = s.maxDepth();
        for (Model m : models(s)) {
            Map<Integer, Integer> row = rows.get(m.label());
            List<Integer> own = lengthsOf(s, m);
            int cap = m.label().equals(R2A5Experiment.LINEAR_CDE) ? 1 : maxDepth;
            List<String> cells = new ArrayList<>(List.of(m.label()));
            List<String> pub = new ArrayList<>(List.of(m.label()));
            for (int n : lengths) {
                Integer p = published(m, n);
                pub.add(p == null ? "n/a" : p == 0 ? "—" : String.valueOf(p));
                if (!own.contains(n)) {
                    cells.add("");
                    continue;
                }
                Integer d = row.get(n);
                Integer expected = publishedWithin(m, n, cap);
                String text = depthText(d, cap);
                if (d != null && expected != null && !expected.equals(d)) {
                    text += " (paper " + (expected == 0 ? "—" : expected) + ")";
                }
                cells.add(text);
            }
            String verdict;
            if (!complete(own, row)) {
                verdict = "pending";
            } else {
                verdict = switch (judge(m, own, row, maxDepth)) {
                    case MATCHES -> "matches the paper ✓";
                    case CLAIM_HOLDS -> "claim holds ✓ (" + claimText(m) + ")";
                    case DIFFERS -> own.stream().allMatch(n -> row.get(n) == 0)
                            ? "differs ✗ (nothing reached 90 %: inconclusive for the paper's " + claimText(m) + ")"
                            : "differs ✗ (paper: " + claimText(m) + ")";
                };
            }
            cells.add(verdict);
            table.row(cells);
            publishedTable.row(pub);
        }
        Table accuracies = accuracyTable(s, grid, results);
        List<Path> files = new ArrayList<>();
        Path page = outDir.resolve("a5_layers.md");
        files.add(page);
        files.addAll(table.write(outDir, "a5_min_blocks"));
        files.addAll(accuracies.write(outDir, "a5_best_accuracy"));
        files.addAll(Figures.save(chart(lengths, rows, maxDepth, "Reproduced (" + profile.label() + ")"), outDir,
                "A5_plot_shaded_regions"));
        Map<String, Map<Integer, Integer>> pubRows = new LinkedHashMap<>();
        List<Integer> allLengths = new ArrayList<>();
        PaperTargets.section(TARGETS).get("lengths").forEach(n -> allLengths.add(n.asInt()));
        for (Model m : MODELS) {
            Map<Integer, Integer> r = new LinkedHashMap<>();
            allLengths.forEach(n -> r.put(n, published(m, n)));
            pubRows.put(m.label(), r);
        }
        files.addAll(Figures.save(chart(allLengths, pubRows, 4, "Published (Cirone et al. 2024, Fig. 2)"), outDir,
                "A5_plot_shaded_regions_published"));

        Verdicts v = verdicts(profile, grid, results);
        StringBuilder md = new StringBuilder("# ").append(title()).append("\n\n");
        md.append(String.format("Profile `%s`, seed %d. Linear CDE (`lcde_a5.yaml`): hidden %d, batch %d (+ length-2 "
                        + "batch %d, separate update), lr %s, ≤ %d steps, eval every %d, one block. Sequence models "
                        + "(`ssm_a5.yaml`): %s, hidden %d, state %d, batch %d (+ length-2 batch %d, same update), "
                        + "learning rates %s, %s, eval every %d, depths %s with R2's pruning. %s sequences per length "
                        + "(80/20 split). Success: validation token accuracy > 90 %%.%n%n", profile.label(),
                R2A5Experiment.R2_SEED, s.lcde().hiddenDim(), s.lcde().batchSize(), s.lcde().auxBatchSize(),
                s.lcde().learningRate(), s.lcde().numSteps(), s.lcde().printSteps(), s.ssm().modelNames(),
                s.ssm().hiddenDim(), s.ssm().stateDim(), s.ssm().batchSize(), s.ssm().batchSize(),
                s.rates() == R2LearningRates.PUBLISHED ? "as published (Mamba 3e-4 / 1e-4, RNN and S4 1e-4, "
                        + "Transformer 2e-4)" : String.valueOf(s.ssm().learningRate()),
                s.maxSteps().isPresent() ? "≤ " + s.maxSteps().getAsLong() + " steps per training"
                        : s.ssm().numEpochs() + " epochs",
                s.printSteps(), s.ssm().depths(), s.a5Size() == R2A5Experiment.R2_A5_SIZE ? "1 000 000" : s.a5Size()));
        md.append("Minimum number of blocks (— : not reached with the depths searched; in brackets the paper's value as ")
                .append(String.format("these depths would show it). Rows matching the paper: %d; rows where the paper's "
                        + "claim holds: %d; rows that differ: %d; pending: %d.%n%n", v.within(), v.claimHolds(),
                        v.differs(), v.pending()));
        md.append(table.markdown()).append("\n");
        md.append("![reproduced](A5_plot_shaded_regions.png)\n\n");
        md.append("Published (docs/PAPER_RESULTS.md B.2; — = not reached with ≤ 4 blocks):\n\n").append(publishedTable.markdown())
                .append("\n![published](A5_plot_shaded_regions_published.png)\n\n");
        md.append("Best validation accuracy (%) of every training (depth: accuracy):\n\n").append(accuracies.markdown());
        List<String> absent = MODELS.stream().filter(m -> !models(s).contains(m)).map(Model::label).toList();
        if (!absent.isEmpty()) {
            md.append("\nNot run in this profile: ").append(String.join(", ", absent)).append(" (R2's Transformer ")
                    .append("encoder layer has a fixed 2048-wide feed-forward block, ≈ 0.2 s per step on one CPU core ")
                    .append("even at width 32; run it with `--profile paper` or `lincde experiment -m SequenceModel ")
                    .append("-e A5 -n Transformer` with budget options).\n");
        }
        if (profile != Profile.PAPER) {
            md.append("\nThis profile is a small version: widths, steps and data are far below the paper's (hidden ")
                    .append("256/1024, up to 10^6 steps, 10^6 sequences), and learning rates are raised so that ")
                    .append("something can be learnt in minutes on a CPU. ");
            md.append(profile == Profile.SMOKE ? "The smoke profile only proves the pipeline: its runs are far too short "
                    + "to learn A5.\n" : "Read it for the qualitative ordering, not for the paper's numbers.\n");
        }
        AtomicFiles.writeString(page, md.toString());
        return files;
    }

    private static String claimText(Model m) {
        return m.oneBlock() ? "one block at every length" : "more than one block at the longest length";
    }

    /** Best validation accuracy of every training, per model and length. */
    private static Table accuracyTable(Settings s, List<RunPlan> grid, Results results) {
        List<Integer> lengths = s.ssm().lengths();
        List<String> header = new ArrayList<>(List.of("Model"));
        lengths.forEach(n -> header.add("N=" + n));
        Table t = new Table(header);
        for (RunPlan p : grid) {
            if (!(p instanceof SsmA5SearchPlan m)) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(m.modelName()));
            Optional<RunRecord> r = results.of(p);
            for (int n : lengths) {
                if (r.isEmpty()) {
                    row.add("pending");
                    continue;
                }
                StringBuilder sb = new StringBuilder();
                for (int d : s.ssm().depths()) {
                    Double a = r.get().metrics().get(SsmA5SearchPlan.accuracyKey(n, d));
                    if (a != null) {
                        sb.append(sb.length() == 0 ? "" : ", ").append(d).append(": ").append(String.format("%.1f", 100 * a));
                    }
                }
                row.add(sb.length() == 0 ? "pruned" : sb.toString());
            }
            t.row(row);
        }
        List<String> row = new ArrayList<>(List.of(R2A5Experiment.LINEAR_CDE));
        Map<Integer, String> lcde = new LinkedHashMap<>();
        for (RunPlan p : grid) {
            if (p instanceof LcdeA5RunPlan l) {
                lcde.put(l.length(), results.of(p).map(r -> "1: " + String.format("%.1f",
                        100 * r.metrics().getOrDefault("best_accuracy", 0.0))).orElse("pending"));
            }
        }
        lengths.forEach(n -> row.add(lcde.getOrDefault(n, "")));
        t.row(row);
        return t;
    }

    /**
     * The authors' figure ({@code results/plot_A5.py}): minimum blocks against length, each model offset by
     * 0.1 so overlapping lines stay visible, grey bands marking each depth; unsolved lengths are left out.
     */
    static XYChart chart(List<Integer> lengths, Map<String, Map<Integer, Integer>> rows, int maxDepth, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(620).title(title).xAxisTitle("Sequence Length")
                .yAxisTitle("Minimum # Blocks Required").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.6);
        chart.getStyler().setYAxisMax(maxDepth + 0.8);
        chart.getStyler().setXAxisMin(lengths.get(0) - 0.5);
        chart.getStyler().setXAxisMax(lengths.get(lengths.size() - 1) + 0.5);
        chart.getStyler().setPlotGridLinesVisible(false);
        // integer ticks only, as the authors label depths and lengths (XChart widens the tick spacing until the
        // rounded labels are distinct; the 0.1 offsets between models are not values)
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setXAxisDecimalPattern("0");
        double offset = 0.10;
        for (int d = 1; d <= maxDepth; d++) {
            double lo = d - offset;
            double hi = d + 5 * offset;
            double x0 = lengths.get(0) - 0.5;
            double x1 = lengths.get(lengths.size() - 1) + 0.5;
            XYSeries band = chart.addSeries("depth " + d, new double[] {x0, x1, x1, x0}, new double[] {lo, lo, hi, hi});
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(211, 211, 211, 110));
            band.setLineColor(new Color(0, 0, 0, 0));
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
        }
        // the authors' offsets: Transformer 0, Linear CDE 1, S4 2, RNN 3, Mamba 4 (× 0.1)
        Map<String, Integer> offsets = Map.of("Transformer", 0, R2A5Experiment.LINEAR_CDE, 1, "S4", 2, "RNN", 3,
                "Mamba", 4);
        for (Model m : MODELS) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            Map<Integer, Integer> row = rows.get(m.label());
            for (int n : lengths) {
                Integer d = row.get(n);
                if (d != null && d > 0) {
                    xs.add((double) n);
                    ys.add(d + offsets.get(m.label()) * offset);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(m.label(), xs, ys);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(marker(m.marker()));
            line.setMarkerColor(m.color());
            line.setLineColor(m.color());
            line.setLineStyle(new BasicStroke(2f));
        }
        return chart;
    }

    private static Marker marker(String code) {
        return switch (code) {
            case "s" -> SeriesMarkers.SQUARE;
            case "^" -> SeriesMarkers.TRIANGLE_UP;
            case "v" -> SeriesMarkers.TRIANGLE_DOWN;
            case "x" -> SeriesMarkers.CROSS;
            default -> SeriesMarkers.CIRCLE;
        };
    }
}
