package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a subcommand as {@code lincde} would (Main's exit-code rules), capturing its output. */
final class Cli {
    /** Exit code and what went to stdout and stderr. */
    record Result(int code, String out, String err) {}

    private Cli() {}

    static Result run(Object command, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(command);
        // Main.run's handler: bad input (IllegalArgumentException, UncheckedIOException) exits 2 with one line
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("lincde " + cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
