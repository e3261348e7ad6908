package org.lincde.tables.artifacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.harness.config.Required;
import org.lincde.harness.data.uea.LogSignatureIntervals;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.uea.LinearNcdeVariant;
import org.lincde.harness.uea.NeuralCdeModel;
import org.lincde.harness.uea.NeuralCdeSettings;
import org.lincde.harness.uea.UeaExperiment;
import org.lincde.harness.uea.UeaModel;
import org.lincde.harness.uea.UeaStepCostPlan;
import org.lincde.spi.DType;
import org.lincde.spi.model.HeunGrid;
import org.lincde.tables.render.Stats;
import org.lincde.tables.render.Table;

/**
 * Time per training step and peak memory of NCDE, NRDE, Log-NCDE and the SLiCE variants on each UEA dataset's
 * shape, all measured in one run on this machine ({@link UeaStepCostPlan}; shared by {@code slice-fig5} and
 * {@code slice-costs}, which store the records once under {@code slice-fig5}). A neural CDE is measured on a
 * prefix giving it {@link Prefix#solverSteps} Heun steps, a linear NCDE on at most {@link Prefix#intervals}
 * intervals; both extrapolate to the full length. The headline claim: Log-NCDE / BD-SLiCE = 20.5× (May 2025
 * data) and 19.4× (Oct 2025) in seconds per 1 000 steps, averaged over the six datasets.
 */
final class UeaStepCosts {
    /** The artifact that owns the records. */
    static final String OWNER = "slice-fig5";
    /** The published Log-NCDE / BD ratios of the averages: 1131.17 / 55.29 (May 2025) and 1321.69 / 68.07 (Oct). */
    static final double PUBLISHED_RATIO_MAY = 1131.17 / 55.29;
    static final double PUBLISHED_RATIO_OCT = 1321.69 / 68.07;

    private UeaStepCosts() {
    }

    /**
     * Sizes per profile.
     *
     * @param shapes dataset shapes
     * @param models models
     * @param prefix the part of each series measured; empty: the full length
     * @param warmup untimed steps
     * @param steps  timed steps
     */
    record Settings(List<UeaStepCostPlan.Shape> shapes, List<UeaModel> models, Optional<Prefix> prefix, int warmup,
                    int steps) {
        static Builder builder() {
            return new Builder();
        }

        /** Every field is required except {@code prefix}. */
        static final class Builder {
            private List<UeaStepCostPlan.Shape> shapes;
            private List<UeaModel> models;
            private Optional<Prefix> prefix = Optional.empty();
            private Integer warmup;
            private Integer steps;

            Builder shapes(List<UeaStepCostPlan.Shape> v) { shapes = List.copyOf(v); return this; }
            Builder models(List<UeaModel> v) { models = List.copyOf(v); return this; }
            Builder prefix(int solverSteps, int intervals) {
                prefix = Optional.of(new Prefix(solverSteps, intervals));
                return this;
            }
            Builder warmup(int v) { warmup = v; return this; }
            Builder steps(int v) { steps = v; return this; }

            Settings build() {
                String what = "UeaStepCosts.Settings";
                return new Settings(Required.field(shapes, what, "shapes"), Required.field(models, what, "models"),
                        prefix, Required.field(warmup, what, "warmup"), Required.field(steps, what, "steps"));
            }
        }
    }

    /**
     * A measured prefix.
     *
     * @param solverSteps Heun steps a neural CDE is measured on
     * @param intervals   at most this many log-signature intervals for a linear NCDE
     */
    record Prefix(int solverSteps, int intervals) {}

    static Settings settings(Profile p) {
        List<UeaModel> neural = List.of(NeuralCdeModel.NCDE, NeuralCdeModel.NRDE, NeuralCdeModel.LOG_NCDE);
        switch (p) {
            case SMOKE:
                return Settings.builder().shapes(List.of(shape("Heartbeat")))
                        .models(List.of(LinearNcdeVariant.BLOCK_DIAGONAL, NeuralCdeModel.LOG_NCDE))
                        .prefix(2, 16).warmup(0).steps(1).build();
            case QUICK: {
                List<UeaModel> models = new ArrayList<>(List.of(LinearNcdeVariant.DIAGONAL,
                        LinearNcdeVariant.BLOCK_DIAGONAL, LinearNcdeVariant.DENSE));
                models.addAll(neural);
                return Settings.builder().shapes(UeaStepCostPlan.PAPER_SHAPES).models(models)
                        .prefix(8, 128).warmup(1).steps(2).build();
            }
            default: {
                List<UeaModel> models = new ArrayList<>(List.of(LinearNcdeVariant.values()));
                models.addAll(neural);
                // no prefix: the full lengths
                return Settings.builder().shapes(UeaStepCostPlan.PAPER_SHAPES).models(models).warmup(2).steps(5)
                        .build();
            }
        }
    }

