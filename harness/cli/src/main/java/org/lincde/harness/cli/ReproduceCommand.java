package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.lincde.harness.reproduce.Artifacts;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.reproduce.Shard;
import org.lincde.harness.results.ResultsLock;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.train.Preemption;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.StructureRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lincde reproduce}: regenerate the papers' tables and figures. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {
            "Regenerate the papers' tables and figures beside the published numbers.",
            "",
            "Runs every artifact's grid for the profile, skipping runs whose record exists (kill it and run it again "
                + "to resume), then writes Markdown/CSV/LaTeX tables, PNG/SVG/PDF figures, index.md and index.html "
                + "to <out>/<profile>/.",
            "",
            "Profiles: smoke (minutes, what CI runs; numbers not meaningful), quick (the papers' qualitative claims "
                + "on a laptop CPU, " + Profile.QUICK_COST + "), paper (the papers' own settings; GPU-scale, shard it with --shard).",
            "",
            "With --backend all every grid runs on every backend and each artifact gets a cross-backend agreement "
                + "table: training losses at every evaluation, RMSEs and headline metrics compared pair by pair "
                + "against a tolerance per dtype pair and training length (docs/protocols/agreement.md). A cell "
                + "outside it is named and the exit status is 1.",
            "",
            "A cell outside that rule costs one extra run: the float64 reference again, its initial parameters moved "
                + "by one float32 ulp (seeded). How far that moves the reference is the cell's own sensitivity; "
                + "the cell passes, marked ill-conditioned and counted apart, if the backends differ by at most "
                + "10 times it (see --conditioning).",
            ""})
