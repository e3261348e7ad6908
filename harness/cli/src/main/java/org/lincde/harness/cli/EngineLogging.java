package org.lincde.harness.cli;

import java.util.List;

/**
 * The engines' log levels. {@code simplelogger.properties} (this module's resources) shows DJL's and ND4J's
 * log lines from WARN up, so the first line a user sees is lincde's own; {@code --verbose} brings their INFO
 * lines back. slf4j-simple fixes a logger's level when the logger is created, and the engines create theirs
 * when their classes load, after the command line is parsed: setting the system properties while parsing is
 * early enough.
 */
final class EngineLogging {
    /** Logger name prefixes of the engines and their native loaders. */
    static final List<String> ENGINES = List.of("ai.djl", "org.nd4j", "org.bytedeco", "org.deeplearning4j");

    /** slf4j-simple's per-logger level key prefix. */
    static final String KEY_PREFIX = "org.slf4j.simpleLogger.log.";

    private EngineLogging() {}

    private static volatile boolean verbose;

    /** Whether {@code --verbose} was given (internal errors then show their stack trace). */
    static boolean isVerbose() {
        return verbose;
    }

    /** Shows the engines' INFO lines in this JVM (a level the user set with {@code -D} is kept). */
    static void verbose() {
        verbose = true;
        for (String engine : ENGINES) {
            if (System.getProperty(KEY_PREFIX + engine) == null) {
                System.setProperty(KEY_PREFIX + engine, "info");
            }
        }
    }
}