    static UeaStepCostPlan.Shape shape(String dataset) {
        return UeaStepCostPlan.PAPER_SHAPES.stream().filter(s -> s.dataset().equals(dataset)).findFirst().orElseThrow();
    }

    /** The fraction of {@code shape} a model is measured on under {@code s}. */
    static double fraction(Settings s, UeaModel m, UeaStepCostPlan.Shape shape) {
        if (s.prefix().isEmpty()) {
            return 1.0;
        }
        UeaExperiment e = UeaExperiment.paper(shape.dataset());
        if (m instanceof NeuralCdeModel n) {
            NeuralCdeSettings ns = e.neuralCde(n);
            float[] ts = HeunGrid.observationTimes(shape.length(), 1.0);
            int full = (int) Math.ceil(ts[ts.length - 1] / ns.dt0());
            return Math.min(1.0, (double) s.prefix().get().solverSteps() / full);
        }
        int full = LogSignatureIntervals.count(shape.length(), e.stepsize());
        return Math.min(1.0, (double) s.prefix().get().intervals() / full);
    }

    static List<RunPlan> plans(Profile profile, String backend, DType dtype) {
        Settings s = settings(profile);
        List<RunPlan> out = new ArrayList<>();
        for (UeaStepCostPlan.Shape shape : s.shapes()) {
            for (UeaModel m : s.models()) {
                out.add(new UeaStepCostPlan(OWNER, m.label() + " / " + shape.dataset() + " / step cost", m, shape,
                        fraction(s, m, shape), s.warmup(), s.steps(), backend, dtype));
            }
        }
        return out;
    }

    /** Records by model label, then dataset (the cost plans of {@code grid} only). */
    static Map<String, Map<String, RunRecord>> collect(List<RunPlan> grid, Artifact.Results results) {
        Map<String, Map<String, RunRecord>> m = new LinkedHashMap<>();
        for (RunPlan p : grid) {
            if (p instanceof UeaStepCostPlan c) {
                results.of(p).ifPresent(r -> m.computeIfAbsent(c.model().label(), k -> new LinkedHashMap<>())
                        .put(c.shape().dataset(), r));
            }
        }
        return m;
    }

