package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example structure plugin builds as an outside project: {@code ci/plugin-standalone.sh} copies it out of
 * the tree and builds it against lincde's artifacts installed in a private local repository (lincde-bom for
 * the versions). Its conformance test must pass, and its test class path must hold no lincde artifact but
 * the SPI, the conformance kit and the float64 oracle (no backend natives, no CLI, no Jackson).
 */
class PluginStandaloneIT {
    @Test
    void examplePluginBuildsOutsideTheTreeAgainstInstalledArtifacts(@TempDir Path work) throws Exception {
        Path root = Path.of(System.getProperty("lincde.root.dir", "..")).toAbsolutePath().normalize();
        Path log = work.resolve("plugin-standalone.log");
        Process p = new ProcessBuilder("bash", root.resolve("ci/plugin-standalone.sh").toString(),
                work.resolve("w").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(done).as("finished within 10 minutes").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("plugin-standalone: OK").containsPattern("reference: \\d+ PASS, 0 FAIL");
        String lincdeArtifacts = Files.readString(work.resolve("w/plugin/lincde-artifacts.txt"));
        assertThat(lincdeArtifacts.lines().toList()).containsExactlyInAnyOrder("org.lincde:lincde-spi",
                "org.lincde:lincde-conformance", "org.lincde:lincde-backend-cpu-reference");
        String classPath = Files.readString(work.resolve("w/plugin/test-classpath.txt"));
        assertThat(classPath).doesNotContain("ai.djl").doesNotContain("org.nd4j").doesNotContain("picocli")
                .doesNotContain("jackson");
    }
}
