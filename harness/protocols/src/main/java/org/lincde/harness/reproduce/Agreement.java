package org.lincde.harness.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunPlan;

/**
 * The cross-backend agreement table of {@code reproduce --backend all}: for every cell of an artifact,
 * its headline metric on each backend and the largest difference. Training in float32 and float64
 * follows different rounding, so values agree in distribution, not bit for bit; the conformance kit
 * (not this table) is where backends must agree to tolerance.
 */
final class Agreement {
    private Agreement() {}

    /** The metric a cell is compared by: the artifact's headline if present. */
    static Optional<Double> headline(RunRecord r) {
        for (String k : List.of("min_depth", "test_accuracy", "rmse", "best_accuracy", "final_accuracy")) {
            Double v = r.metrics().get(k);
            if (v != null) {
                return Optional.of(k.endsWith("accuracy") ? 100 * v : v);
            }
        }
        return Optional.empty();
    }

    static String table(Map<Reproducer.Target, List<RunPlan>> byTarget, Artifact.Results results) {
        List<Reproducer.Target> targets = new ArrayList<>(byTarget.keySet());
        Map<String, Map<Reproducer.Target, Double>> cells = new LinkedHashMap<>();
        for (Reproducer.Target t : targets) {
            for (RunPlan p : byTarget.get(t)) {
                Map<Reproducer.Target, Double> row = cells.computeIfAbsent(p.cell(), k -> new LinkedHashMap<>());
                results.of(p).flatMap(Agreement::headline).ifPresent(v -> row.put(t, v));
            }
        }
        StringBuilder md = new StringBuilder("| cell |");
        targets.forEach(t -> md.append(' ').append(t.backend()).append(" (").append(t.dtype().label()).append(") |"));
        md.append(" max \\|Δ\\| |\n|---|");
        targets.forEach(t -> md.append("---:|"));
        md.append("---:|\n");
        for (Map.Entry<String, Map<Reproducer.Target, Double>> e : cells.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Reproducer.Target t : targets) {
                Double v = e.getValue().get(t);
                md.append(' ').append(v == null ? "pending" : String.format("%.2f", v)).append(" |");
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            md.append(' ').append(e.getValue().size() < 2 ? "—" : String.format("%.2f", hi - lo)).append(" |\n");
        }
        return md.toString();
    }
}
