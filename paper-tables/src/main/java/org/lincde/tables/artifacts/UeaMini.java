package org.lincde.tables.artifacts;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Verdicts;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.uea.LinearNcdeVariant;
import org.lincde.harness.uea.NeuralCdeModel;
import org.lincde.harness.uea.R3Baseline;
import org.lincde.harness.uea.SsmSettings;
import org.lincde.harness.uea.UeaDataLocator;
import org.lincde.harness.uea.UeaExperiment;
import org.lincde.harness.uea.UeaModel;
import org.lincde.spi.DType;
import org.lincde.tables.render.RunTable;
import org.lincde.tables.render.Stats;
import org.lincde.tables.render.Table;

/**
 * The SLiCE UEA protocol (R3, SPEC §4.3) on the two small UEA datasets lincde ships (BundledUeaData; docs/PAPER_RESULTS.md E),
 * BasicMotions and JapaneseVowels, which run on a CPU in minutes: test accuracy per linear-NCDE variant and
 * per R3 SSM baseline (LRU, S5, S6, Mamba, on the raw series), mean ± population std over seeds. No paper reports these datasets with these models; the check is the
 * claim that a maximally expressive SLiCE (BD-LNCDE) reaches at least 90 % on BasicMotions (strong
 * classifiers reach 100 % there, Ruiz et al. 2021, docs/PAPER_RESULTS.md E).
 */
@AutoService(Artifact.class)
public final class UeaMini implements Artifact {
    static final List<String> DATASETS = List.of("BasicMotions", "JapaneseVowels");

    /** BD-LNCDE's claimed BasicMotions test accuracy (%). */
    static final double CLAIM = 90.0;

    /** R3's neural CDEs. */
    static final List<UeaModel> NEURAL = List.of(NeuralCdeModel.NCDE, NeuralCdeModel.NRDE, NeuralCdeModel.LOG_NCDE);

    /** The four SSM baselines, in the published table's order. */
    static final List<UeaModel> BASELINES = List.of(R3Baseline.LRU, R3Baseline.S5, R3Baseline.S6, R3Baseline.MAMBA);

    /** A block of models trained with the same seeds. */
    record Group(List<UeaModel> models, List<Long> seeds) {}

    /**
     * The protocol per profile.
     *
     * @param groups models and their seeds
     * @param budget the profile's step budget; empty: R3's 100 000 steps, evaluated every 1 000
     * @param hidden the linear NCDEs' hidden size; empty: {@link UeaExperiment#MINI}'s
     * @param tiny   shrink the baselines to 1 block, H = 8, state 4, and the neural CDEs likewise (smoke)
     */
    record Settings(List<Group> groups, Optional<StepBudget> budget, OptionalInt hidden, boolean tiny) {
        static Builder builder() {
            return new Builder();
        }

        /** At least one group; the other fields are optional. */
        static final class Builder {
            private final List<Group> groups = new ArrayList<>();
            private Optional<StepBudget> budget = Optional.empty();
            private OptionalInt hidden = OptionalInt.empty();
            private boolean tiny;

            Builder group(List<? extends UeaModel> models, List<Long> seeds) {
                groups.add(new Group(List.copyOf(models), List.copyOf(seeds)));
                return this;
            }
            Builder budget(long numSteps, long printSteps) {
                budget = Optional.of(new StepBudget(numSteps, printSteps));
                return this;
            }
            Builder hidden(int v) { hidden = OptionalInt.of(v); return this; }
            Builder tiny(boolean v) { tiny = v; return this; }

            Settings build() {
                if (groups.isEmpty()) {
                    throw new IllegalStateException("UeaMini.Settings: at least one group is required: call group(…) "
                            + "before build()");
                }
                return new Settings(List.copyOf(groups), budget, hidden, tiny);
            }
        }
    }

    static Settings settings(Profile p) {
        switch (p) {
            case SMOKE:
                return Settings.builder()
                        .group(List.of(LinearNcdeVariant.BLOCK_DIAGONAL, R3Baseline.LRU, R3Baseline.S5), List.of(2345L))
                        .group(NEURAL, List.of(2345L))
                        .budget(20, 10).hidden(8).tiny(true).build();
            case QUICK:
                // D-DE at h = 16 is R3's plain dense (block 16 = h), the DE row: not repeated
                return Settings.builder()
                        .group(List.of(LinearNcdeVariant.DIAGONAL, LinearNcdeVariant.BLOCK_DIAGONAL,
                                LinearNcdeVariant.DENSE), List.of(2345L, 3456L, 4567L))
                        .group(List.of(LinearNcdeVariant.DPLR, LinearNcdeVariant.SPARSE,
                                LinearNcdeVariant.WALSH_HADAMARD), List.of(2345L))
                        .group(BASELINES, List.of(2345L))
                        .group(NEURAL, List.of(2345L, 3456L, 4567L))
                        .budget(600, 50).build();
            default:
                return Settings.builder().group(UeaModel.all(), UeaExperiment.R3_SEEDS).build();
        }
    }

