package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every "SPEC §N", "STYLE §x" and "PAPER_RESULTS X.n" cited in sources, poms, scripts and resources is a heading
 * of the repository's own docs, and nothing points at files outside the repository ({@code ci/check-doc-citations}).
 */
class DocCitationsTest {
    private static final Path ROOT = Path.of(System.getProperty("lincde.root.dir", "..")).toAbsolutePath().normalize();

    private static Result check(Path root) throws Exception {
        Process p = new ProcessBuilder("bash", root.resolve("ci/check-doc-citations").toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String output) {}

    @Test
    void everyCitationResolvesInsideTheRepository() throws Exception {
        Result r = check(ROOT);
        assertThat(r.output()).as("problems").startsWith("check-doc-citations: every cited section");
        assertThat(r.exit()).isZero();
    }

    /** The check itself can fail: a repository with the real docs and one dangling citation is refused. */
    @Test
    void aDanglingCitationIsReported(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("repo");
        for (String f : new String[] {"ci/check-doc-citations", "docs/SPEC.md", "docs/STYLE.md", "docs/PAPER_RESULTS.md"}) {
            Files.createDirectories(copy.resolve(f).getParent());
            Files.copy(ROOT.resolve(f), copy.resolve(f));
        }
        Path planted = copy.resolve("spi/src/main/java/org/lincde/spi/Planted.java");
        Files.createDirectories(planted.getParent());
        // written with escapes so that this test's own source cites nothing
        Files.writeString(planted, "package org.lincde.spi;\n/** Implements SPEC \u00a71 and SPEC \u00a799.7; see "
                + "../" + "shared/ARCHITECTURE.md. */\nfinal class Planted {}\n");
        run(copy, "git", "init", "-q");
        run(copy, "git", "add", ".");
        Result r = check(copy);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("Planted.java: SPEC \u00a799.7 is not a section of docs/SPEC.md")
                .contains("cites a file outside the repository").doesNotContain("SPEC \u00a71 is not")
                .contains("2 problem(s)");
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
