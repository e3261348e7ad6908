package org.lincde.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.results.ResultsLock;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;

/**
 * A good report is never destroyed: a render that fails or is killed (SIGKILL, in a child JVM) leaves the previous
 * report byte for byte; records that cannot be written stop the reproduction before the report is touched; an
 * unreadable record is moved to quarantine, named in the report, and its run planned again.
 */
class ReportSafetyTest {
    /** A run that counts its executions and records its index as its accuracy. */
    record FakePlan(String artifact, int index, AtomicInteger executions, Runnable before) implements RunPlan {
        @Override
        public String cell() {
            return "fake " + index;
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("fake", index);
        }

        @Override
        public long plannedSteps() {
            return 1;
        }

        @Override
        public RunRecord execute(RunContext context) {
            before.run();
            executions.incrementAndGet();
            return new RunRecord(key(), artifact, cell(), config(), "completed",
                    List.of(new EvaluationPoint(0, index / 10.0, Double.NaN)), Map.of("final_accuracy", index / 10.0), 1,
                    0.1, 1, 1, Map.of());
        }
    }

    /** An artifact of three fake runs whose page lists their records; {@code render} may misbehave. */
    static final class FakeArtifact implements Artifact {
        final AtomicInteger executions = new AtomicInteger();
        Runnable beforeRun = () -> { };
        Runnable duringRender = () -> { };

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public String title() {
            return "Fake";
        }

        @Override
        public List<RunPlan> grid(Profile profile, String backend, DType dtype) {
            List<RunPlan> g = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                g.add(new FakePlan(id(), i, executions, () -> beforeRun.run()));
            }
            return g;
        }

