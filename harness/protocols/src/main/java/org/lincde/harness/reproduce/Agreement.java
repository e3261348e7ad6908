package org.lincde.harness.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.PerturbedRunPlan;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.DType;

/**
 * The cross-backend agreement table of {@code reproduce --backend all} (docs/protocols/agreement.md): for
 * every cell of an artifact, the continuous quantities every record has — the training loss at each
 * evaluation step, the validation RMSE or last loss where the protocol records one — compared between every
 * pair of backends by relative difference, and the headline metric (accuracy, depth, RMSE) by its difference.
 * Each pair is held to the {@link AgreementTolerance} of its dtype pair and training length; a row gets ✓ when
 * every pair is within it and ✗ otherwise, and every ✗ is named so {@code reproduce} can exit non-zero.
 * A run whose key is the same on every backend (it uses none: the random Linear CDE + least squares) is
 * shown once, as backend-independent.
 */
public final class Agreement {
    private Agreement() {}

    /** Headline metrics in order of preference (an artifact's records carry one of them). */
    static final List<String> HEADLINES = List.of("min_depth", "test_accuracy", "best_accuracy",
            "best_validation_accuracy", "val_rmse", "last_loss");

    /** The metric a cell is compared by: the artifact's headline if present (accuracies in %). */
    static Optional<Headline> headline(RunRecord r) {
        for (String k : HEADLINES) {
            Double v = r.metrics().get(k);
            if (v != null) {
                return Optional.of(new Headline(k, isAccuracy(k) ? 100 * v : v));
            }
        }
        return Optional.empty();
    }

    /** A record's headline metric, accuracies in percent. */
    record Headline(String name, double value) {}

    static boolean isAccuracy(String metric) {
        return metric.endsWith("accuracy");
    }

    /**
     * Whether a metric is a continuous quantity computed by the backend (a loss, an RMSE, an MSE, at the end or
     * at a step {@code name@step}): timings, parameter counts and discrete metrics are not.
     */
    static boolean isContinuous(String metric) {
        String base = metric.contains("@") ? metric.substring(0, metric.indexOf('@')) : metric;
        return (base.contains("loss") || base.contains("rmse") || base.contains("mse"))
                && !base.startsWith("predicting_zero");
    }

