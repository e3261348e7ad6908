package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a new user gets: the repository's committed HEAD, {@code git clone}d into an empty temporary folder (no
 * folder beside it, no {@code .lincde/}, no {@code results/}), then
 * {@code ./lincde reproduce --profile smoke} there, exactly as the README says — the launcher builds the clone
 * with {@code ./mvnw} (offline: every dependency is already in the local repository this build used) and runs
 * every artifact, each with its page; the same command again trains nothing. Every {@code uea-mini} cell must be
 * filled: its data ships in the repository. (This is CI's end-to-end run of the main job.)
 *
 * <p>It tests what is committed, not the working tree: uncommitted changes are not in the clone.
 */
class FreshCloneIT {
    private static final long TIMEOUT_MINUTES = 9;

    @Test
    void aFreshCloneReproducesTheSmokeProfileWithEveryUeaMiniCellFilled() throws Exception {
        Path root = Path.of(System.getProperty("lincde.root.dir", "..")).toAbsolutePath().normalize();
        assumeTrue(Files.exists(root.resolve(".git")), "not a git checkout: " + root);
        Path log = root.resolve("paper-tables/target/fresh-clone-it.log");
        Files.deleteIfExists(log);
        String head = run(root, List.of("git", "rev-parse", "HEAD"), Map.of(), log).strip();
        Path tmp = Files.createTempDirectory("lincde-fresh-clone-");
        try {
            Path clone = tmp.resolve("lincde");
            run(tmp, List.of("git", "clone", "--quiet", "--no-checkout", root.toString(), clone.toString()), Map.of(),
                    log);
            run(clone, List.of("git", "-c", "advice.detachedHead=false", "checkout", "--quiet", head), Map.of(), log);
            try (Stream<Path> beside = Files.list(tmp)) {
                assertThat(beside).as("nothing beside the clone").containsExactly(clone);
            }
            assertThat(clone.resolve(".lincde")).doesNotExist();

            String repo = System.getProperty("lincde.maven.repo.local", "");
            String mavenArgs = "-o" + (repo.isBlank() ? "" : " -Dmaven.repo.local=" + repo);
            String out = run(clone, List.of("./lincde", "reproduce", "--profile", "smoke", "--quiet"),
                    Map.of("MAVEN_ARGS", mavenArgs), log);
            assertThat(out).as("the first line is lincde's own").startsWith("lincde: building");
            assertThat(out).doesNotContain("INFO ai.djl").doesNotContain("INFO org.nd4j").contains(" 0 failed");

            Path page = clone.resolve("reproduction/smoke/uea-mini/uea_mini.md");
            String md = Files.readString(page, StandardCharsets.UTF_8);
            assertThat(md).doesNotContain("data not available").doesNotContain("| pending");
            // smoke trains BD-LNCDE, LRU and S5 on both datasets, one seed: every one of these cells has its record
            for (String model : List.of("BD-LNCDE", "LRU", "S5")) {
                assertThat(md).as(model + " row of\n" + md).containsPattern(
                        "\\| " + model + " \\| [0-9.]+ ± [0-9.]+ \\(n=1\\) \\| [0-9.]+ ± [0-9.]+ \\(n=1\\) \\|");
            }
            assertThat(clone.resolve("reproduction/smoke/index.md")).isNotEmptyFile();
            assertThat(clone.resolve("reproduction/smoke/index.html")).isNotEmptyFile();
            for (org.lincde.harness.reproduce.Artifact a : org.lincde.harness.reproduce.Artifacts.discover().all()) {
                Path dir = clone.resolve("reproduction/smoke").resolve(a.id());
                assertThat(dir).as(a.id()).isDirectory();
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.filter(f -> f.toString().endsWith(".md")).count()).as(a.id() + " pages")
                            .isPositive();
                }
            }
            // the same command again trains nothing: every run has its record
            String again = run(clone, List.of("./lincde", "reproduce", "--profile", "smoke", "--quiet"),
                    Map.of("MAVEN_ARGS", mavenArgs), log);
            assertThat(again).containsPattern("\\d+ runs planned: 0 ran, \\d+ already had records");
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Runs {@code command} in {@code dir}, appending its output to {@code log}; returns the output, fails on rc ≠ 0. */
    private static String run(Path dir, List<String> command, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Path output = Files.createTempFile(log.getParent(), "fresh-clone-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            pb.environment().remove("LINCDE_UEA_DIR"); // a user's data folder must not stand in for the shipped one
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.writeString(log, "$ " + String.join(" ", command) + "  (in " + dir + ")\n" + text + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            assertThat(done).as("%s finished within %d minutes; output:%n%s", command, TIMEOUT_MINUTES, tail(text))
                    .isTrue();
            assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, tail(text)).isZero();
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : "…" + text.substring(text.length() - 6000);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