        @Override
        public List<Path> render(Profile profile, List<RunPlan> grid, Results results, Path outDir) throws IOException {
            Files.createDirectories(outDir);
            StringBuilder sb = new StringBuilder("# fake\n\n");
            for (RunPlan p : grid) {
                sb.append(p.cell()).append(": ").append(results.of(p).map(r -> r.status()).orElse("pending"))
                        .append('\n');
            }
            Path page = outDir.resolve("fake.md");
            Files.writeString(page, sb.toString());
            duringRender.run();
            return List.of(page);
        }
    }

    static Reproducer.Summary reproduce(Path results, Path out, Artifact a, boolean renderOnly) throws IOException {
        try (RunContext ctx = new RunContext(new BackendRegistry(List.of()), new StructureRegistry(List.of()), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 0)) {
            return new Reproducer(new ResultsStore(results), ctx).reproduce(List.of(a), List.of(a), Profile.SMOKE,
                    List.of(new Reproducer.Target("fake", DType.FLOAT64)), out,
                    new Reproducer.Options(org.lincde.harness.reproduce.Shard.ALL, renderOnly, false, false));
        }
    }

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha(p));
            }
        }
        return m;
    }

    static String sha(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRenderThatFailsLeavesThePreviousReportByteIdentical(@TempDir Path dir) throws Exception {
        FakeArtifact a = new FakeArtifact();
        reproduce(dir.resolve("results"), dir.resolve("out"), a, false);
        Map<String, String> good = tree(dir.resolve("out"));
        assertThat(good).containsKeys("smoke/index.md", "smoke/fake/fake.md");
        a.duringRender = () -> {
            throw new IllegalStateException("a figure library failed");
        };
        assertThatThrownBy(() -> reproduce(dir.resolve("results"), dir.resolve("out"), a, true))
                .hasMessageContaining("figure library");
        assertThat(tree(dir.resolve("out"))).isEqualTo(good);
    }

    @Test
    void killedWhileRenderingThePreviousReportIsByteIdenticalAndTheLeftoversAreCleaned(@TempDir Path dir)
            throws Exception {
        Path results = dir.resolve("results");
        Path out = dir.resolve("out");
        reproduce(results, out, new FakeArtifact(), false);
        Map<String, String> good = tree(out.resolve("smoke"));
        Path marker = dir.resolve("rendering");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), results.toString(), out.toString(),
                marker.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(marker).as("the child reached its render: " + Files.readString(dir.resolve("child.log")))
                    .exists();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(tree(out.resolve("smoke"))).as("the report after a kill -9 while rendering").isEqualTo(good);
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(".smoke.staging-"));
        }
        // the next render removes what the killed one left (its process is gone), and a figure temp folder
        Files.createDirectories(out.resolve("smoke/fake/.fig-123"));
        Files.writeString(out.resolve("smoke/fake/.fig-123/x.png"), "half");
        reproduce(results, out, new FakeArtifact(), true);
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("smoke");
        }
        assertThat(out.resolve("smoke/fake/.fig-123")).doesNotExist();
    }

    /** The child of the kill test: renders, and blocks inside the render once half of it is written. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            FakeArtifact a = new FakeArtifact();
            a.duringRender = () -> {
                try {
                    Files.writeString(Path.of(args[2]), "now");
                    Thread.sleep(600_000);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            reproduce(Path.of(args[0]), Path.of(args[1]), a, true);
        }
    }

    @Test
    void recordsThatCannotBeWrittenStopBeforeAnyRunAndLeaveTheReport(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Path out = dir.resolve("out");
        reproduce(results, out, new FakeArtifact(), false);
        Map<String, String> good = tree(out);
        // results is a file: refused before any run
        Path file = dir.resolve("results-file");
        Files.writeString(file, "not a folder");
        FakeArtifact a = new FakeArtifact();
        assertThatThrownBy(() -> reproduce(file, out, a, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("results-file").hasMessageContaining("not a folder");
        assertThat(a.executions).hasValue(0);
        assertThat(tree(out)).isEqualTo(good);
        // the record folder turns into a file during the first run: stop at that run, report untouched
        Path fresh = dir.resolve("results2");
        FakeArtifact b = new FakeArtifact();
        b.beforeRun = () -> {
            try {
                if (!Files.exists(fresh.resolve("fake"))) {
                    Files.writeString(fresh.resolve("fake"), "in the way");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        assertThatThrownBy(() -> reproduce(fresh, out, b, false)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("cannot write the record").hasMessageContaining("stopped");
        assertThat(b.executions).as("runs started").hasValue(1);
        assertThat(tree(out)).isEqualTo(good);
        // and from the command line: exit 2, one line, the report byte-identical
    }

    @Test
    void anUnreadableRecordIsQuarantinedNamedInTheReportAndRunAgain(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Path out = dir.resolve("out");
        FakeArtifact a = new FakeArtifact();
        reproduce(results, out, a, false);
        assertThat(a.executions).hasValue(3);
        RunPlan first = a.grid(Profile.SMOKE, "fake", DType.FLOAT64).get(0);
        Path record = results.resolve("fake").resolve(first.key() + ".json");
        String text = Files.readString(record);
        assertThat(text).as("the curve holds null, never the string NaN").contains("\"trainLoss\" : null")
                .doesNotContain("NaN");
        Files.writeString(record, text.substring(0, text.length() / 2)); // truncated
        reproduce(results, out, a, true); // report: exits normally, nothing rerun
        assertThat(a.executions).hasValue(3);
        Path q = results.resolve("fake/quarantine").resolve(first.key() + ".json");
        assertThat(q).exists();
        assertThat(record).doesNotExist();
        String index = Files.readString(out.resolve("smoke/index.md"));
        assertThat(index).contains("Records moved aside").contains(q.toString());
        assertThat(Files.readString(out.resolve("smoke/fake/fake.md"))).contains("fake 0: pending");
        reproduce(results, out, a, false); // reproduce plans it again
        assertThat(a.executions).hasValue(4);
        assertThat(record).exists();
        assertThat(Files.readString(out.resolve("smoke/fake/fake.md"))).contains("fake 0: completed");
    }

    @Test
    void aSecondWriterOnTheSameResultsFolderIsRefusedNamingTheHolder(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        try (ResultsLock held = ResultsLock.acquire(results, "reproduce-1of1", java.time.Duration.ZERO, "test")) {
            assertThatThrownBy(() -> ResultsLock.acquire(results, "reproduce-1of1", java.time.Duration.ofMillis(300),
                    "second")).hasMessageContaining("in use").hasMessageContaining("PID " + ProcessHandle.current()
                    .pid());
            // another shard of the same folder is not blocked (a Slurm array's tasks)
            ResultsLock.acquire(results, "reproduce-2of2", java.time.Duration.ZERO, "shard 2").close();
        }
        ResultsLock.acquire(results, "reproduce-1of1", java.time.Duration.ZERO, "after").close();
        // files are written with the user's umask, not 0600
        reproduce(results, dir.resolve("out"), new FakeArtifact(), false);
        Path rec;
        try (Stream<Path> s = Files.list(results.resolve("fake"))) {
            rec = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        var perms = Files.getPosixFilePermissions(rec);
        String umask = new String(new ProcessBuilder("sh", "-c", "umask").start().getInputStream().readAllBytes()).strip();
        if (umask.endsWith("22") || umask.endsWith("02")) {
            assertThat(perms).as("a record with umask " + umask)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        }
    }
}
