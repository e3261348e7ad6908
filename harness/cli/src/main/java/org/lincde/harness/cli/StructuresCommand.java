package org.lincde.harness.cli;

import java.io.PrintWriter;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lincde structures}: the structure plugins found, with parameter counts. */
@Command(name = "structures", mixinStandardHelpOptions = true,
        description = {"List the vector-field structures found on the class path (built-ins and plugins),",
            "with their options and the parameter count of one Linear CDE vector field at the given size."})
final class StructuresCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden size h (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--channels", defaultValue = "129",
            description = "Control channels d+1, time channel included (default: ${DEFAULT-VALUE}).")
    int channels;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StructureRegistry registry = StructureRegistry.discover();
        out.printf("%-16s %-14s %12s  %s%n", "id", "label", "params", "description");
        for (Structure s : registry.all().stream().sorted(java.util.Comparator.comparing(Structure::id)).toList()) {
            StructureSpec defaults = StructureSpec.of(s.id());
            String count;
            try {
                StructuredVectorField f = s.configure(hidden, channels, defaults);
                count = String.format("%,d", f.parameterCount());
            } catch (IllegalArgumentException e) {
                count = "n/a";
            }
            out.printf("%-16s %-14s %12s  %s%n", s.id(), s.label(defaults), count, s.description());
            for (Structure.Option o : s.options()) {
                out.printf("%-16s   option %s (default %s): %s%n", "", o.name(), o.defaultValue(), o.description());
            }
            if (!Jars.origin(s.getClass()).contains("lincde-spi") && !Jars.origin(s.getClass()).contains("spi/target")) {
                out.printf("%-16s   plugin from %s%n", "", Jars.origin(s.getClass()));
            }
        }
        for (String u : registry.unavailable()) {
            out.println("unavailable: " + u);
        }
        out.printf("(parameter counts: one vector field with h = %d, d+1 = %d, default options)%n", hidden, channels);
        return 0;
    }
}
