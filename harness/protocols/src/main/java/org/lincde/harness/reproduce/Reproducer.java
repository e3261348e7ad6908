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
import org.lincde.harness.run.InitPerturbation;
import org.lincde.harness.run.PerturbedRunPlan;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.RunPreempted;
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

    /**
     * What a reproduction did.
     *
     * @param disagreements with several backends, every cell outside its cross-backend tolerance, named
     *                      (docs/protocols/agreement.md); empty otherwise
     */
    public record Summary(int planned, int ran, int skipped, int otherShards, int failed, int staleKept,
                          List<Path> pages, List<String> disagreements, boolean preempted, int conditioningUnneeded) {
        /** A summary in which no conditioning run was found unneeded. */
        public Summary(int planned, int ran, int skipped, int otherShards, int failed, int staleKept,
                       List<Path> pages, List<String> disagreements, boolean preempted) {
            this(planned, ran, skipped, otherShards, failed, staleKept, pages, disagreements, preempted, 0);
        }

        /** A finished summary without cross-backend disagreements. */
        public Summary(int planned, int ran, int skipped, int otherShards, int failed, int staleKept,
                       List<Path> pages) {
            this(planned, ran, skipped, otherShards, failed, staleKept, pages, List.of(), false);
        }
    }

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
        return reproduce(run, render, profile, targets, outRoot, new Options(shard, renderOnly, false, false));
    }

    /**
     * How a reproduction treats runs.
     *
     * @param shard      this machine's shard (runs of other shards are left to them)
     * @param renderOnly render from stored records without training ({@code lincde report})
     * @param rerun      run every planned run of this shard again, records or not ({@code --rerun})
     * @param rerunStale run again the runs whose only record was made by older code ({@code --rerun-stale});
     *                   otherwise such a record is shown, marked stale
     * @param cells      run only the runs whose cell label this pattern finds ({@code --cells}); null: all
     */
    public record Options(Shard shard, boolean renderOnly, boolean rerun, boolean rerunStale, boolean keepCheckpoints,
                          java.util.regex.Pattern cells, Conditioning conditioning) {
        /** Everything, once. */
        public static final Options DEFAULT = new Options(Shard.ALL, false, false, false);

        /** Conditioning runs where a cell is outside the rule. */
        public Options(Shard shard, boolean renderOnly, boolean rerun, boolean rerunStale, boolean keepCheckpoints,
                       java.util.regex.Pattern cells) {
            this(shard, renderOnly, rerun, rerunStale, keepCheckpoints, cells, Conditioning.FAILING);
        }

        /** Every cell; checkpoints deleted once a run's record is written. */
        public Options(Shard shard, boolean renderOnly, boolean rerun, boolean rerunStale) {
            this(shard, renderOnly, rerun, rerunStale, false, null);
        }

        /** Whether {@code plan} is among the cells to run. */
        boolean selects(RunPlan plan) {
            return cells == null || cells.matcher(plan.cell()).find();
        }
    }

    /**
     * When a reproduction on several backends runs a cell's conditioning run (docs/protocols/agreement.md §2.1):
     * the float64 reference run again from initial parameters moved by one ulp, whose distance to the reference
     * is the cell's own sensitivity.
     */
    public enum Conditioning {
        /** Only for cells outside the rule (the default): a cell within it needs no other measure. */
        FAILING,
        /** For every cell that trains from initial parameters (to measure conditioning itself). */
        ALL,
        /** Never: every cell is held to the rule alone. */
        NONE
    }

    /** The backend whose float64 runs are the oracle, and the only one conditioning runs use. */
    public static final Target REFERENCE = new Target("reference", DType.FLOAT64);

    /**
     * The conditioning runs of one artifact's grids: for each run of the reference target that trains from
     * initial parameters, one re-run per coarser dtype among the pairs it is compared in (float32 when a float32
     * backend is among the targets, float64 when another float64 one is). None with fewer than two targets, none
     * without the reference among them, none with {@link Conditioning#NONE}.
     */
    public static List<PerturbedRunPlan> conditioning(Map<Target, List<RunPlan>> byTarget, Conditioning mode) {
        List<RunPlan> reference = byTarget.get(REFERENCE);
        if (mode == Conditioning.NONE || byTarget.size() < 2 || reference == null) {
            return List.of();
        }
        java.util.Set<DType> ulps = java.util.EnumSet.noneOf(DType.class);
        for (Target t : byTarget.keySet()) {
            if (!t.equals(REFERENCE)) {
                ulps.add(Agreement.coarser(t.dtype(), REFERENCE.dtype()));
            }
        }
        List<PerturbedRunPlan> out = new ArrayList<>();
        for (RunPlan p : reference) {
            if (p.perturbable()) {
                for (DType d : ulps) {
                    out.add(new PerturbedRunPlan(p, InitPerturbation.oneUlp(d)));
                }
            }
        }
        return out;
    }

    /**
     * The grids of {@code run} on every target, with their conditioning runs (every one that may be needed: a
     * reproduction runs only those of cells outside the rule), and this machine's share of them.
     */
    public static Plan plan(List<Artifact> run, Profile profile, List<Target> targets, Shard shard) {
        return plan(run, profile, targets, shard, Conditioning.FAILING);
    }

    /** {@link #plan(List, Profile, List, Shard)} with a conditioning mode. */
    public static Plan plan(List<Artifact> run, Profile profile, List<Target> targets, Shard shard,
                            Conditioning conditioning) {
        List<RunPlan> all = new ArrayList<>();
        for (Artifact a : run) {
            Map<Target, List<RunPlan>> byTarget = new LinkedHashMap<>();
            for (Target t : targets) {
                byTarget.put(t, a.grid(profile, t.backend(), t.dtype()));
                all.addAll(byTarget.get(t));
            }
            all.addAll(conditioning(byTarget, conditioning));
        }
        return new Plan(all, ShardAssignment.of(all, shard.count()), shard);
    }

    /** Every planned run and how the shards divide them. */
    public record Plan(List<RunPlan> runs, ShardAssignment assignment, Shard shard) {
        /** This shard's runs. */
        public List<RunPlan> mine() {
            return runs.stream().filter(p -> assignment.owns(shard, p.key())).toList();
        }
    }

    /** Runs and renders; see {@link Options}. */
    public Summary reproduce(List<Artifact> run, List<Artifact> render, Profile profile, List<Target> targets,
                             Path outRoot, Options options) throws IOException {
        if (!render.containsAll(run)) {
            throw new IllegalArgumentException("every artifact that runs must also render");
        }
        long t0 = System.nanoTime();
        Path out = outRoot.resolve(profile.label());
        // every folder is checked before any run: a report or records that cannot be written stop nothing midway
        ReportFolder.check(out);
        store.checkReadable();
        if (!options.renderOnly()) {
            store.checkWritable();
        }
        Map<Artifact, Map<Path, String>> quarantined = new LinkedHashMap<>();
        for (Artifact a : render) {
            for (Path q : store.quarantine(a.id())) {
                log.printf("%s: moved a record that cannot be read to %s; its run is planned again%n", a.id(), q);
            }
            Map<Path, String> all = store.quarantined(a.id());
            if (!all.isEmpty()) {
                quarantined.put(a, all);
            }
        }
        Map<Artifact, List<RunPlan>> grids = new LinkedHashMap<>();
        Map<Artifact, Map<Target, List<RunPlan>>> perTarget = new LinkedHashMap<>();
        // conditioning runs, kept apart from the grids (pages and counts are the grids'); they run after their
        // artifact's grid, so a cell's records are there to say whether it needs one
        Map<Artifact, List<PerturbedRunPlan>> conditioning = new LinkedHashMap<>();
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
            conditioning.put(a, conditioning(byTarget, options.conditioning()));
            planned += run.contains(a) ? (int) all.stream().filter(options::selects).count()
                    + (int) conditioning.get(a).stream().filter(options::selects).count() : 0;
        }
        ShardAssignment assignment = ShardAssignment.of(
                grids.entrySet().stream().filter(e -> run.contains(e.getKey()))
                        .flatMap(e -> java.util.stream.Stream.concat(e.getValue().stream(),
                                conditioning.get(e.getKey()).stream()))
                        .toList(), options.shard().count());
        int ran = 0;
        int skipped = 0;
        int other = 0;
        int failed = 0;
        int staleKept = 0;
        int unneeded = 0;
        boolean preempted = false;
        Artifact.Results current = plan -> store.get(plan.artifact(), plan.key());
        if (!options.renderOnly()) {
            int index = 0;
            runs:
            for (Map.Entry<Artifact, List<RunPlan>> e : grids.entrySet()) {
                if (!run.contains(e.getKey())) {
                    continue;
                }
                List<RunPlan> runs = new ArrayList<>(e.getValue());
                runs.addAll(conditioning.get(e.getKey()));
                for (RunPlan p : runs) {
                    if (!options.selects(p)) {
                        continue;
                    }
                    index++;
                    if (!assignment.owns(options.shard(), p.key())) {
                        other++;
                        continue;
                    }
                    if (!options.rerun() && store.has(p.artifact(), p.key())) {
                        skipped++;
                        continue;
                    }
                    // a cell whose records agree within the rule needs no conditioning run; one whose records are
                    // not all here yet (another shard's) gets it, so a sharded reproduction never waits on another
                    if (p instanceof PerturbedRunPlan c && options.conditioning() == Conditioning.FAILING
                            && Agreement.withinRule(c.base().cell(), perTarget.get(e.getKey()), current)) {
                        unneeded++;
                        continue;
                    }
                    if (!options.rerun() && !options.rerunStale()
                            && store.stale(p.artifact(), p.configKey(), p.key()).isPresent()) {
                        staleKept++;
                        continue;
                    }
                    log.printf("[%d/%d] %s: %s (run %s)%n", index, planned, e.getKey().id(), p.cell(), p.key());
                    log.flush();
                    RunRecord r;
                    try {
                        r = p.execute(context);
                    } catch (RunPreempted ex) {
                        log.printf("      PREEMPTED: %s%n", ex.getMessage());
                        log.flush();
                        preempted = true;
                        break runs;
                    } catch (RuntimeException ex) {
                        failed++;
                        log.printf("      FAILED: %s%n", ex);
                        log.flush();
                        continue;
                    }
                    try {
                        store.put(r);
                    } catch (java.io.UncheckedIOException ex) {
                        // every later run would be lost the same way: stop, and keep the last good report
                        log.flush();
                        throw new java.io.UncheckedIOException("cannot write the record of run " + p.key() + " ("
                                + e.getKey().id() + ": " + p.cell() + ") into " + store.root() + "; stopped before the "
                                + "remaining runs, and the report in " + out + " was left as it was", ex.getCause());
                    }
                    ran++;
                    log.printf("      %s after %d steps, %s%n", r.status(), r.stepsTaken(), metricsLine(r));
                    log.flush();
                    if (!options.keepCheckpoints()) {
                        deleteTree(context.checkpointDir(p.key()));
                    }
                }
            }
        } else {
            // rendering only: say how many planned runs the report has records for
            for (Map.Entry<Artifact, List<RunPlan>> e : grids.entrySet()) {
                if (run.contains(e.getKey())) {
                    skipped += (int) e.getValue().stream().filter(p -> store.has(p.artifact(), p.key())).count();
                }
            }
        }
        if (preempted) {
            // the scheduler wants the machine back: leave the report to the rerun (or to 'lincde report')
            return new Summary(planned, ran, skipped, other, failed, staleKept, List.of(), List.of(), true, unneeded);
        }
        ReportFolder folder = ReportFolder.begin(out);
        try {
            Summary sum = render(render, profile, targets, grids, perTarget, conditioning, folder, quarantined, t0,
                    new Summary(planned, ran, skipped, other, failed, staleKept, List.of(), List.of(), false,
                            unneeded));
            folder.commit();
            return sum;
        } catch (IOException | RuntimeException ex) {
            folder.abandon();
            throw ex;
        }
    }

    /** Renders every artifact and the index into the staging folder of {@code folder}. */
    private Summary render(List<Artifact> render, Profile profile, List<Target> targets,
                           Map<Artifact, List<RunPlan>> grids, Map<Artifact, Map<Target, List<RunPlan>>> perTarget,
                           Map<Artifact, List<PerturbedRunPlan>> conditioning, ReportFolder folder, Map<Artifact, Map<Path, String>> quarantined, long t0, Summary counts)
            throws IOException {
        Path out = folder.staging();
        List<Path> pages = new ArrayList<>();
        List<Report.Entry> entries = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        // a run's current record, else its stale one (shown, and counted as stale in the index)
        Artifact.Results results = plan -> store.get(plan.artifact(), plan.key())
                .or(() -> store.stale(plan.artifact(), plan.configKey(), plan.key()));
        for (Map.Entry<Artifact, Map<Target, List<RunPlan>>> e : perTarget.entrySet()) {
            List<RunPlan> primary = e.getValue().get(targets.get(0));
            List<Path> files = e.getKey().render(profile, primary, results, out.resolve(e.getKey().id()));
            Path page = files.isEmpty() ? null : files.get(0);
            if (page != null) {
                pages.add(folder.finalPath(page));
            }
            List<RunPlan> grid = grids.get(e.getKey());
            int done = (int) grid.stream().filter(p -> store.has(p.artifact(), p.key())).count();
            int stale = (int) grid.stream().filter(p -> !store.has(p.artifact(), p.key())
                    && store.stale(p.artifact(), p.configKey(), p.key()).isPresent()).count();
            Agreement.Result agreement = targets.size() > 1
                    ? Agreement.compare(e.getKey().id(), e.getValue(), conditioning.get(e.getKey()), results) : null;
            if (agreement != null) {
                disagreements.addAll(agreement.outside());
            }
            entries.add(new Report.Entry(e.getKey(), done, grid.size(), e.getKey().verdicts(profile, primary, results),
                    page, agreement == null ? null : agreement.markdown(), stale, conflictsTable(e.getKey())));
        }
        Map<String, Map<Path, String>> aside = new LinkedHashMap<>();
        quarantined.forEach((a, files) -> aside.put(a.id(), files));
        Report.write(out, profile, targets.stream().map(t -> t.backend() + " (" + t.dtype().label() + ")").toList(),
                entries, Duration.ofNanos(System.nanoTime() - t0), aside);
        return new Summary(counts.planned(), counts.ran(), counts.skipped(), counts.otherShards(), counts.failed(),
                counts.staleKept(), pages, List.copyOf(disagreements), false, counts.conditioningUnneeded());
    }

    /** Removes a run's checkpoint folder (null: none). */
    private static void deleteTree(Path dir) {
        if (dir == null || !java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete checkpoint folder " + dir, e);
        }
    }

    /** A Markdown list of the keys whose records disagree between result folders, or null if none. */
    private String conflictsTable(Artifact artifact) {
        if (store.roots().size() < 2) {
            return null;
        }
        Map<String, List<Path>> conflicts = store.conflicts(artifact.id());
        if (conflicts.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("Two machines recorded different results for the same run; the page "
                + "shows the first folder's record.\n\n| run key | records |\n|---|---|\n");
        conflicts.forEach((k, files) -> sb.append("| `").append(k).append("` | ")
                .append(String.join(", ", files.stream().map(f -> "`" + f + "`").toList())).append(" |\n"));
        return sb.toString();
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