    /** Log-NCDE / BD-LNCDE seconds per 1 000 steps per dataset where both were measured. */
    static Map<String, Double> ratios(Map<String, Map<String, RunRecord>> rec) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, RunRecord> log = rec.getOrDefault(NeuralCdeModel.LOG_NCDE.label(), Map.of());
        Map<String, RunRecord> bd = rec.getOrDefault(LinearNcdeVariant.BLOCK_DIAGONAL.label(), Map.of());
        for (UeaStepCostPlan.Shape s : UeaStepCostPlan.PAPER_SHAPES) {
            if (log.containsKey(s.dataset()) && bd.containsKey(s.dataset())) {
                out.put(s.dataset(), seconds(log.get(s.dataset())) / seconds(bd.get(s.dataset())));
            }
        }
        return out;
    }

    /** The ratio of the six-dataset averages (the paper's way: 1131.17 / 55.29), or NaN when a dataset is missing. */
    static double ratioOfAverages(Map<String, Map<String, RunRecord>> rec) {
        Map<String, RunRecord> log = rec.getOrDefault(NeuralCdeModel.LOG_NCDE.label(), Map.of());
        Map<String, RunRecord> bd = rec.getOrDefault(LinearNcdeVariant.BLOCK_DIAGONAL.label(), Map.of());
        if (log.size() < UeaStepCostPlan.PAPER_SHAPES.size() || bd.size() < UeaStepCostPlan.PAPER_SHAPES.size()) {
            return Double.NaN;
        }
        return average(log) / average(bd);
    }

    static double seconds(RunRecord r) {
        return r.metrics().getOrDefault("seconds_per_1000_steps", Double.NaN);
    }

    static double average(Map<String, RunRecord> byDataset) {
        return Stats.mean(byDataset.values().stream().map(UeaStepCosts::seconds).toList());
    }

    /** The time table (s / 1000 steps, extrapolated; the measured fraction in brackets) and the ratio row. */
    static Table timeTable(Profile profile, List<RunPlan> grid, Artifact.Results results) {
        Settings s = settings(profile);
        Map<String, Map<String, RunRecord>> rec = collect(grid, results);
        List<String> header = new ArrayList<>(List.of("Model"));
        header.addAll(SliceUea.SHORT);
        header.addAll(List.of("Avg s / 1000 steps", "peak RSS MB (max)"));
        Table t = new Table(header);
        for (UeaModel m : s.models()) {
            Map<String, RunRecord> byDs = rec.getOrDefault(m.label(), Map.of());
            List<String> row = new ArrayList<>(List.of(m.label()));
            double rss = 0;
            for (UeaStepCostPlan.Shape shape : UeaStepCostPlan.PAPER_SHAPES) {
                RunRecord r = byDs.get(shape.dataset());
                if (r == null) {
                    row.add(s.shapes().contains(shape) ? "pending" : "—");
                    continue;
                }
                rss = Math.max(rss, r.peakRssMb());
                double f = r.metrics().getOrDefault("effective_fraction", 1.0);
                row.add(f >= 1 ? String.format("%.1f", seconds(r))
                        : String.format("%.1f (%.3g of L)", seconds(r), f));
            }
            row.add(byDs.size() == UeaStepCostPlan.PAPER_SHAPES.size() ? String.format("%.1f", average(byDs))
                    : byDs.isEmpty() ? "—" : String.format("%.1f (%d of 6)", average(byDs), byDs.size()));
            row.add(byDs.isEmpty() ? "—" : String.format("%.0f", rss));
            t.row(row);
        }
        Map<String, Double> ratios = ratios(rec);
        List<String> row = new ArrayList<>(List.of("Log-NCDE / BD-LNCDE"));
        for (UeaStepCostPlan.Shape shape : UeaStepCostPlan.PAPER_SHAPES) {
            Double r = ratios.get(shape.dataset());
            row.add(r == null ? "—" : String.format("%.1f×", r));
        }
        double avg = ratioOfAverages(rec);
        row.add(Double.isNaN(avg) ? "—" : String.format("%.1f× (paper 20.5×, 19.4×)", avg));
        row.add("");
        t.row(row);
        return t;
    }

    /** The page text describing the measurement. */
    static String describe(Profile profile, String backend) {
        Settings s = settings(profile);
        StringBuilder md = new StringBuilder();
        md.append(String.format("Time per 1 000 training steps (forward + backward + Adam, median of %d timed steps "
                + "after %d warm-up) on backend `%s`, every model in the same run on this machine, with R3's per-dataset "
                + "settings (hidden sizes, vector fields, dt0, stepsize, depth) on synthetic data of each UEA dataset's "
                + "length, channels (plus the model's time channel), classes and R3's batch of 32. ", s.steps(),
                s.warmup(), backend));
        if (s.prefix().isPresent()) {
            md.append(String.format("Measured on a prefix and extrapolated to the full length (the fraction of L is "
                    + "given in brackets): a neural CDE on the prefix that gives it %d Heun steps (dt0 scaled with the "
                    + "prefix, so steps per observation stay R3's), a linear NCDE on at most %d log-signature intervals; "
                    + "every model's work grows linearly with the length, so the extrapolation divides by the fraction "
                    + "(per-step overheads that do not grow, the Adam update among them, are divided too: the small-"
                    + "fraction numbers err high). ", s.prefix().get().solverSteps(),
                    s.prefix().get().intervals()));
        } else {
            md.append("Full lengths. ");
        }
        md.append("Peak RSS is the JVM's peak resident memory during the measured steps (not GPU memory; lincde's tape "
                + "stores every Heun stage where diffrax's RecursiveCheckpointAdjoint recomputes, so the neural CDEs' "
                + "memory is not comparable with the paper's). The machine is shared and loaded: absolute seconds are "
                + "this run's, the ratios are the comparison (all measured in one run). The linear NCDEs run their "
                + "recurrent evaluation, as `slice-uea` trains them.\n");
        return md.toString();
    }
}
