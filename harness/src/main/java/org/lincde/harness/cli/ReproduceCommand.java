package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lincde.harness.reproduce.Artifacts;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.reproduce.Shard;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.run.RunContext;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.StructureRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lincde reproduce}: regenerate the papers' tables and figures. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Regenerate the papers' tables and figures beside the published numbers.",
            "Runs every artifact's grid for the profile (skipping runs whose record exists: kill it and rerun",
            "to resume), then writes Markdown/CSV tables, PNG figures and index.md to <out>/<profile>/.",
            "Profiles: smoke (minutes, CI; numbers not meaningful), quick (the qualitative claims on a laptop,",
            "about an hour), paper (the papers' settings; GPU-scale)."})
final class ReproduceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--profile", defaultValue = "quick", description = "smoke | quick | paper (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--backend", description = {"Backend id (default: highest-ranked on the class path), or 'all'",
            "to run every backend and add a cross-backend agreement table."})
    String backend;

    @Option(names = "--dtype", description = "float32 or float64 (default: float32 where the backend has it).")
    String dtype;

    @Option(names = "--only", split = ",", paramLabel = "ARTIFACT", description = "Only these artifacts (comma-separated).")
    List<String> only;

    @Option(names = "--shard", defaultValue = "1/1", description = "Run shard i of N (e.g. 2/4) of the grid (default: all).")
    String shard;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: backend default).")
    int threads;

    @Option(names = "--results", defaultValue = "results", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--out", defaultValue = "reproduction", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    boolean renderOnly;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        Profile p = Profile.parse(profile);
        Shard s = Shard.parse(shard);
        BackendRegistry backends = BackendRegistry.discover();
        List<Reproducer.Target> targets = new java.util.ArrayList<>();
        if ("all".equals(backend)) {
            String first = backends.select(null).id();
            targets.add(new Reproducer.Target(first, Dtypes.choose(backends.get(first), dtype)));
            for (org.lincde.spi.Backend b : backends.all()) {
                if (!b.id().equals(first)) {
                    targets.add(new Reproducer.Target(b.id(), Dtypes.choose(b, null)));
                }
            }
        } else {
            String backendId = backends.select(backend).id();
            targets.add(new Reproducer.Target(backendId, Dtypes.choose(backends.get(backendId), dtype)));
        }
        Artifacts artifacts = Artifacts.discover();
        if (artifacts.all().isEmpty()) {
            throw new IllegalArgumentException("no artifacts on the class path (is paper-tables built?)");
        }
        try (RunContext ctx = new RunContext(backends, StructureRegistry.discover(), null,
                new ProgressBars(System.err, quiet), log, threads)) {
            Reproducer.Summary sum = new Reproducer(new ResultsStore(results), ctx)
                    .reproduce(artifacts.select(only), p, targets, s, out, renderOnly);
            log.printf("%d runs planned: %d ran, %d already had records, %d belong to other shards, %d failed.%n",
                    sum.planned(), sum.ran(), sum.skipped(), sum.otherShards(), sum.failed());
            log.printf("report: %s%n", out.resolve(p.label()).resolve("index.md"));
            return sum.failed() == 0 ? 0 : 1;
        }
    }
}
