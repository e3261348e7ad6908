package org.lincde.harness.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit a record names is the one git itself reports ({@code git rev-parse HEAD}) in a plain clone, in a linked
 * worktree (whose {@code .git} is a file and whose branch ref lives in the main repository), and after
 * {@code git pack-refs} moved the refs into {@code packed-refs}.
 */
class ProvenanceGitCommitTest {

    @Test
    void readsTheCommitGitReportsInACloneAWorktreeAndPackedRefs(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo);
        git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("a.txt"), "one\n");
        git(repo, "add", "a.txt");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one");
        assertThat(Provenance.gitCommit(repo)).isEqualTo(git(repo, "rev-parse", "HEAD"));

        Path wt = tmp.resolve("wt");
        git(repo, "worktree", "add", "-q", "-b", "side", wt.toString());
        Files.writeString(wt.resolve("b.txt"), "two\n");
        git(wt, "add", "b.txt");
        git(wt, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "two");
        assertThat(Files.isRegularFile(wt.resolve(".git"))).isTrue();
        String side = git(wt, "rev-parse", "HEAD");
        assertThat(side).isNotEqualTo(git(repo, "rev-parse", "HEAD"));
        assertThat(Provenance.gitCommit(wt)).isEqualTo(side);

        git(repo, "pack-refs", "--all");
        assertThat(repo.resolve(".git/refs/heads/side")).doesNotExist();
        assertThat(Provenance.gitCommit(wt)).isEqualTo(side);
        assertThat(Provenance.gitCommit(repo)).isEqualTo(git(repo, "rev-parse", "HEAD"));

        assertThat(Provenance.gitCommit(tmp.resolve("not-a-repo"))).isEqualTo("unknown");
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }
}