    /**
     * The continuous quantities of a record, keyed by name ({@code train_loss@<step>}, {@code val_rmse}, …), each
     * with the optimiser step it was taken at (the run's length for end-of-run metrics).
     */
    static Map<String, Quantity> quantities(RunRecord r) {
        Map<String, Quantity> q = new LinkedHashMap<>();
        for (EvaluationPoint p : r.curve()) {
            if (Double.isFinite(p.trainLoss())) {
                q.put("train_loss@" + p.step(), new Quantity("training loss", p.step(), p.trainLoss()));
            }
        }
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            if ((isContinuous(e.getKey()) || isCount(e.getKey())) && e.getValue() != null
                    && Double.isFinite(e.getValue())) {
                String k = e.getKey();
                long step = k.contains("@") ? Long.parseLong(k.substring(k.indexOf('@') + 1)) : r.stepsTaken();
                q.put(k, new Quantity(k.contains("@") ? k.substring(0, k.indexOf('@')) : k, step, e.getValue()));
            }
        }
        return q;
    }

    /** Parameter counts: the same on every backend, exactly (compared with tolerance 0). */
    static boolean isCount(String metric) {
        return metric.endsWith("parameters");
    }

    /** One continuous quantity of a record. */
    record Quantity(String label, long step, double value) {}

    /** {@code |a − b| / max(|a|, |b|)}, 0 when both are 0. */
    static double relative(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    /**
     * The worst comparison of one row: the quantity whose difference is the largest fraction of its tolerance.
     *
     * @param quantity  what was compared ("training loss", "val_rmse", "best_accuracy")
     * @param step      the optimiser step of the quantity
     * @param pair      the two targets ("djl (float32) vs reference (float64)")
     * @param diff      the relative difference (or, for a headline accuracy, the difference in points; for a depth,
     *                  in layers)
     * @param tolerance what the pair is allowed at that step
     */
    record Worst(String quantity, long step, String pair, double diff, double tolerance, double rule,
                 Sensitivity.At sensitivity) {
        /** A comparison held to the rule alone. */
        Worst(String quantity, long step, String pair, double diff, double tolerance) {
            this(quantity, step, pair, diff, tolerance, tolerance, null);
        }

        /** Whether the difference is outside the rule and inside only because of the cell's own sensitivity. */
        boolean bySensitivity() {
            return diff > rule && diff <= tolerance;
        }

        double ratio() {
            return tolerance == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / tolerance;
        }
    }

    /** One compared cell: its worst loss, other continuous quantity and headline comparisons, and the verdict. */
    record Row(String cell, long steps, Map<Reproducer.Target, RunRecord> records, Worst loss, Worst other,
               Worst headline, boolean independent, Worst bySensitivity) {
        Row(String cell, long steps, Map<Reproducer.Target, RunRecord> records, Worst loss, Worst other,
            Worst headline, boolean independent) {
            this(cell, steps, records, loss, other, headline, independent, null);
        }

        /**
         * Whether the row agrees only because its differences were held to the cell's own sensitivity (an
         * ill-conditioned cell, docs/protocols/agreement.md §2.1) rather than to the rule.
         */
        boolean illConditioned() {
            return bySensitivity != null && agrees();
        }

        boolean pending(int targets) {
            return independent ? records.isEmpty() : records.size() < targets;
        }

        /** Whether the records had nothing in common to compare (timings only). */
        boolean nothingCompared() {
            return loss == null && other == null && headline == null;
        }

        /** Whether every pair is within tolerance (pending and backend-independent rows have no verdict). */
        boolean agrees() {
            return within(loss) && within(other) && within(headline);
        }

        private static boolean within(Worst w) {
            return w == null || w.ratio() <= 1;
        }

        /** The comparisons outside tolerance, in words. */
        List<Worst> outside() {
            List<Worst> out = new ArrayList<>();
            for (Worst w : new Worst[] {loss, other, headline}) {
                if (!within(w)) {
                    out.add(w);
                }
            }
            return out;
        }
    }

    /** The agreement of one artifact: the Markdown section and every cell outside its tolerance, named. */
    public record Result(String markdown, List<String> outside, int agree, int pending, int independent,
                         Worst largestLoss, int illConditioned) {
        Result(String markdown, List<String> outside, int agree, int pending, int independent, Worst largestLoss) {
            this(markdown, outside, agree, pending, independent, largestLoss, 0);
        }
    }

    static String label(Reproducer.Target t) {
        return t.backend() + " (" + t.dtype().label() + ")";
    }

    /** Compares the records of every cell across targets, by the rule alone. */
    static List<Row> rows(Map<Reproducer.Target, List<RunPlan>> byTarget, Artifact.Results results) {
        return rows(byTarget, Map.of(), results);
    }

    /**
     * The conditioning runs of each cell ({@link PerturbedRunPlan}s of its reference run), from the plans of a
     * reproduction: what {@link #rows(Map, Map, Artifact.Results)} takes.
     */
    static Map<String, List<PerturbedRunPlan>> byCell(List<PerturbedRunPlan> conditioning) {
        Map<String, List<PerturbedRunPlan>> m = new LinkedHashMap<>();
        conditioning.forEach(p -> m.computeIfAbsent(p.base().cell(), k -> new ArrayList<>()).add(p));
        return m;
    }

    /** The sensitivities of a cell whose conditioning run and reference run both have records. */
    private static Map<DType, Sensitivity> sensitivities(List<PerturbedRunPlan> plans, Artifact.Results results) {
        Map<DType, Sensitivity> m = new java.util.EnumMap<>(DType.class);
        for (PerturbedRunPlan p : plans == null ? List.<PerturbedRunPlan>of() : plans) {
            Optional<RunRecord> ref = results.of(p.base());
            Optional<RunRecord> pert = results.of(p);
            if (ref.isPresent() && pert.isPresent()) {
                m.put(p.perturbation().dtype(), new Sensitivity(p.perturbation().dtype(), ref.get(), pert.get()));
            }
        }
        return m;
    }

    /** The dtype whose rounding dominates a pair (float32 when either is): the ulp its sensitivity is measured in. */
    static DType coarser(DType a, DType b) {
        return a == DType.FLOAT32 || b == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64;
    }

    /**
     * Compares the records of every cell across targets; a pair is held to the rule or, where the cell's
     * conditioning run in the pair's coarser dtype has a record, to {@link AgreementTolerance#SENSITIVITY_FACTOR}
     * times the cell's own sensitivity, whichever is looser (docs/protocols/agreement.md §2.1).
     */
    static List<Row> rows(Map<Reproducer.Target, List<RunPlan>> byTarget,
                          Map<String, List<PerturbedRunPlan>> conditioning, Artifact.Results results) {
        List<Reproducer.Target> targets = new ArrayList<>(byTarget.keySet());
        Map<String, Map<Reproducer.Target, RunPlan>> plans = new LinkedHashMap<>();
        for (Reproducer.Target t : targets) {
            for (RunPlan p : byTarget.get(t)) {
                plans.computeIfAbsent(p.cell(), k -> new LinkedHashMap<>()).put(t, p);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<Reproducer.Target, RunPlan>> e : plans.entrySet()) {
            boolean independent = e.getValue().size() == targets.size() && targets.size() > 1
                    && e.getValue().values().stream().map(RunPlan::key).distinct().count() == 1;
            Map<Reproducer.Target, RunRecord> records = new LinkedHashMap<>();
            e.getValue().forEach((t, p) -> results.of(p).ifPresent(r -> records.put(t, r)));
            long steps = records.values().stream().mapToLong(RunRecord::stepsTaken).max().orElse(0);
            if (independent) {
                rows.add(new Row(e.getKey(), steps, records, null, null, null, true));
                continue;
            }
            Worst loss = null;
            Worst other = null;
            Worst head = null;
            Worst bySensitivity = null;
            Map<DType, Sensitivity> sens = sensitivities(conditioning.get(e.getKey()), results);
            List<Reproducer.Target> have = new ArrayList<>(records.keySet());
            for (int i = 0; i < have.size(); i++) {
                for (int j = i + 1; j < have.size(); j++) {
                    Reproducer.Target a = have.get(i);
                    Reproducer.Target b = have.get(j);
                    RunRecord ra = records.get(a);
                    RunRecord rb = records.get(b);
                    String pair = label(a) + " vs " + label(b);
                    Sensitivity si = sens.get(coarser(a.dtype(), b.dtype()));
                    Map<String, Quantity> qa = quantities(ra);
                    Map<String, Quantity> qb = quantities(rb);
                    for (Map.Entry<String, Quantity> q : qa.entrySet()) {
                        Quantity other2 = qb.get(q.getKey());
                        if (other2 == null) {
                            continue;
                        }
                        long step = Math.max(q.getValue().step(), other2.step());
                        double diff = relative(q.getValue().value(), other2.value());
                        Worst w;
                        if (isCount(q.getKey())) {
                            w = new Worst(q.getValue().label(), step, pair, diff, 0);
                        } else {
                            double rule = AgreementTolerance.relative(a.dtype(), b.dtype(), step);
                            Sensitivity.At at = si == null ? null : si.at(step);
                            w = new Worst(q.getValue().label(), step, pair, diff,
                                    AgreementTolerance.relative(rule, at), rule, at);
                        }
                        if (w.bySensitivity()) {
                            bySensitivity = worse(bySensitivity, w);
                        }
                        if (q.getKey().startsWith("train_loss@")) {
                            loss = worse(loss, w);
                        } else {
                            other = worse(other, w);
                        }
                    }
                    Optional<Headline> ha = headline(ra);
                    Optional<Headline> hb = headline(rb);
                    if (ha.isPresent() && hb.isPresent() && ha.get().name().equals(hb.get().name())) {
                        String name = ha.get().name();
                        long step = Math.max(ra.stepsTaken(), rb.stepsTaken());
                        double diff = isAccuracy(name) || name.equals("min_depth")
                                ? Math.abs(ha.get().value() - hb.get().value())
                                : relative(ha.get().value(), hb.get().value());
                        double rule = isAccuracy(name)
                                ? AgreementTolerance.accuracyPoints(a.dtype(), b.dtype(), step, samples(ra, rb))
                                : name.equals("min_depth") ? AgreementTolerance.depth(a.dtype(), b.dtype(), step)
                                : AgreementTolerance.relative(a.dtype(), b.dtype(), step);
                        Sensitivity.At at = si == null ? null : si.at(step);
                        double relTol = AgreementTolerance.relative(
                                AgreementTolerance.relative(a.dtype(), b.dtype(), step), at);
                        double tol = Math.max(rule, isAccuracy(name)
                                ? AgreementTolerance.accuracyPoints(relTol, samples(ra, rb))
                                : name.equals("min_depth") ? AgreementTolerance.depth(relTol) : relTol);
                        Worst w = new Worst(name, step, pair, diff, tol, rule, at);
                        if (w.bySensitivity()) {
                            bySensitivity = worse(bySensitivity, w);
                        }
                        head = worse(head, w);
                    }
                }
            }
            rows.add(new Row(e.getKey(), steps, records, loss, other, head, false, bySensitivity));
        }
        return rows;
    }

    /**
     * Whether every target's record of {@code cell} exists and every pair is within the rule alone: then the
     * cell needs no conditioning run (docs/protocols/agreement.md §2.1).
     */
    static boolean withinRule(String cell, Map<Reproducer.Target, List<RunPlan>> byTarget, Artifact.Results results) {
        Map<Reproducer.Target, List<RunPlan>> only = new LinkedHashMap<>();
        byTarget.forEach((t, plans) -> only.put(t, plans.stream().filter(p -> p.cell().equals(cell)).toList()));
        List<Row> rows = rows(only, results);
        return rows.size() == 1 && !rows.get(0).pending(only.size()) && rows.get(0).agrees();
    }

    /** The validation size both records state ({@code validation_samples}), or 0. */
    static int samples(RunRecord a, RunRecord b) {
        Object x = a.config().get("validation_samples");
        Object y = b.config().get("validation_samples");
        return x instanceof Number n && y instanceof Number m && n.intValue() == m.intValue() ? n.intValue() : 0;
    }

    private static Worst worse(Worst current, Worst w) {
        if (current == null || w.ratio() > current.ratio()
                || w.ratio() == current.ratio() && w.diff() > current.diff()) {
            return w;
        }
        return current;
    }

    /** The agreement section of one artifact and the cells outside tolerance. */
    public static Result compare(String artifact, Map<Reproducer.Target, List<RunPlan>> byTarget,
                                 Artifact.Results results) {
        return compare(artifact, byTarget, List.of(), results);
    }

    /**
     * The agreement section of one artifact, each cell whose conditioning run has a record held to the looser of
     * the rule and its own sensitivity (docs/protocols/agreement.md §2.1); cells judged by their sensitivity are
     * counted apart from those within the rule.
     */
    public static Result compare(String artifact, Map<Reproducer.Target, List<RunPlan>> byTarget,
                                 List<PerturbedRunPlan> conditioning, Artifact.Results results) {
        List<Reproducer.Target> targets = new ArrayList<>(byTarget.keySet());
        List<Row> rows = rows(byTarget, byCell(conditioning), results);
        int illConditioned = 0;
        Row worstIll = null;
        int agree = 0;
        int pending = 0;
        int independent = 0;
        int timingsOnly = 0;
        List<String> outside = new ArrayList<>();
        Worst largest = null;
        Worst largestOther = null;
        Worst largestHeadline = null;
        StringBuilder md = new StringBuilder();
        StringBuilder table = new StringBuilder("| cell | steps |");
        targets.forEach(t -> table.append(' ').append(label(t)).append(" |"));
        table.append(" training loss: max rel. Δ | other loss / RMSE: max rel. Δ | headline Δ | |\n|---|---:|");
        targets.forEach(t -> table.append("---:|"));
        table.append("---:|---:|---:|:---:|\n");
        StringBuilder once = new StringBuilder();
        for (Row r : rows) {
            if (r.independent()) {
                independent++;
                once.append("| ").append(r.cell()).append(" | ");
                if (r.records().isEmpty()) {
                    once.append("pending |\n");
                } else {
                    RunRecord rec = r.records().values().iterator().next();
                    once.append(metricsText(rec)).append(" |\n");
                }
                continue;
            }
            table.append("| ").append(r.cell()).append(" | ").append(r.steps()).append(" |");
            for (Reproducer.Target t : targets) {
                RunRecord rec = r.records().get(t);
                table.append(' ').append(rec == null ? "pending" : valueText(rec)).append(" |");
            }
            table.append(' ').append(worstText(r.loss(), targets.size() > 2)).append(" | ")
                    .append(worstText(r.other(), targets.size() > 2)).append(" | ")
                    .append(headlineText(r.headline())).append(" | ");
            if (r.pending(targets.size())) {
                pending++;
                table.append("pending");
            } else if (r.nothingCompared()) {
                timingsOnly++;
                table.append("timings only");
            } else if (r.illConditioned()) {
                illConditioned++;
                table.append("✓ (").append(illText(r.bySensitivity())).append(')');
                if (worstIll == null || r.bySensitivity().diff() > worstIll.bySensitivity().diff()) {
                    worstIll = r;
                }
            } else if (r.agrees()) {
                agree++;
                table.append('✓');
            } else {
                table.append('✗');
                for (Worst w : r.outside()) {
                    outside.add(artifact + ": " + r.cell() + " — " + w.quantity() + (w.step() > 0 ? " at step "
                            + w.step() : "") + " differs by " + diffText(w) + " between " + w.pair()
                            + ", tolerance " + tolText(w) + (w.tolerance() > w.rule() ? " (" + sensitivityText(w)
                            + ")" : ""));
                }
            }
            table.append(" |\n");
            if (r.illConditioned()) {
                continue; // its differences are reported apart: they are not agreement within the rule
            }
            if (r.loss() != null && (largest == null || r.loss().diff() > largest.diff())) {
                largest = r.loss();
            }
            if (r.other() != null && (r.other().diff() > 0 || r.other().tolerance() > 0)
                    && (largestOther == null || r.other().diff() > largestOther.diff())) {
                largestOther = r.other();
            }
            if (r.headline() != null && (largestHeadline == null || r.headline().diff() > largestHeadline.diff())) {
                largestHeadline = r.headline();
            }
        }
        int compared = rows.size() - independent;
        if (rows.isEmpty()) {
            return new Result("No runs in this profile's grid: nothing to compare.\n", List.of(), 0, 0, 0, null);
        }
        md.append("**").append(compared).append(" cell(s) on ").append(targets.size()).append(" backends: ")
                .append(agree).append(" ✓ within tolerance, ");
        if (illConditioned > 0) {
            md.append(illConditioned).append(" ✓ ill-conditioned (outside the rule, within ")
                    .append(String.format(Locale.ROOT, "%.0f", AgreementTolerance.SENSITIVITY_FACTOR))
                    .append("× the cell's own one-ulp sensitivity), ");
        }
        md.append(compared - agree - illConditioned - pending - timingsOnly)
                .append(" ✗ outside, ").append(pending).append(" pending");
        if (timingsOnly > 0) {
            md.append(", ").append(timingsOnly).append(" with timings only (nothing to compare)");
        }
        if (independent > 0) {
            md.append("; ").append(independent).append(" backend-independent run(s), shown once below");
        }
        md.append(".**");
        List<String> parts = new ArrayList<>();
        if (largest != null) {
            parts.add("largest relative difference of the training loss: " + sci(largest.diff()) + " ("
                    + cellOf(rows, largest) + ", step " + largest.step() + ", " + largest.pair() + ")");
        }
        if (largestOther != null) {
            parts.add((largest == null ? "largest relative difference of " : "of ") + largestOther.quantity() + ": " + sci(largestOther.diff()) + " ("
                    + cellOf(rows, largestOther) + ")");
        }
        if (largestHeadline != null) {
            parts.add("largest headline difference: " + diffText(largestHeadline) + " of "
                    + largestHeadline.quantity() + " (" + cellOf(rows, largestHeadline) + ")");
        }
        if (worstIll != null) {
            Worst w = worstIll.bySensitivity();
            parts.add("ill-conditioned cells" + (parts.isEmpty() ? "" : " (not in the figures above)")
                    + ", judged by their sensitivity: largest " + w.quantity()
                    + " difference " + diffText(w) + " (" + worstIll.cell() + (w.step() > 0 ? ", step " + w.step()
                    : "") + ", " + w.pair() + "; " + sensitivityText(w) + ")");
        }
        if (!parts.isEmpty()) {
            String text = String.join("; ", parts);
            md.append(' ').append(Character.toUpperCase(text.charAt(0))).append(text.substring(1)).append('.');
        }
        md.append("\n\n");
        if (compared > 0) {
            md.append("Each backend's column: headline metric · last training loss (or last loss / RMSE). Pairs of ")
                    .append("backends are compared at every evaluation step; each Δ column shows the worst pair, as ")
                    .append("the relative difference |a − b| / max(|a|, |b|), with its tolerance in brackets. ")
                    .append(AgreementTolerance.RULE).append('\n').append('\n');
            md.append(table);
        }
        if (independent > 0) {
            md.append("\nBackend-independent runs (float64 Java code, no backend: one record serves every backend):\n\n")
                    .append("| cell | result |\n|---|---|\n").append(once);
        }
        return new Result(md.toString(), List.copyOf(outside), agree, pending, independent, largest, illConditioned);
    }

    /** "ill-conditioned: one float32 ulp of the initial parameters moves the reference's training loss 2.30e-03". */
    private static String illText(Worst w) {
        return "ill-conditioned: " + sensitivityText(w);
    }

    /** What the cell's sensitivity is and where it was measured. */
    private static String sensitivityText(Worst w) {
        Sensitivity.At at = w.sensitivity();
        return "one " + at.ulp().label() + " ulp of the initial parameters moves the reference's " + at.quantity()
                + (at.step() > 0 ? " at step " + at.step() : "") + " by " + sci(at.value());
    }

    /** Markdown of {@link #compare} alone (the older entry point). */
    static String table(Map<Reproducer.Target, List<RunPlan>> byTarget, Artifact.Results results) {
        return compare("", byTarget, results).markdown();
    }

    private static String cellOf(List<Row> rows, Worst w) {
        for (Row r : rows) {
            if (r.loss() == w || r.other() == w || r.headline() == w) {
                return r.cell();
            }
        }
        return "?";
    }

    /** The relative difference in scientific notation ("2.41e-07"). */
    static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String diffText(Worst w) {
        if (isAccuracy(w.quantity())) {
            return String.format(Locale.ROOT, "%.3f points", w.diff());
        }
        if (w.quantity().equals("min_depth")) {
            return String.format(Locale.ROOT, "%.0f layer(s)", w.diff());
        }
        return sci(w.diff()) + " relative";
    }

    private static String tolText(Worst w) {
        if (isAccuracy(w.quantity())) {
            return String.format(Locale.ROOT, "%.3f points", w.tolerance());
        }
        if (w.quantity().equals("min_depth")) {
            return String.format(Locale.ROOT, "%.0f", w.tolerance());
        }
        return sci(w.tolerance());
    }

    private static String worstText(Worst w, boolean namePair) {
        if (w == null) {
            return "—";
        }
        String s = sci(w.diff()) + " [" + sci(w.tolerance()) + "]";
        if (!w.quantity().equals("training loss")) {
            s = w.quantity() + " " + s;
        } else {
            s += " @" + w.step();
        }
        return namePair && w.ratio() > 1 ? s + " " + w.pair() : s;
    }

    private static String headlineText(Worst w) {
        if (w == null) {
            return "—";
        }
        if (isAccuracy(w.quantity())) {
            return String.format(Locale.ROOT, "%.3f pts [%.3f]", w.diff(), w.tolerance());
        }
        if (w.quantity().equals("min_depth")) {
            return String.format(Locale.ROOT, "%.0f [%.0f]", w.diff(), w.tolerance());
        }
        return sci(w.diff()) + " [" + sci(w.tolerance()) + "]";
    }

    /** "best_accuracy 59.375 · 6.931472e-01". */
    private static String valueText(RunRecord r) {
        StringBuilder s = new StringBuilder();
        headline(r).ifPresent(h -> s.append(h.name()).append(' ').append(isAccuracy(h.name())
                ? String.format(Locale.ROOT, "%.3f", h.value()) : h.name().equals("min_depth")
                ? String.format(Locale.ROOT, "%.0f", h.value()) : String.format(Locale.ROOT, "%.6e", h.value())));
        double last = Double.NaN;
        for (EvaluationPoint p : r.curve()) {
            if (Double.isFinite(p.trainLoss())) {
                last = p.trainLoss();
            }
        }
        if (Double.isFinite(last)) {
            s.append(s.length() > 0 ? " · " : "").append(String.format(Locale.ROOT, "%.6e", last));
        } else if (!headline(r).map(h -> isContinuous(h.name())).orElse(false)) {
            TreeMap<String, Double> cont = new TreeMap<>();
            r.metrics().forEach((k, v) -> {
                if (isContinuous(k) && !k.contains("@")) {
                    cont.put(k, v);
                }
            });
            if (!cont.isEmpty()) {
                s.append(s.length() > 0 ? " · " : "").append(cont.firstKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.6e", cont.firstEntry().getValue()));
            }
        }
        if (!"completed".equals(r.status()) && !"solved".equals(r.status()) && !"not_solved".equals(r.status())) {
            s.append(" (").append(r.status()).append(')');
        }
        return s.length() == 0 ? r.status() : s.toString();
    }

    /** The continuous metrics of a backend-independent record, each with 6 significant digits. */
    private static String metricsText(RunRecord r) {
        List<String> parts = new ArrayList<>();
        r.metrics().forEach((k, v) -> {
            if (k.contains("rmse") || k.contains("mse") || k.contains("loss")) {
                parts.add(k + " " + String.format(Locale.ROOT, "%.6e", v));
            }
        });
        return parts.isEmpty() ? r.status() : String.join(", ", parts);
    }
}
