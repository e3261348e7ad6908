package org.lincde.tables.artifacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * prefix giving it {@link Settings#solverSteps} Heun steps, a linear NCDE on at most {@link Settings#intervals}
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
     * @param shapes      dataset shapes
     * @param models      models
     * @param solverSteps Heun steps a neural CDE is measured on (0: the full length)
     * @param intervals   at most this many intervals for a linear NCDE (0: the full length)
     * @param warmup      untimed steps
     * @param steps       timed steps
     */
    record Settings(List<UeaStepCostPlan.Shape> shapes, List<UeaModel> models, int solverSteps, int intervals,
                    int warmup, int steps) {}

    static Settings settings(Profile p) {
        List<UeaModel> neural = List.of(NeuralCdeModel.NCDE, NeuralCdeModel.NRDE, NeuralCdeModel.LOG_NCDE);
        switch (p) {
            case SMOKE:
                return new Settings(List.of(shape("Heartbeat")), List.of(LinearNcdeVariant.BLOCK_DIAGONAL,
                        NeuralCdeModel.LOG_NCDE), 2, 16, 0, 1);
            case QUICK: {
                List<UeaModel> models = new ArrayList<>(List.of(LinearNcdeVariant.DIAGONAL,
                        LinearNcdeVariant.BLOCK_DIAGONAL, LinearNcdeVariant.DENSE));
                models.addAll(neural);
                return new Settings(UeaStepCostPlan.PAPER_SHAPES, models, 8, 128, 1, 2);
            }
            default: {
                List<UeaModel> models = new ArrayList<>(List.of(LinearNcdeVariant.values()));
                models.addAll(neural);
                return new Settings(UeaStepCostPlan.PAPER_SHAPES, models, 0, 0, 2, 5);
            }
        }
    }

    static UeaStepCostPlan.Shape shape(String dataset) {
        return UeaStepCostPlan.PAPER_SHAPES.stream().filter(s -> s.dataset().equals(dataset)).findFirst().orElseThrow();
    }

    /** The fraction of {@code shape} a model is measured on under {@code s}. */
    static double fraction(Settings s, UeaModel m, UeaStepCostPlan.Shape shape) {
        UeaExperiment e = UeaExperiment.paper(shape.dataset());
        if (m instanceof NeuralCdeModel n) {
            if (s.solverSteps() == 0) {
                return 1.0;
            }
            NeuralCdeSettings ns = e.neuralCde(n);
            float[] ts = HeunGrid.observationTimes(shape.length(), 1.0);
            int full = (int) Math.ceil(ts[ts.length - 1] / ns.dt0());
            return Math.min(1.0, (double) s.solverSteps() / full);
        }
        if (s.intervals() == 0) {
            return 1.0;
        }
        int full = LogSignatureIntervals.count(shape.length(), e.stepsize());
        return Math.min(1.0, (double) s.intervals() / full);
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
        if (s.solverSteps() > 0) {
            md.append(String.format("Measured on a prefix and extrapolated to the full length (the fraction of L is "
                    + "given in brackets): a neural CDE on the prefix that gives it %d Heun steps (dt0 scaled with the "
                    + "prefix, so steps per observation stay R3's), a linear NCDE on at most %d log-signature intervals; "
                    + "every model's work grows linearly with the length, so the extrapolation divides by the fraction "
                    + "(per-step overheads that do not grow, the Adam update among them, are divided too: the small-"
                    + "fraction numbers err high). ", s.solverSteps(), s.intervals()));
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
