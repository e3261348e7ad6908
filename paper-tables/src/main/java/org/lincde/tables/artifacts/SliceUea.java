package org.lincde.tables.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.harness.config.Required;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Verdicts;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.uea.LinearNcdeVariant;
import org.lincde.harness.uea.NeuralCdeModel;
import org.lincde.harness.uea.R3Baseline;
import org.lincde.harness.uea.UeaDataLocator;
import org.lincde.harness.uea.UeaExperiment;
import org.lincde.harness.uea.UeaModel;
import org.lincde.spi.DType;
import org.lincde.tables.PaperTargets;
import org.lincde.tables.render.RunTable;
import org.lincde.tables.render.Stats;
import org.lincde.tables.render.Table;

/**
 * SLiCE paper, the UEA table (docs/PAPER_RESULTS.md A.2): test accuracy (%) of the linear-NCDE variants and of R3's
 * SSM baselines (LRU, S5, S6, Mamba) on six UEA datasets with R3's protocol, mean ± population std over seeds,
 * beside the published rows (baselines, NCDE, NRDE, Log-NCDE and D/BD/DE per dataset; DPLR, S, WH and D-DE only
 * as averages). NCDE, NRDE and Log-NCDE train in the paper profile only: at R3's settings one of their training
 * steps takes minutes on a CPU ({@code slice-fig5} times them). Datasets absent on this machine are shown as
 * "data not available" with the command that fetches them ({@link UeaRuns#notAvailable}).
 */
@AutoService(Artifact.class)
public final class SliceUea implements Artifact {
    /** R3's neural CDEs, first rows of the published table; their key in {@code paper_targets.json} is the model name. */
    static final List<NeuralCdeModel> NEURAL = List.of(NeuralCdeModel.NCDE, NeuralCdeModel.NRDE,
            NeuralCdeModel.LOG_NCDE);

    /** The SSM baselines, in the published table's order; their key in {@code paper_targets.json} is the model name. */
    static final List<R3Baseline> BASELINES = List.of(R3Baseline.LRU, R3Baseline.S5, R3Baseline.S6, R3Baseline.MAMBA);

    /** The average-only published values (Oct 2025, {@code 44445f6}) per variant. */
    static final Map<LinearNcdeVariant, String> AVERAGE_ONLY = Map.of(
            LinearNcdeVariant.DPLR, "DPLR-SLiCE", LinearNcdeVariant.SPARSE, "S-SLiCE",
            LinearNcdeVariant.WALSH_HADAMARD, "WH-SLiCE", LinearNcdeVariant.DIAGONAL_DENSE, "D-DE-SLiCE");

    static final String PER_DATASET = "A_slice_uea_accuracy_per_dataset_may2025_(arXiv v1 era)";

    /** Short column names. */
    static final List<String> SHORT = List.of("EW", "EC", "HB", "MI", "SCP1", "SCP2");

    /**
     * The protocol per profile.
     *
     * @param models   models trained (linear-NCDE variants and baselines)
     * @param seeds    seeds per variant and dataset
     * @param budget   the profile's step budget; empty: R3's 100 000 steps, evaluated every 1 000
     * @param datasets how many of the available datasets (smoke: the cheapest one)
     */
    record Settings(List<UeaModel> models, List<Long> seeds, Optional<StepBudget> budget, int datasets) {
        static Builder builder() {
            return new Builder();
        }

        /** Every field is required except {@code budget}. */
        static final class Builder {
            private List<UeaModel> models;
            private List<Long> seeds;
            private Optional<StepBudget> budget = Optional.empty();
            private Integer datasets;

            Builder models(List<UeaModel> v) { models = List.copyOf(v); return this; }
            Builder seeds(List<Long> v) { seeds = List.copyOf(v); return this; }
            Builder budget(long numSteps, long printSteps) {
                budget = Optional.of(new StepBudget(numSteps, printSteps));
                return this;
            }
            Builder datasets(int v) { datasets = v; return this; }

            Settings build() {
                String what = "SliceUea.Settings";
                return new Settings(Required.field(models, what, "models"), Required.field(seeds, what, "seeds"),
                        budget, Required.field(datasets, what, "datasets"));
            }
        }
    }

    static Settings settings(Profile p) {
        switch (p) {
            case SMOKE:
                return Settings.builder().models(List.of(LinearNcdeVariant.BLOCK_DIAGONAL, R3Baseline.LRU))
                        .seeds(List.of(2345L)).budget(2, 1).datasets(1).build();
            case QUICK:
                return Settings.builder().models(List.of(LinearNcdeVariant.DIAGONAL, LinearNcdeVariant.BLOCK_DIAGONAL,
                                LinearNcdeVariant.DENSE, R3Baseline.LRU, R3Baseline.S5, R3Baseline.S6, R3Baseline.MAMBA))
                        .seeds(List.of(2345L)).budget(1000, 100).datasets(6).build();
            default:
                return Settings.builder().models(UeaModel.all()).seeds(UeaExperiment.R3_SEEDS).datasets(6).build();
        }
    }