final class ReproduceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ReportOptions options;

    @Option(names = "--shard", defaultValue = "1/1", paramLabel = "i/N",
            description = {"Run shard i of N (1-based, e.g. 2/4) of the grid (default: all). Runs are assigned by "
                + "estimated cost, longest first, the same way on every machine. 'k8s/N' (or 'k8s' with "
                + "JOB_COMPLETIONS set) takes the 0-based index of a Kubernetes indexed Job from JOB_COMPLETION_INDEX."})
    String shard;

    @Option(names = "--dry-run", description = "Train nothing: list the planned runs (this shard's, with --shard) and "
        + "their estimated CPU hours, and each shard's estimated total.")
    boolean dryRun;

    @Option(names = "--rerun", description = "Run every planned run of this shard again, even those with a record.")
    boolean rerun;

    @Option(names = "--keep-checkpoints", description = "Keep each run's checkpoint (results/checkpoints/<key>/) after "
        + "its record is written (by default it is deleted then). Runs checkpoint every evaluation and at least every "
        + "10 minutes, and on SIGTERM, so a killed reproduction resumes the run in flight.")
    boolean keepCheckpoints;

    @Option(names = "--rerun-stale", description = "Run again the runs whose only record was made by an older version "
        + "of their model or protocol (otherwise such records are shown, marked stale).")
    boolean rerunStale;

    @Option(names = "--cells", paramLabel = "REGEX", description = {"Run only the cells whose label this regular "
        + "expression finds (e.g. '/ parity /' or '^LSTM '); the others are rendered from their records or shown "
        + "pending. Labels are as on the pages: 'D-LNCDE / parity / seed 1234'."})
    String cells;

    @Option(names = "--conditioning", defaultValue = "failing", paramLabel = "WHEN",
            converter = ConditioningConverter.class,
            description = {"With --backend all, when to measure a cell's sensitivity with a conditioning run (the "
                + "float64 reference again from initial parameters moved by one ulp; one extra reference run per cell "
                + "and coarser dtype): 'failing' (default) only for cells outside the rule, 'all' for every cell that "
                + "trains, 'none' never (every cell held to the rule alone). docs/protocols/agreement.md §2.1."})
    Reproducer.Conditioning conditioning = Reproducer.Conditioning.FAILING;

    /** 'failing', 'all' or 'none', any case; the message names the bad value. */
    static final class ConditioningConverter implements CommandLine.ITypeConverter<Reproducer.Conditioning> {
        @Override
        public Reproducer.Conditioning convert(String value) {
            try {
                return Reproducer.Conditioning.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--conditioning '" + value
                        + "': expected failing, all or none");
            }
        }
    }

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Option(names = "--wait-for-lock", defaultValue = "0", paramLabel = "SECONDS",
            description = "When another reproduce writes into the same --results folder (and shard), wait up to this "
                + "long for it to finish instead of stopping at once (default: ${DEFAULT-VALUE}).")
    long lockWait;

    boolean renderOnly;

    private java.util.regex.Pattern cellPattern() {
        if (cells == null) {
            return null;
        }
        try {
            return java.util.regex.Pattern.compile(cells);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("--cells '" + cells + "' is not a regular expression: "
                    + e.getDescription());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        if (lockWait < 0) {
            throw new IllegalArgumentException("--wait-for-lock must be >= 0 seconds, got " + lockWait);
        }
        Profile p = Profile.parse(options.profile);
        Shard s = Shard.parse(shard);
        java.util.regex.Pattern cellsPattern = cellPattern();
        BackendRegistry backends = BackendRegistry.discover();
        List<Reproducer.Target> targets = new java.util.ArrayList<>();
        if ("all".equals(options.backend.backend)) {
            String first = backends.select(null).id();
            targets.add(new Reproducer.Target(first, options.backend.dtype(backends.get(first), null)));
            for (org.lincde.spi.Backend b : backends.all()) {
                if (!b.id().equals(first)) {
                    targets.add(new Reproducer.Target(b.id(), Dtypes.choose(b, null)));
                }
            }
        } else {
            org.lincde.spi.Backend b = options.backend.backend(backends);
            targets.add(new Reproducer.Target(b.id(), options.backend.dtype(b, null)));
        }
        Artifacts artifacts = Artifacts.discover();
        if (artifacts.all().isEmpty()) {
            throw new IllegalArgumentException("no artifacts on the class path (is paper-tables built?)");
        }
        if (dryRun) {
            DryRun.print(log, Reproducer.plan(artifacts.select(options.only), p, targets, s, conditioning), p,
                    new ResultsStore(options.results));
            return 0;
        }
        var selected = artifacts.select(options.only); // an unknown id fails before anything is locked or written
        ResultsStore results = new ResultsStore(options.results);
        if (!renderOnly) {
            results.checkWritable();
            Preemption.installSignalHandler(); // SIGTERM: checkpoint the run in flight, exit 75, resume on rerun
        }
        // one writer per folder and shard (a Slurm array's tasks are different shards of one folder)
        try (ResultsLock lock = renderOnly ? null : ResultsLock.acquire(results.root(), "reproduce-" + (s.index() + 1)
                + "of" + s.count(), java.time.Duration.ofSeconds(lockWait), "lincde reproduce --profile " + p.label()
                + " --shard " + (s.index() + 1) + "/" + s.count());
             RunContext ctx = new RunContext(backends, StructureRegistry.discover(),
                options.results.get(0).resolve("checkpoints"),
                new ProgressBars(System.err, quiet), log, options.backend.threads).onDevice(options.backend.device())) {
            Reproducer.Summary sum = new Reproducer(results, ctx)
                    .reproduce(selected, artifacts.all(), p, targets, options.out,
                            new Reproducer.Options(s, renderOnly, rerun, rerunStale, keepCheckpoints, cellsPattern,
                                    conditioning));
            if (sum.preempted()) {
                log.printf("stopped for SIGTERM: the run in flight is checkpointed; run the same command again to "
                        + "resume it (%d runs finished before).%n", sum.ran());
                log.flush();
                return Preemption.EXIT_CODE;
            }
            log.printf("%d runs planned: %d ran, %d already had records, %d belong to other shards, %d failed.%n",
                    sum.planned(), sum.ran(), sum.skipped(), sum.otherShards(), sum.failed());
            if (sum.conditioningUnneeded() > 0) {
                log.printf("%d conditioning run(s) not needed: their cells agree within the rule.%n",
                        sum.conditioningUnneeded());
            }
            if (sum.staleKept() > 0) {
                log.printf("%d runs have only a stale record (made by older code) and were not rerun: "
                        + "--rerun-stale reruns them.%n", sum.staleKept());
            }
            log.printf("report: %s%n", options.out.resolve(p.label()).resolve("index.md"));
            if (!sum.disagreements().isEmpty()) {
                // a backend that drifts must not pass unnoticed: name every cell, exit non-zero
                log.printf("%d cell(s) outside their cross-backend tolerance (docs/protocols/agreement.md):%n",
                        sum.disagreements().size());
                sum.disagreements().forEach(d -> log.printf("  ✗ %s%n", d));
            }
            return sum.failed() == 0 && sum.disagreements().isEmpty() ? 0 : 1; // 1: a failed run or check
        }
    }
}
