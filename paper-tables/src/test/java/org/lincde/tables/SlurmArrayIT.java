package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lincde.harness.cli.Main;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Artifacts;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;

/**
 * The smoke profile submitted to a real Slurm cluster as a job array of 3 ({@code lincde submit slurm --wait}), its
 * merged report against a single-machine smoke run: the same run keys and the same numbers on the reference backend.
 * It needs a running cluster: {@code ci/slurm-up.sh} starts a one-node one (CI does, and sets
 * {@code LINCDE_SLURM_IT=required}, which turns a missing cluster into a failure instead of a skip).
 */
class SlurmArrayIT {
    /**
     * The artifacts both runs train: two protocols (R3's UEA trainer with early stopping on six models, R2's toy
     * with its least-squares fit), 16 runs of seconds each on the reference backend; the whole smoke profile is
     * FreshCloneIT's job (the A5 smoke cells of the fla layers alone take minutes in float64).
     */
    private static final String ONLY = "uea-mini,ssm-toy-rmse";

    @Test
    void smokeProfileAsAnArrayOfThreeEqualsASingleMachineRun() throws Exception {
        boolean required = "required".equals(System.getenv("LINCDE_SLURM_IT"));
        boolean up = clusterUp();
        if (required) {
            assertThat(up).as("LINCDE_SLURM_IT=required but no Slurm cluster answers (run ci/slurm-up.sh)").isTrue();
        }
        assumeTrue(up, "no Slurm cluster (ci/slurm-up.sh starts one)");

        Path work = Path.of("target", "slurm-it").toAbsolutePath();
        deleteTree(work);
        // the launcher's class path as the build left it: target/lib (runtime dependencies) and this module's jar
        Path lib = work.resolve("classpath/lib");
        Files.createDirectories(lib);
        try (Stream<Path> jars = Files.list(Path.of("target", "lib"))) {
            for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createLink(lib.resolve(j.getFileName()), j.toAbsolutePath());
            }
        }
        try (Stream<Path> own = Files.list(Path.of("target"))) {
            Path jar = own.filter(p -> p.getFileName().toString().matches("lincde-paper-tables-.*\\d\\.jar|"
                    + "lincde-paper-tables-.*SNAPSHOT\\.jar")).findFirst().orElseThrow();
            Files.createLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
        }

        String single = run("reproduce", "--profile", "smoke", "--only", ONLY, "--backend", "reference", "--results",
                work.resolve("single/results").toString(), "--out", work.resolve("single/out").toString(), "--quiet");
        assertThat(single).contains("0 failed");

        String old = System.getProperty("lincde.classpath.dir");
        System.setProperty("lincde.classpath.dir", work.resolve("classpath").toString());
        String array;
        try {
            array = run("submit", "slurm", "--profile", "smoke", "--only", ONLY, "--shards", "3", "--backend", "reference",
                    "--cpus-per-task", "1", "--results", work.resolve("array/results").toString(), "--out",
                    work.resolve("array/out").toString(), "--wait");
        } finally {
            if (old == null) {
                System.clearProperty("lincde.classpath.dir");
            } else {
                System.setProperty("lincde.classpath.dir", old);
            }
        }
        assertThat(array).contains("submitted job array").contains("finished; rendering the merged report")
                .doesNotContain("a task failed");
        for (int task = 1; task <= 3; task++) {
            assertThat(work.resolve("array/out/smoke/slurm/shard-" + task + "/smoke/index.md")).exists();
        }
        String logs = String.join("\n", Files.readAllLines(only(work.resolve("array/out/smoke/slurm/logs"))));
        assertThat(logs).contains("belong to other shards, 0 failed");

        ResultsStore one = new ResultsStore(work.resolve("single/results"));
        ResultsStore three = new ResultsStore(work.resolve("array/results"));
        int records = 0;
        for (Artifact a : Artifacts.discover().all()) {
            Map<String, Object> expected = results(one.all(a.id()));
            Map<String, Object> actual = results(three.all(a.id()));
            assertThat(actual).as(a.id()).isEqualTo(expected);
            records += expected.size();
        }
        assertThat(records).isGreaterThanOrEqualTo(14);
        // a partition the cluster does not have: sbatch refuses, one line, nothing written to results/
        System.setProperty("lincde.classpath.dir", work.resolve("classpath").toString());
        try {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            PrintStream oldErr = System.err;
            int code;
            try {
                System.setErr(new PrintStream(err, true));
                code = Main.run("submit", "slurm", "--profile", "smoke", "--shards", "2", "--partition", "nosuch",
                        "--results", work.resolve("refused/results").toString(), "--out",
                        work.resolve("refused/out").toString());
            } finally {
                System.setErr(oldErr);
            }
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("sbatch refused the job array");
            assertThat(work.resolve("refused/results")).doesNotExist();
        } finally {
            System.clearProperty("lincde.classpath.dir");
        }
        String merged = Files.readString(work.resolve("array/out/smoke/index.md"));
        String alone = Files.readString(work.resolve("single/out/smoke/index.md"));
        assertThat(summary(merged)).isEqualTo(summary(alone));
    }

    /** key → what the run computed (status, steps, curve and metrics, without measured times). */
    private static Map<String, Object> results(List<RunRecord> records) {
        Map<String, Object> out = new TreeMap<>();
        for (RunRecord r : records) {
            Map<String, Double> m = new TreeMap<>(r.metrics());
            m.keySet().removeIf(k -> k.contains("sec") || k.contains("rss") || k.contains("memory"));
            out.put(r.key(), List.of(r.status(), r.stepsTaken(), r.curve(), m));
        }
        return out;
    }

    /** The report's summary line and per-artifact counts (the lines that say what was reproduced). */
    private static List<String> summary(String index) {
        return index.lines().filter(l -> l.startsWith("**Summary") || l.startsWith("| `")).map(l -> l.replaceAll(
                "Wall time.*", "")).toList();
    }

    private static Path only(Path dir) throws IOException {
        Path joined = dir.resolveSibling("all-logs.txt");
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                sb.append(Files.readString(p)).append('\n');
            }
        }
        Files.writeString(joined, sb.toString());
        return joined;
    }

    private static boolean clusterUp() {
        try {
            Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
            boolean done = p.waitFor(20, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes());
            return done && p.exitValue() == 0 && out.matches("(?s).*(idle|mixed|allocated).*");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(String... args) {
        InProcess.Result r = InProcess.run(args);
        assertThat(r.code()).as(r.out()).isZero();
        return r.out();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