    /** The datasets in the order the cheapest comes first (log-signature work and sequence length). */
    static final List<String> CHEAPEST_FIRST = List.of("SelfRegulationSCP1", "SelfRegulationSCP2", "Heartbeat",
            "EthanolConcentration", "EigenWorms", "MotorImagery");

    /** The experiments of {@code profile} (R3's settings, with the profile's step budget). */
    static List<UeaExperiment> experiments(Settings s) {
        List<UeaExperiment> out = new ArrayList<>();
        for (String name : s.datasets() < 6 ? CHEAPEST_FIRST : UeaExperiment.PAPER.stream()
                .map(UeaExperiment::dataset).toList()) {
            UeaExperiment e = UeaExperiment.paper(name);
            out.add(s.budget().map(b -> e.withSteps(b.numSteps(), b.printSteps())).orElse(e));
        }
        return out;
    }

    /** The plans of {@code profile}; shared with {@code slice-fig5}, which plots the same runs. */
    static List<RunPlan> plans(Profile profile, String backend, DType dtype) {
        Settings s = settings(profile);
        UeaDataLocator locator = UeaDataLocator.defaults();
        List<UeaExperiment> exps = new ArrayList<>();
        for (UeaExperiment e : experiments(s)) {
            if (exps.size() < s.datasets() && locator.available(e.dataset())) {
                exps.add(e);
            }
        }
        return UeaRuns.plans("slice-uea", exps, s.models(), s.seeds(), locator, backend, dtype);
    }

    @Override
    public String id() {
        return "slice-uea";
    }

    @Override
    public String title() {
        return "SLiCE: UEA multivariate classification, test accuracy (%) over six datasets";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
        return plans(profile, backend, dtype);
    }

    private static JsonNode perDataset() {
        return PaperTargets.section(PER_DATASET);
    }

    /** The published mean and std of {@code key} on {@code dataset}, or null. */
    static PaperTargets.Published published(String key, String dataset) {
        JsonNode row = perDataset().get(key);
        JsonNode cell = row == null ? null : row.get(dataset);
        return cell == null ? null : new PaperTargets.Published(cell.get("mean").asDouble(), cell.get("std").asDouble());
    }

    /** Each measured (model, dataset) cell against the published mean ± 2 std where one exists. */
    @Override
    public Verdicts verdicts(Profile profile, List<RunPlan> grid, Results results) {
        Settings s = settings(profile);
        Map<String, Map<String, List<RunRecord>>> rec = UeaRuns.collect(grid, results);
        Verdicts v = Verdicts.NONE;
        for (UeaModel var : s.models()) {
            for (UeaExperiment e : UeaExperiment.PAPER) {
                PaperTargets.Published pub = published(var.modelName(), e.dataset());
                if (pub == null) {
                    continue;
                }
                List<RunRecord> rs = rec.getOrDefault(var.label(), Map.of()).getOrDefault(e.dataset(), List.of());
                if (rs.isEmpty()) {
                    v = v.plus(new Verdicts(0, 0, 0, 1));
                } else {
                    v = v.plus(pub.within2Std(Stats.mean(UeaRuns.testAccuracies(rs)))
                            ? new Verdicts(1, 0, 0, 0) : new Verdicts(0, 0, 1, 0));
                }
            }
        }
        return v;
    }

