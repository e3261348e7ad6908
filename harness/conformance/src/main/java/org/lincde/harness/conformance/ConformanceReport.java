package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a conformance run found: one {@link CaseResult} per case, counts per outcome (JUnit
 * {@code EventStatistics}' idea, docs/STYLE.md J5), each backend's known gaps, and renderings as a Markdown
 * or CSV table whose rows name tensor, max abs and rel error, worst multi-index and tolerance (D5).
 */
public final class ConformanceReport {
    private final List<CaseResult> results;
    private final Map<String, KnownGaps> knownGaps;
    private final String oracle;
    private final List<String> unavailable;
    private final Map<String, Double> seconds;

    ConformanceReport(List<CaseResult> results, Map<String, KnownGaps> knownGaps, String oracle,
                      List<String> unavailable, Map<String, Double> seconds) {
        this.results = List.copyOf(results);
        this.knownGaps = new LinkedHashMap<>(knownGaps);
        this.oracle = oracle;
        this.unavailable = List.copyOf(unavailable);
        this.seconds = new LinkedHashMap<>(seconds);
    }

    /** Every case, in run order. */
    public List<CaseResult> results() {
        return results;
    }

    /** The failed cases. */
    public List<CaseResult> failures() {
        return results.stream().filter(r -> r.outcome() == Outcome.FAIL).toList();
    }

    /** Whether no case failed. */
    public boolean passed() {
        return failures().isEmpty();
    }

    /** Number of cases per outcome (every outcome present, 0 when none). */
    public Map<Outcome, Integer> counts() {
        return counts(null);
    }

    /** Counts of one backend ({@code null}: all). */
    public Map<Outcome, Integer> counts(String backend) {
        Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, 0);
        }
        for (CaseResult r : results) {
            if (backend == null || r.backend().equals(backend)) {
                m.merge(r.outcome(), 1, Integer::sum);
            }
        }
        return m;
    }

    /** The cases of {@code backend} with {@code check} on the structure whose label starts with {@code structure}. */
    public List<CaseResult> find(String backend, String structure, Check check) {
        return results.stream().filter(r -> r.backend().equals(backend) && r.check() == check
                && r.structure().startsWith(structure)).toList();
    }

    /** One line per backend: counts and time; then the known gaps and unavailable providers. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (String b : backends()) {
            Map<Outcome, Integer> c = counts(b);
            sb.append(String.format(Locale.ROOT, "%s: %d PASS, %d FAIL, %d SKIP, %d UNSUPPORTED (%.1f s)%s%n", b,
                    c.get(Outcome.PASS), c.get(Outcome.FAIL), c.get(Outcome.SKIP), c.get(Outcome.UNSUPPORTED),
                    seconds.getOrDefault(b, 0.0), b.equals(oracle) ? " [float64 oracle]" : ""));
        }
        for (Map.Entry<String, KnownGaps> e : knownGaps.entrySet()) {
            List<KnownGaps.Gap> gaps = e.getValue().gaps();
            sb.append("known gaps of '").append(e.getKey()).append("' (conformance/known-gaps-").append(e.getKey())
                    .append(".txt): ").append(gaps.isEmpty() ? "none" : gaps.size()).append(System.lineSeparator());
            for (KnownGaps.Gap g : gaps) {
                sb.append("  ").append(g.pattern()).append(" | ").append(g.reason()).append(System.lineSeparator());
            }
        }
        for (String u : unavailable) {
            sb.append("unavailable provider: ").append(u).append(System.lineSeparator());
        }
        Map<Outcome, Integer> all = counts();
        sb.append(String.format(Locale.ROOT, "total: %d cases, %d PASS, %d FAIL, %d SKIP, %d UNSUPPORTED%n",
                results.size(), all.get(Outcome.PASS), all.get(Outcome.FAIL), all.get(Outcome.SKIP),
                all.get(Outcome.UNSUPPORTED)));
        return sb.toString();
    }

    private List<String> backends() {
        List<String> out = new ArrayList<>();
        for (CaseResult r : results) {
            if (!out.contains(r.backend())) {
                out.add(r.backend());
            }
        }
        return out;
    }

    private static final String[] HEADER = {"backend", "structure", "model", "check", "dtype", "outcome", "tensor",
        "max abs", "max rel", "worst index", "tolerance", "detail"};

    private static String[] row(CaseResult r) {
        Comparison w = r.worst();
        return new String[] {r.backend(), r.structure(), r.model(), r.check().id(), r.dtype().label(),
            r.outcome().name(), w == null ? "" : w.tensor(), w == null ? "" : sci(w.maxAbs()),
            w == null ? "" : sci(w.maxRel()), w == null ? "" : w.where(), w == null ? "" : w.tolerance().toString(),
            r.detail()};
    }

    private static String sci(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.2e", v);
    }

    /** A Markdown table of every case ({@code onlyProblems}: rows other than PASS), then the summary. */
    public String toMarkdown(boolean onlyProblems) {
        StringBuilder sb = new StringBuilder();
        sb.append('|');
        for (String h : HEADER) {
            sb.append(' ').append(h).append(" |");
        }
        sb.append('\n').append('|');
        for (int i = 0; i < HEADER.length; i++) {
            sb.append("---|");
        }
        sb.append('\n');
        for (CaseResult r : results) {
            if (onlyProblems && r.outcome() == Outcome.PASS) {
                continue;
            }
            sb.append('|');
            for (String cell : row(r)) {
                sb.append(' ').append(cell.replace("|", "\\|").replace("\n", " ")).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n').append(summary());
        return sb.toString();
    }

    /** The table as CSV (RFC 4180 quoting), one row per case, no summary. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", HEADER)).append('\n');
        for (CaseResult r : results) {
            String[] cells = row(r);
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i];
                if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                    c = '"' + c.replace("\"", "\"\"") + '"';
                }
                sb.append(i == 0 ? "" : ",").append(c);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Every comparison of every failed case, one per line (what a failing JUnit run prints). */
    public String failureDetails() {
        StringBuilder sb = new StringBuilder();
        for (CaseResult r : failures()) {
            sb.append(r.backend()).append(' ').append(r.key()).append(": ").append(r.detail()).append('\n');
            for (Comparison c : r.comparisons()) {
                if (!c.passed()) {
                    sb.append("    ").append(c).append('\n');
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
