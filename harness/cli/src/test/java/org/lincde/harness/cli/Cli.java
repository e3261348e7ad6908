package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a subcommand as {@code lincde} would (Main's exit-code rules), capturing its output. */
final class Cli {
    /** Exit code and what went to stdout and stderr. */
    record Result(int code, String out, String err) {}

    private Cli() {}

    /** Runs {@code lincde args…}; {@code command} only documents which subcommand the test drives. */
    static Result run(Object command, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