    @Override
    public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) throws IOException {
        Settings s = settings(profile);
        Map<String, Map<String, List<RunRecord>>> rec = UeaRuns.collect(grid, results);
        Map<String, List<String>> planned = UeaRuns.planned(grid);
        Map<List<String>, RunTable.Stat> accuracy = UeaRuns.testAccuracy(id(), grid, results);
        UeaDataLocator locator = UeaDataLocator.defaults();
        List<String> header = new ArrayList<>(List.of("Model"));
        header.addAll(SHORT);
        header.add("Avg");
        Table table = new Table(header);
        for (NeuralCdeModel n : NEURAL) {
            table.row(publishedRow(n.label() + " (published)", n.modelName()));
            table.row(measuredRow(n, profile, rec, accuracy, planned, locator));
        }
        for (R3Baseline b : BASELINES) {
            table.row(publishedRow(b.label() + " (published)", b.modelName()));
            if (s.models().contains(b)) {
                table.row(measuredRow(b, profile, rec, accuracy, planned, locator));
            }
        }
        for (LinearNcdeVariant var : LinearNcdeVariant.values()) {
            boolean perDatasetPublished = perDataset().has(var.modelName());
            if (perDatasetPublished) {
                table.row(publishedRow(var.label() + " (published)", var.modelName()));
            } else {
                List<String> row = new ArrayList<>(List.of(var.label() + " (published)"));
                for (int i = 0; i < SHORT.size(); i++) {
                    row.add("—");
                }
                JsonNode avg = PaperTargets.section("A_slice_uea_average_accuracy_by_repo_version")
                        .get("44445f6_2025-10-14").get(AVERAGE_ONLY.get(var));
                row.add(avg == null ? "—" : String.format("%.1f", avg.asDouble()));
                table.row(row);
            }
            if (s.models().contains(var)) {
                table.row(measuredRow(var, profile, rec, accuracy, planned, locator));
            }
        }
        List<Path> files = new ArrayList<>();
        Path page = outDir.resolve("uea.md");
        files.add(page);
        files.addAll(table.write(outDir, "uea"));
        files.add(UeaRuns.writeRuns(id(), grid, results, outDir, "uea"));
        StringBuilder md = new StringBuilder("# ").append(title()).append("\n\n");
        md.append("Columns: EigenWorms, EthanolConcentration, Heartbeat, MotorImagery, SelfRegulationSCP1/2. ");
        md.append(String.format("Profile `%s`: models %s, seeds %s, %s; R3's per-dataset settings (SPEC §4.3; "
                + "the baselines' own lr, time, blocks, width and state size), early stopping on validation accuracy, test accuracy at the last selected checkpoint. ",
                profile.label(), s.models().stream().map(UeaModel::label).toList(), s.seeds(),
                StepBudget.describe(s.budget())));
        md.append("Measured cells: mean ± population std over seeds (%); ✓ within the published mean ± 2 std, ✗ outside ("
                ).append(verdicts(profile, grid, results).text()).append(").\n\n");
        List<String> missing = UeaExperiment.PAPER.stream().map(UeaExperiment::dataset)
                .filter(n -> !locator.available(n)).toList();
        if (!missing.isEmpty()) {
            md.append("Not on this machine: ").append(String.join(", ", missing))
                    .append(". Fetch them with `").append(UeaDataLocator.fetchCommand(missing))
                    .append("` (or point `-Dlincde.uea.dir` at them); searched: ").append(locator.searched())
                    .append(".\n\n");
        }
        md.append(table.markdown()).append('\n');
        md.append("Published: SLiCE paper / Log-NCDE repository `results/paper_outputs.zip` (docs/PAPER_RESULTS.md A.2, "
                + "May 2025); DPLR, S, WH and D-DE averages from the repository's Oct 2025 plotting script (per-dataset "
                + "values not published). S6/Mamba numbers are per-batch averages (SPEC §2.9); lincde's are too. "
                + "The measured baseline rows reproduce R3's quirks: S6/Mamba train on PyTorch's cross-entropy of softmax "
                + "outputs (a double softmax), LRU/S5's BatchNorm keeps running statistics (momentum 0.99). NCDE, NRDE and "
                + "Log-NCDE (docs/models/neural-cdes.md) train with R3's repeat configs (Heun at R3's dt0, unscaled "
                + "series, evaluation every 100 steps) in the paper profile; a training step at those settings takes "
                + "minutes on a CPU, so the smaller profiles leave them out (`slice-fig5` times them, `uea-mini` trains "
                + "them on two small datasets).\n");
        if (profile != Profile.PAPER) {
            md.append("\nThe ").append(profile.label()).append(" profile trains far less than the paper: compare "
                    + "orderings, not values.\n");
        }
        AtomicFiles.writeString(page, md.toString());
        return files;
    }

    /** The measured row of {@code model}: one cell per paper dataset, then the average. */
    private static List<String> measuredRow(UeaModel model, Profile profile, Map<String, Map<String, List<RunRecord>>> rec,
                                            Map<List<String>, RunTable.Stat> accuracy,
                                            Map<String, List<String>> planned, UeaDataLocator locator) {
        List<String> row = new ArrayList<>(List.of(model.label() + " (lincde)"));
        List<Double> means = new ArrayList<>();
        for (UeaExperiment e : UeaExperiment.PAPER) {
            List<RunRecord> rs = rec.getOrDefault(model.label(), Map.of()).getOrDefault(e.dataset(), List.of());
            if (!rs.isEmpty()) {
                RunTable.Stat st = accuracy.get(List.of(model.label(), e.dataset()));
                String cell = st.text(100);
                means.add(100 * st.mean());
                PaperTargets.Published pub = published(model.modelName(), e.dataset());
                if (pub != null) {
                    cell += pub.within2Std(100 * st.mean()) ? " ✓" : " ✗";
                }
                row.add(cell);
            } else if (!locator.available(e.dataset())) {
                row.add(UeaRuns.notAvailable(e.dataset()));
            } else if (planned.getOrDefault(model.label(), List.of()).contains(e.dataset())) {
                row.add("pending");
            } else if (model instanceof NeuralCdeModel) {
                row.add("not in the " + profile.label() + " profile (minutes per step on a CPU: see slice-fig5)");
            } else {
                row.add("not in the " + profile.label() + " profile");
            }
        }
        row.add(means.size() == UeaExperiment.PAPER.size() ? String.format("%.1f", Stats.mean(means))
                : means.isEmpty() ? "—" : String.format("%.1f (%d of 6)", Stats.mean(means), means.size()));
        return row;
    }

    private static List<String> publishedRow(String label, String key) {
        List<String> row = new ArrayList<>(List.of(label));
        for (UeaExperiment e : UeaExperiment.PAPER) {
            PaperTargets.Published p = published(key, e.dataset());
            row.add(p == null ? "—" : p.text());
        }
        JsonNode avg = perDataset().get(key).get("_average_of_means");
        row.add(avg == null ? "—" : String.format("%.1f", avg.asDouble()));
        return row;
    }
}
