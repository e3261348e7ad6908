package org.lincde.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lincde.harness.conformance.ConformanceKit;
import org.lincde.harness.conformance.ConformanceReport;
import org.lincde.harness.conformance.Outcome;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.spi.DType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lincde conformance}: the conformance kit over the backends and structures on the class path
 * (plugins included), printed as a table of backend × case × dtype with max abs/rel error, worst index,
 * tolerance and outcome. Exit code 1 when any case fails.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Cross-check every backend against the float64 reference: forward outputs, every gradient,",
            "5 AdamW steps, fused vs generic kernels, recurrent vs scan, structure invariants (gradient masks,",
            "scan-block closure, H·H = I, generic transition = dense A(u)·y) and the reference's gradients vs",
            "central finite differences, in float64 and float32. Known gaps: conformance/known-gaps-<backend>.txt.",
            "Exit code 1 when any case fails."})
final class ConformanceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--backend", paramLabel = "ID",
            description = "Check only this backend (repeatable; default: every backend found). It must open here.")
    List<String> backends;

    @Option(names = "--structure", paramLabel = "ID",
            description = "Check only this structure (repeatable; default: every structure found, plugins included).")
    List<String> structures;

    @Option(names = "--dtype", description = "float32 or float64 only (default: both).")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu", description = {"cpu or gpu: where the backends under test run",
            "(default: ${DEFAULT-VALUE}); the float64 reference stays on the CPU. A backend that does not declare",
            "the device is listed as UNSUPPORTED; one that declares it but cannot open there fails with the cause."})
    String device;

    @Option(names = "--format", defaultValue = "md", description = "md (Markdown) or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--problems-only", description = "List only cases that did not pass (the summary still counts all).")
    boolean problemsOnly;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the table to FILE (atomically).")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("md") && !fmt.equals("csv")) {
            throw new IllegalArgumentException("--format must be md or csv, got '" + format + "'");
        }
        ConformanceKit.Builder b = ConformanceKit.discover();
        if (backends != null && !backends.isEmpty()) {
            b.onlyBackends(new LinkedHashSet<>(backends)).requireAvailable(true);
        }
        if (structures != null && !structures.isEmpty()) {
            b.onlyStructures(new LinkedHashSet<>(structures));
        }
        if (dtype != null) {
            b.dtypes(List.of(DType.parse(dtype)));
        }
        b.device(org.lincde.spi.Device.parse(device));
        b.listener(r -> {
            if (r.outcome() == Outcome.FAIL) {
                err.println("FAIL " + r.backend() + " " + r.key() + ": "
                        + (r.worst() != null && !r.worst().passed() ? r.worst() : r.detail()));
                err.flush();
            }
        });
        ConformanceReport report = b.build().run();
        String table = fmt.equals("csv") ? report.toCsv() : report.toMarkdown(problemsOnly);
        out.print(table);
        if (fmt.equals("csv")) {
            err.print(report.summary());
        }
        out.flush();
        if (output != null) {
            try {
                AtomicFiles.writeString(output, table);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output, e);
            }
        }
        return report.passed() ? 0 : 1;
    }
}
