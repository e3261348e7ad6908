package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The engines' INFO lines are hidden by default and shown with {@code --verbose}, before or after the command. */
class EngineLoggingTest {
    @AfterEach
    void restore() {
        for (String engine : EngineLogging.ENGINES) {
            System.clearProperty(EngineLogging.KEY_PREFIX + engine);
        }
    }

    @Test
    void enginesLogFromWarnUpByDefaultAndLincdeFromInfo() {
        // loggers named like the engines' own (slf4j-simple fixes a level when a logger is first created)
        assertThat(LoggerFactory.getLogger("ai.djl.pytorch.jni.LincdeProbeA").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("ai.djl.pytorch.jni.LincdeProbeA").isWarnEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("org.nd4j.linalg.factory.LincdeProbeA").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.lincde.harness.LincdeProbeA").isInfoEnabled()).isTrue();
    }

    @Test
    void verboseBringsTheirInfoLinesBackWhereverItIsWritten() {
        Main.commandLine().parseArgs("backends", "--verbose");
        assertThat(LoggerFactory.getLogger("ai.djl.util.LincdeProbeB").isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("org.nd4j.LincdeProbeB").isInfoEnabled()).isTrue();
        restore();
        Main.commandLine().parseArgs("--verbose", "structures");
        assertThat(LoggerFactory.getLogger("ai.djl.util.LincdeProbeC").isInfoEnabled()).isTrue();
        restore();
        Main.commandLine().parseArgs("structures");
        assertThat(LoggerFactory.getLogger("ai.djl.util.LincdeProbeD").isInfoEnabled()).isFalse();
    }
}
