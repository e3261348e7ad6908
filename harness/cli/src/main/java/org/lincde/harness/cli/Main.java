package org.lincde.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lincde} command line. Each subcommand is one job; {@code lincde help <command>} explains
 * it. Exit codes: 0 success, 1 a failed check or run or an unavailable backend, 2 bad usage or input.
 */
@Command(name = "lincde",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Reproduce the SLiCE (Walker et al. 2025) and deep selective SSM (Cirone et al. 2024) papers, "
                + "and cross-check the compute backends against a float64 oracle.", ""},
        subcommands = {
            CommandLine.HelpCommand.class,
            BackendsCommand.class,
            StructuresCommand.class,
            TrainCommand.class,
            ExperimentCommand.class,
            ReproduceCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            ConformanceCommand.class,
            EvalCommand.class,
            DatasetsCommand.class,
            SubmitCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Accepted before or after any command name (inherited by every subcommand). */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also show the engines' (DJL, ND4J) INFO log lines, hidden by default.")
    void verbose(boolean on) {
        if (on) {
            EngineLogging.verbose();
        }
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int run(String... args) {
        try {
            return commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // the stack has unwound, so the heap the run held is free again for one line of advice
            long mb = Runtime.getRuntime().maxMemory() >> 20;
            System.err.printf("lincde: out of Java heap (maximum %d MB): raise it with LINCDE_JAVA_OPTS=-Xmx<size>"
                    + " (e.g. -Xmx%dg), or use a smaller batch or width%n", mb, Math.max(2, (2 * mb + 1023) >> 10));
            return 1;
        }
    }

    /**
     * The configured command line: bad input (an {@link IllegalArgumentException}, an
     * {@link java.io.UncheckedIOException}) exits with code 2 and one line naming the problem.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof org.lincde.spi.BackendUnavailableException) {
                // the environment, not the input: natives that cannot load, a GPU that is not there
                cmd.getErr().println("lincde " + cmd.getCommandName() + ": backend unavailable: " + ex.getMessage());
                return 1;
            }
            String line = Failures.describe(ex);
            if (line != null) {
                cmd.getErr().println("lincde " + cmd.getCommandName() + ": " + line);
                return 2;
            }
            if (EngineLogging.isVerbose()) {
                throw ex;
            }
            // a bug, not the input: one line that says where, the stack trace with --verbose
            cmd.getErr().println("lincde " + cmd.getCommandName() + ": internal error: " + Failures.internal(ex)
                    + " (run again with --verbose for the stack trace, and please report it)");
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lincde " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
