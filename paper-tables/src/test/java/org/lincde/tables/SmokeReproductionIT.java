package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lincde.harness.cli.Main;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Artifacts;

/**
 * The main job, end to end, as CI runs it: {@code lincde reproduce --profile smoke} for every artifact on
 * the default backend, then a second invocation that must train nothing (resume).
 */
class SmokeReproductionIT {
    @Test
    void smokeProfileProducesEveryArtifactAndResumes() throws Exception {
        Path root = Path.of("target", "smoke-it");
        Path results = root.resolve("results");
        Path out = root.resolve("reproduction");
        String[] args = {"reproduce", "--profile", "smoke", "--results", results.toString(), "--out", out.toString(),
            "--quiet"};
        String first = run(args);
        assertThat(first).contains("0 failed");
        for (Artifact a : Artifacts.discover().all()) {
            Path dir = out.resolve("smoke").resolve(a.id());
            assertThat(dir).as(a.id()).isDirectory();
            try (var files = Files.list(dir)) {
                assertThat(files.filter(f -> f.toString().endsWith(".md")).count()).as(a.id() + " pages").isPositive();
            }
        }
        assertThat(out.resolve("smoke/index.md")).isNotEmptyFile();
        assertThat(out.resolve("smoke/index.html")).isNotEmptyFile();
        String second = run(args);
        assertThat(second).containsPattern("\\d+ runs planned: 0 ran, \\d+ already had records");
    }

    private static String run(String... args) {
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
        assertThat(code).as(text).isZero();
        return text;
    }
}
