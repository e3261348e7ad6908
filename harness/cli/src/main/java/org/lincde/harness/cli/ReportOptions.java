package org.lincde.harness.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code reproduce} and {@code report} share (a picocli mixin). */
final class ReportOptions {
    @Option(names = "--profile", defaultValue = "quick", description = "smoke | quick | paper (default: ${DEFAULT-VALUE}).")
    String profile;

    @Mixin
    BackendOptions backend;

    @Option(names = "--only", split = ",", paramLabel = "ARTIFACT", description = "Run only these artifacts (comma-separated); the report still lists every artifact, rendered from the stored records.")
    List<String> only;

    @Option(names = "--results", arity = "1..*", defaultValue = "results", paramLabel = "DIR",
            description = {"Results folder (default: ${DEFAULT-VALUE}). Several folders (--results A B, e.g. copied "
                + "from several machines) are read together: records are written into the first, and records of one "
                + "run that disagree between folders are listed in the report."})
    List<Path> results;

    @Option(names = "--out", defaultValue = "reproduction", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;
}
