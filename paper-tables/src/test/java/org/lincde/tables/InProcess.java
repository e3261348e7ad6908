package org.lincde.tables;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.lincde.harness.cli.Main;

/** Runs the CLI in this JVM, capturing what it prints on standard output (and echoing it into the test log). */
final class InProcess {
    private InProcess() {}

    /** The exit code and standard output of one command. */
    record Result(int code, String out) {}

    static Result run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true));
            code = Main.run(args);
        } finally {
            System.setOut(old);
        }
        String text = buf.toString();
        System.out.println(text);
        return new Result(code, text);
    }
}
