package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lincde submit slurm}: the job script it writes, and bad input refused in one line with nothing submitted. */
class SubmitCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void prebuiltClassPath() throws Exception {
        Files.createDirectories(dir.resolve("cp/lib"));
        Files.writeString(dir.resolve("cp/lib/lincde-cli.jar"), "not a real jar");
        System.setProperty("lincde.classpath.dir", dir.resolve("cp").toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("lincde.classpath.dir");
        System.clearProperty("lincde.submit.path");
    }

    @Test
    void dryRunWritesAnArrayThatRunsEachShardFromASnapshotAndRequeuesOnPreemption() throws Exception {
        Cli.Result r = Cli.run(new SubmitCommand(), "submit", "slurm", "--profile", "paper", "--shards", "8",
                "--partition", "gpu", "--gres", "gpu:1", "--time", "24:00:00", "--results", dir.resolve("r").toString(),
                "--out", dir.resolve("o").toString(), "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        Path script = dir.resolve("o/paper/slurm/array.sbatch");
        String s = Files.readString(script);
        assertThat(s).contains("#SBATCH --array=1-8", "#SBATCH --requeue", "#SBATCH --signal=B:TERM@120",
                "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:1", "#SBATCH --time=24:00:00",
                "--shard ${SLURM_ARRAY_TASK_ID}/8", "--profile paper", "scontrol requeue", "-eq 75",
                dir.resolve("o/paper/slurm/classpath").toString())
                .doesNotContain("mvnw")
                .doesNotContainPattern("(?m)^\\s*(exec\\s+)?\\./lincde "); // runs java on the snapshot, never the launcher
        // the class path is a snapshot (hard links), not the launcher's folder, which a rebuild may replace
        assertThat(dir.resolve("o/paper/slurm/classpath/lib/lincde-cli.jar")).hasContent("not a real jar");
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no shards|--shards 0|--shards must be at least 1, got 0",
        "negative shards|--shards -3|--shards must be at least 1, got -3",
        "bad time|--shards 2 --time tomorrow|--time must look like HH:MM:SS",
        "bad partition name|--shards 2 --partition a;rm|--partition has characters",
        "bad profile|--shards 2 --profile huge|huge",
        "no sbatch|--shards 2|is not on the PATH: submit needs Slurm"})
    void badInputIsOneLineAndNothingIsSubmittedOrWritten(String name, String flags, String message) throws Exception {
        System.setProperty("lincde.submit.path", dir.resolve("empty-path").toString());
        String[] base = {"submit", "slurm", "--results", dir.resolve("r").toString(), "--out", dir.resolve("o").toString()};
        String[] extra = flags.split(" ");
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli.Result r = Cli.run(new SubmitCommand(), args);
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
        assertThat(dir.resolve("r")).doesNotExist();
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void unknownSchedulerIsRefused() {
        Cli.Result r = Cli.run(new SubmitCommand(), "submit", "pbs", "--shards", "2", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown scheduler 'pbs'");
    }

    @Test
    void withoutThePrebuiltClassPathItSaysToUseTheLauncher() {
        System.clearProperty("lincde.classpath.dir");
        Cli.Result r = Cli.run(new SubmitCommand(), "submit", "slurm", "--shards", "2", "--dry-run", "--out",
                dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("./lincde submit");
    }
}
