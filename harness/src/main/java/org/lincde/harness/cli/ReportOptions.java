package org.lincde.harness.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code report} shares with {@code reproduce}. */
final class ReportOptions {
    @Option(names = "--profile", defaultValue = "quick", description = "smoke | quick | paper (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--backend", description = "Backend id whose records to show (default: highest-ranked).")
    String backend;

    @Option(names = "--dtype", description = "float32 or float64 (default: float32 where the backend has it).")
    String dtype;

    @Option(names = "--only", split = ",", paramLabel = "ARTIFACT", description = "Only these artifacts.")
    List<String> only;

    @Option(names = "--results", defaultValue = "results", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--out", defaultValue = "reproduction", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    ReproduceCommand toReproduce(picocli.CommandLine.Model.CommandSpec spec) {
        ReproduceCommand r = new ReproduceCommand();
        r.spec = spec;
        r.profile = profile;
        r.backend = backend;
        r.dtype = dtype;
        r.only = only;
        r.shard = "1/1";
        r.results = results;
        r.out = out;
        r.quiet = true;
        return r;
    }
}
