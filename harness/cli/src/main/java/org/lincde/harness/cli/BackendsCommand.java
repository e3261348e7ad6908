package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeSet;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lincde backends}: what is on the class path, and (with --check) whether it opens. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List the compute backends found on the class path (ServiceLoader).",
            "Listing loads no native code; --check opens a session on each to prove it works here."})
final class BackendsCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--check", description = "Open a session on each backend and print its provenance.")
    boolean check;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackendRegistry registry = BackendRegistry.discover();
        int failures = 0;
        for (Backend b : registry.all()) {
            out.printf("%-10s %-6s rank %-3d %s%n", b.id(), b.version(), b.rank(), b.capabilities().description());
            out.printf("%-10s dtypes %s, devices %s, fused kernels: %s%n", "",
                    new TreeSet<>(b.capabilities().dtypes()), new TreeSet<>(b.capabilities().devices()),
                    b.capabilities().fusedKernels() ? "yes" : "no");
            out.printf("%-10s from %s%n", "", Jars.origin(b.getClass()));
            if (check) {
                DType dtype = b.capabilities().dtypes().contains(DType.FLOAT32) ? DType.FLOAT32 : DType.FLOAT64;
                try (Session s = b.open(SessionOptions.of(dtype))) {
                    for (Map.Entry<String, String> e : s.provenance().entrySet()) {
                        out.printf("%-10s   %s = %s%n", "", e.getKey(), e.getValue());
                    }
                } catch (RuntimeException | LinkageError e) {
                    failures++;
                    out.printf("%-10s   UNAVAILABLE: %s%n", "", e.getMessage());
                }
            }
        }
        for (String u : registry.unavailable()) {
            out.println("unavailable: " + u);
        }
        out.println("default: " + registry.select(null).id()
                + " (override with --backend, -Dlincde.backend or LINCDE_BACKEND)");
        return failures == 0 ? 0 : 1;
    }
}
