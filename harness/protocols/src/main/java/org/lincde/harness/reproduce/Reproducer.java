package org.lincde.harness.reproduce;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.DType;

/**
 * Runs the grids of some artifacts (skipping every run whose record exists, only this shard's runs),
 * then renders each artifact and the report's {@code index.md} under
 * {@code <out>/<profile>/}. Resumable: kill it at any time and run it again.
 */
public final class Reproducer {
    private final ResultsStore store;
    private final RunContext context;
    private final PrintWriter log;

    /** A reproducer writing records into {@code store}. */
    public Reproducer(ResultsStore store, RunContext context) {
        this.store = store;
        this.context = context;
        this.log = context.log();
    }

    /** What a reproduction did. */
    public record Summary(int planned, int ran, int skipped, int otherShards, int failed, List<Path> pages) {}

    /**
     * Runs and renders.
     *
     * @param renderOnly render from stored records without training ({@code lincde report})
     */
    public Summary reproduce(List<Artifact> artifacts, Profile profile, String backend, DType dtype, Shard shard,
                             Path outRoot, boolean renderOnly) throws IOException {
        return reproduce(artifacts, profile, List.of(new Target(backend, dtype)), shard, outRoot, renderOnly);
    }

    /** A backend and the dtype its runs use. */
    public record Target(String backend, DType dtype) {}

    /**
     * Runs and renders on several backends: every artifact's grid runs on each target; pages are rendered
     * from the first target's records and the report adds a cross-backend agreement table.
     */
    public Summary reproduce(List<Artifact> artifacts, Profile profile, List<Target> targets, Shard shard,
                             Path outRoot, boolean renderOnly) throws IOException {
        return reproduce(artifacts, artifacts, profile, targets, shard, outRoot, renderOnly);
    }

    /**
     * Runs the grids of {@code run} and renders every artifact of {@code render} (a superset, in page
     * order) from the stored records, so {@code --only} leaves a whole report behind rather than an
     * index of one artifact.
     */
    public Summary reproduce(List<Artifact> run, List<Artifact> render, Profile profile, List<Target> targets,
                             Shard shard, Path outRoot, boolean renderOnly) throws IOException {
        if (!render.containsAll(run)) {
            throw new IllegalArgumentException("every artifact that runs must also render");
        }
        long t0 = System.nanoTime();
        Map<Artifact, List<RunPlan>> grids = new LinkedHashMap<>();
        Map<Artifact, Map<Target, List<RunPlan>>> perTarget = new LinkedHashMap<>();
        int planned = 0;
        for (Artifact a : render) {
            Map<Target, List<RunPlan>> byTarget = new LinkedHashMap<>();
            List<RunPlan> all = new ArrayList<>();
            for (Target t : targets) {
                List<RunPlan> g = a.grid(profile, t.backend(), t.dtype());
                byTarget.put(t, g);
                all.addAll(g);
            }
            perTarget.put(a, byTarget);
            grids.put(a, all);
            planned += run.contains(a) ? all.size() : 0;
        }
        int ran = 0;
        int skipped = 0;
        int other = 0;
        int failed = 0;
        if (!renderOnly) {
            int index = 0;
            for (Map.Entry<Artifact, List<RunPlan>> e : grids.entrySet()) {
                if (!run.contains(e.getKey())) {
                    continue;
                }
                for (RunPlan p : e.getValue()) {
                    index++;
                    if (!shard.owns(p.key())) {
                        other++;
                        continue;
                    }
                    if (store.has(p.artifact(), p.key())) {
                        skipped++;
                        continue;
                    }
                    log.printf("[%d/%d] %s: %s (run %s)%n", index, planned, e.getKey().id(), p.cell(), p.key());
                    log.flush();
                    try {
                        RunRecord r = p.execute(context);
                        store.put(r);
                        ran++;
                        log.printf("      %s after %d steps, %s%n", r.status(), r.stepsTaken(), metricsLine(r));
                    } catch (RuntimeException ex) {
                        failed++;
                        log.printf("      FAILED: %s%n", ex);
                    }
                    log.flush();
                }
            }
        }
        Path out = outRoot.resolve(profile.label());
        List<Path> pages = new ArrayList<>();
        List<Report.Entry> entries = new ArrayList<>();
        Artifact.Results results = plan -> store.get(plan.artifact(), plan.key());
        for (Map.Entry<Artifact, Map<Target, List<RunPlan>>> e : perTarget.entrySet()) {
            List<RunPlan> primary = e.getValue().get(targets.get(0));
            List<Path> files = e.getKey().render(profile, primary, results, out.resolve(e.getKey().id()));
            Path page = files.isEmpty() ? null : files.get(0);
            if (page != null) {
                pages.add(page);
            }
            int done = (int) grids.get(e.getKey()).stream().filter(p -> store.has(p.artifact(), p.key())).count();
            entries.add(new Report.Entry(e.getKey(), done, grids.get(e.getKey()).size(),
                    e.getKey().verdicts(profile, primary, results), page,
                    targets.size() > 1 ? Agreement.table(e.getValue(), results) : null));
        }
        Report.write(out, profile, targets.stream().map(t -> t.backend() + " (" + t.dtype().label() + ")").toList(),
                entries, Duration.ofNanos(System.nanoTime() - t0));
        return new Summary(planned, ran, skipped, other, failed, pages);
    }

    private static String metricsLine(RunRecord r) {
        StringBuilder sb = new StringBuilder();
        r.metrics().forEach((k, v) -> {
            if (k.endsWith("accuracy")) {
                sb.append(String.format("%s %.2f%% ", k, 100 * v));
            }
        });
        return sb.append(String.format("(%.3f s/step)", r.secondsPerStep())).toString().trim();
    }
}