    @Override
    public String id() {
        return "uea-mini";
    }

    @Override
    public String title() {
        return "SLiCE UEA protocol on BasicMotions and JapaneseVowels (CPU-sized)";
    }

    @Override
    public int order() {
        return 42;
    }

    static List<UeaExperiment> experiments(Settings s) {
        List<UeaExperiment> out = new ArrayList<>();
        for (String name : DATASETS) {
            UeaExperiment e = UeaExperiment.mini(name);
            if (s.budget().isPresent()) {
                // the profile's evaluation period for every model (R3's neural-CDE configs evaluate every 100)
                StepBudget b = s.budget().get();
                e = e.withSteps(b.numSteps(), b.printSteps()).mapNeuralCdes((m, x) -> x.withDatasetPrintSteps());
            }
            if (s.hidden().isPresent()) {
                e = e.withHidden(s.hidden().getAsInt());
            }
            if (s.tiny()) {
                e = e.mapBaselines(b -> b.withSizes(1, 8, 4)).mapNeuralCdes((m, x) -> x.withSizes(8, 1, 8, x.dt0()));
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
        Settings s = settings(profile);
        UeaDataLocator locator = UeaDataLocator.defaults();
        List<RunPlan> plans = new ArrayList<>();
        for (Group g : s.groups()) {
            plans.addAll(UeaRuns.plans(id(), experiments(s), g.models(), g.seeds(), locator, backend, dtype));
        }
        return plans;
    }

    /** BD-LNCDE's mean BasicMotions test accuracy is at least {@value #CLAIM} %. */
    @Override
    public Verdicts verdicts(Profile profile, List<RunPlan> grid, Results results) {
        List<RunRecord> bd = UeaRuns.collect(grid, results).getOrDefault(LinearNcdeVariant.BLOCK_DIAGONAL.label(), Map.of())
                .getOrDefault("BasicMotions", List.of());
        if (bd.isEmpty()) {
            return new Verdicts(0, 0, 0, 1);
        }
        return Stats.mean(UeaRuns.testAccuracies(bd)) >= CLAIM ? new Verdicts(0, 1, 0, 0) : new Verdicts(0, 0, 1, 0);
    }

    @Override
    public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) throws IOException {
        Settings s = settings(profile);
        Map<String, Map<String, List<RunRecord>>> rec = UeaRuns.collect(grid, results);
        Map<String, List<String>> planned = UeaRuns.planned(grid);
        UeaDataLocator locator = UeaDataLocator.defaults();
        Map<List<String>, RunTable.Stat> accuracy = UeaRuns.testAccuracy(id(), grid, results);
        Table table = new Table(List.of("Model", "BasicMotions", "JapaneseVowels", "s / 1000 steps", "peak RSS MB",
                "parameters (BasicMotions)"));
        for (Group g : s.groups()) {
            for (UeaModel v : g.models()) {
                Map<String, List<RunRecord>> byDs = rec.getOrDefault(v.label(), Map.of());
                List<String> row = new ArrayList<>(List.of(v.label()));
                List<RunRecord> all = new ArrayList<>();
                for (String ds : DATASETS) {
                    List<RunRecord> rs = byDs.getOrDefault(ds, List.of());
                    all.addAll(rs);
                    if (!rs.isEmpty()) {
                        row.add(accuracy.get(List.of(v.label(), ds)).text(100));
                    } else if (!locator.available(ds)) {
                        row.add(UeaRuns.notAvailable(ds));
                    } else {
                        row.add(planned.getOrDefault(v.label(), List.of()).contains(ds) ? "pending" : "—");
                    }
                }
                row.add(all.isEmpty() ? "—" : String.format("%.1f", UeaRuns.mean(all, "seconds_per_1000_steps")));
                row.add(all.isEmpty() ? "—" : String.format("%.0f", UeaRuns.meanRss(all)));
                List<RunRecord> bm = byDs.getOrDefault("BasicMotions", List.of());
                row.add(bm.isEmpty() ? "—" : String.format("%,.0f", bm.get(0).metrics().get("parameters")));
                table.row(row);
            }
        }
        List<Path> files = new ArrayList<>();
        Path page = outDir.resolve("uea_mini.md");
        files.add(page);
        files.addAll(table.write(outDir, "uea_mini"));
        files.add(UeaRuns.writeRuns(id(), grid, results, outDir, "uea_mini"));
        List<UeaExperiment> exps = experiments(s);
        StringBuilder md = new StringBuilder("# ").append(title()).append("\n\n");
        md.append(String.format("Profile `%s`: R3's protocol (Adam, constant lr %.0e, batch 32, early stopping on "
                + "validation accuracy, test accuracy at the last selected checkpoint) with lincde's settings for these "
                + "datasets: time channel, [−1, 1] scaling, 70/15/15 split, depth-2 log-signatures (stepsize %d and %d), "
                + "h = %d, λ = %.0e, %s. Test accuracy (%%), mean ± population std over seeds; BasicMotions has 12 test "
                + "cases, JapaneseVowels 96.%n%n", profile.label(), exps.get(0).learningRate(), exps.get(0).stepsize(),
                exps.get(1).stepsize(), exps.get(0).hidden(), exps.get(0).lambda(),
                StepBudget.describe(s.budget())));
        md.append(table.markdown()).append('\n');
        md.append("Claim: BD-LNCDE reaches ≥ ").append(String.format("%.0f", CLAIM)).append(" % on BasicMotions (")
                .append(verdicts(profile, grid, results).text()).append("). For context (not these models): strong "
                + "classifiers reach 100 % on BasicMotions and 95–99 % on JapaneseVowels (Ruiz et al. 2021).\n");
        md.append(baselineText(exps.get(0), s)).append('\n');
        md.append(neuralText(exps, s)).append('\n');
        if (s.groups().stream().noneMatch(g -> g.models().contains(LinearNcdeVariant.DIAGONAL_DENSE))) {
            md.append("\nD-DE-LNCDE is left out: with h ≤ 16 R3 runs it as the plain dense model (block 16 ≥ h), the "
                    + "DE-LNCDE row.\n");
        }
        if (DATASETS.stream().anyMatch(d -> !locator.available(d))) {
            md.append("\nSearched for the data in ").append(locator.searched()).append(".\n");
        }
        AtomicFiles.writeString(page, md.toString());
        return files;
    }

    /** The neural CDEs' settings as the page states them. */
    static String neuralText(List<UeaExperiment> exps, Settings s) {
        if (s.groups().stream().noneMatch(g -> g.models().contains(NeuralCdeModel.LOG_NCDE))) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (UeaExperiment e : exps) {
            var nc = e.neuralCde(NeuralCdeModel.NCDE);
            var lg = e.neuralCde(NeuralCdeModel.LOG_NCDE);
            parts.add(String.format("%s: NCDE dt0 %.3g, NRDE and Log-NCDE dt0 %.3g (stepsize %d, depth %d)", e.dataset(),
                    nc.dt0(), lg.dt0(), lg.stepsize(), lg.depth()));
        }
        var x = exps.get(0).neuralCde(NeuralCdeModel.LOG_NCDE);
        return "\nNCDE, NRDE, Log-NCDE (R3's models, docs/models/neural-cdes.md; lincde's settings for these datasets, "
                + String.format("not from a paper): unscaled series with the time channel, h = %d, an MLP of depth %d "
                        + "and width %d, Heun at constant dt0, lr %.0e, Log-NCDE's scale %.0f and λ = %.0e%s. ", x.hidden(),
                x.vfDepth(), x.vfWidth(), x.learningRate(), x.scale(), x.lambda(), s.tiny() ? "; smoke sizes" : "")
                + String.join("; ", parts) + ".\n";
    }

    /** The baselines' settings as the page states them (the same on both datasets). */
    static String baselineText(UeaExperiment e, Settings s) {
        List<String> parts = new ArrayList<>();
        for (UeaModel m : BASELINES) {
            R3Baseline b = (R3Baseline) m;
            SsmSettings x = e.baseline(b);
            String extra = b == R3Baseline.S5 ? ", " + x.ssmBlocks().getAsInt() + " HiPPO blocks"
                    : b == R3Baseline.MAMBA ? ", conv " + x.convDim().getAsInt() + ", expansion "
                            + x.expansion().getAsInt() : "";
            parts.add(String.format("%s %d blocks, H = %d, state %d%s", b.label(), x.numBlocks(), x.hidden(),
                    x.ssmDim(), extra));
        }
        SsmSettings lru = e.baseline(R3Baseline.LRU);
        return "\nBaselines (R3's classifiers on the raw series, " + (lru.includeTime() ? "time channel, " : "")
                + String.format("lr %.0e, no regulariser", lru.learningRate()) + (s.tiny() ? "; smoke sizes" : "")
                + "): " + String.join("; ", parts) + ". LRU/S5's BatchNorm evaluates with running statistics "
                + "(momentum 0.99, as R3); S6/Mamba train on PyTorch's cross-entropy of softmax outputs (R3's double "
                + "softmax [QUIRK]) and report R3's per-batch accuracy.\n";
    }
}
