package org.lincde.harness.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.reproduce.Artifact;
import org.lincde.harness.reproduce.Artifacts;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.reproduce.Shard;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.StructureRegistry;

class ResultsStoreTest {

    @Test
    void keysHashTheCanonicalFormWhateverTheFieldOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 2);
        a.put("a", Map.of("y", 1, "x", List.of(3, 4)));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("a", Map.of("x", List.of(3, 4), "y", 1));
        b.put("b", 2);
        assertThat(CanonicalJson.key(a)).isEqualTo(CanonicalJson.key(b)).hasSize(16);
        assertThat(CanonicalJson.compact(a)).isEqualTo("{\"a\":{\"x\":[3,4],\"y\":1},\"b\":2}");
        b.put("b", 3);
        assertThat(CanonicalJson.key(a)).isNotEqualTo(CanonicalJson.key(b));
    }

    static RunRecord record(String artifact, String key, double acc) {
        return new RunRecord(key, artifact, "cell", Map.of("x", 1), "completed",
                List.of(new EvaluationPoint(0, acc, Double.NaN)), Map.of("best_accuracy", acc), 10, 0.5, 100, 5,
                Map.of("backend", "fake"));
    }

    @Test
    void recordsRoundTripAndAreWrittenWithoutTemporaryLeftovers(@TempDir Path dir) throws Exception {
        ResultsStore s = new ResultsStore(dir);
        s.put(record("art", "00000000000000aa", 0.5));
        assertThat(s.has("art", "00000000000000aa")).isTrue();
        RunRecord back = s.get("art", "00000000000000aa").orElseThrow();
        assertThat(back.metrics()).containsEntry("best_accuracy", 0.5);
        assertThat(Double.isNaN(back.curve().get(0).trainLoss())).isTrue();
        try (var files = Files.list(dir.resolve("art"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("00000000000000aa.json");
        }
        Files.writeString(dir.resolve("art/00000000000000bb.json"), "{ not json");
        assertThatThrownBy(() -> s.get("art", "00000000000000bb")).hasMessageContaining("00000000000000bb.json");
    }

    /** A plan that counts its executions and can fail. */
    record CountingPlan(String artifact, String cell, int id, AtomicInteger runs, boolean fail) implements RunPlan {
        public Map<String, Object> config() {
            return Map.of("id", id);
        }

        public long plannedSteps() {
            return 1;
        }

        public RunRecord execute(RunContext ctx) {
            runs.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("killed mid-run");
            }
            return record(artifact, key(), id / 10.0);
        }
    }

    static Artifact artifact(List<RunPlan> plans, List<Integer> rendered) {
        return new Artifact() {
            public String id() {
                return "fake";
            }

            public String title() {
                return "Fake";
            }

            public List<RunPlan> grid(Profile p, String backend, DType dtype) {
                return plans;
            }

            public List<Path> render(Profile p, List<RunPlan> grid, Results results, Path out) throws java.io.IOException {
                int done = 0;
                for (RunPlan plan : grid) {
                    done += results.of(plan).isPresent() ? 1 : 0;
                }
                rendered.add(done);
                Path page = out.resolve("page.md");
                org.lincde.harness.io.AtomicFiles.writeString(page, "done " + done);
                return List.of(page);
            }
        };
    }

    private static RunContext context() {
        return new RunContext(new BackendRegistry(List.of()), new StructureRegistry(List.of()), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 0);
    }

    @Test
    void aSecondReproductionRunsNothingAndAFailedRunLeavesEarlierRecordsIntact(@TempDir Path dir) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<RunPlan> plans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            plans.add(new CountingPlan("fake", "c" + i, i, runs, i == 3));
        }
        List<Integer> rendered = new ArrayList<>();
        ResultsStore store = new ResultsStore(dir.resolve("results"));
        Artifact a = artifact(plans, rendered);
        try (RunContext ctx = context()) {
            Reproducer.Summary first = new Reproducer(store, ctx).reproduce(List.of(a), Profile.SMOKE, "fake",
                    DType.FLOAT64, Shard.ALL, dir.resolve("out"), false);
            assertThat(first.ran()).isEqualTo(4);
            assertThat(first.failed()).isEqualTo(1);
            assertThat(runs.get()).isEqualTo(5);
            // the failing plan is "fixed"; rerunning executes only it
            plans.set(3, new CountingPlan("fake", "c3", 3, runs, false));
            Reproducer.Summary second = new Reproducer(store, ctx).reproduce(List.of(a), Profile.SMOKE, "fake",
                    DType.FLOAT64, Shard.ALL, dir.resolve("out"), false);
            assertThat(second.ran()).isEqualTo(1);
            assertThat(second.skipped()).isEqualTo(4);
            assertThat(runs.get()).isEqualTo(6);
            Reproducer.Summary third = new Reproducer(store, ctx).reproduce(List.of(a), Profile.SMOKE, "fake",
                    DType.FLOAT64, Shard.ALL, dir.resolve("out"), true);
            assertThat(third.ran()).isZero();
            assertThat(runs.get()).isEqualTo(6);
        }
        assertThat(rendered).containsExactly(4, 5, 5);
        assertThat(Files.readString(dir.resolve("out/smoke/index.md"))).contains("`fake`").contains("5 / 5");
    }

    static Artifact named(String id, List<RunPlan> plans) {
        return new Artifact() {
            public String id() {
                return id;
            }

            public String title() {
                return "Artifact " + id;
            }

            public List<RunPlan> grid(Profile p, String backend, DType dtype) {
                return plans;
            }

            public List<Path> render(Profile p, List<RunPlan> grid, Results results, Path out) {
                return List.of();
            }
        };
    }

    @Test
    void onlyRunsTheSelectedArtifactsButTheIndexListsEveryOne(@TempDir Path dir) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Artifact ran = named("ran", List.of(new CountingPlan("ran", "a", 1, runs, false),
                new CountingPlan("ran", "b", 2, runs, false)));
        Artifact other = named("other", List.of(new CountingPlan("other", "c", 3, runs, false)));
        try (RunContext ctx = context()) {
            Reproducer.Summary s = new Reproducer(new ResultsStore(dir.resolve("r")), ctx).reproduce(List.of(ran),
                    List.of(ran, other), Profile.SMOKE, List.of(new Reproducer.Target("fake", DType.FLOAT64)),
                    Shard.ALL, dir.resolve("out"), false);
            assertThat(s.planned()).isEqualTo(2);
            assertThat(s.ran()).isEqualTo(2);
            assertThat(runs.get()).isEqualTo(2);
            assertThatThrownBy(() -> new Reproducer(new ResultsStore(dir.resolve("r")), ctx).reproduce(
                    List.of(other), List.of(ran), Profile.SMOKE, List.of(new Reproducer.Target("fake", DType.FLOAT64)),
                    Shard.ALL, dir.resolve("out"), false)).isInstanceOf(IllegalArgumentException.class);
        }
        String index = Files.readString(dir.resolve("out/smoke/index.md"));
        assertThat(index).contains("`ran`").contains("2 / 2").contains("`other`").contains("0 / 1");
    }

    /** A plan whose record's accuracy depends on the backend it runs on. */
    record BackendPlan(String artifact, String cell, String backend, double accuracy) implements RunPlan {
        public Map<String, Object> config() {
            return Map.of("cell", cell, "backend", backend);
        }

        public long plannedSteps() {
            return 1;
        }

        public RunRecord execute(RunContext ctx) {
            return record(artifact, key(), accuracy);
        }
    }

    @Test
    void allBackendsAddACrossBackendAgreementTable(@TempDir Path dir) throws Exception {
        Artifact a = new Artifact() {
            public String id() {
                return "fake";
            }

            public String title() {
                return "Fake";
            }

            public List<RunPlan> grid(Profile p, String backend, DType dtype) {
                double acc = backend.equals("one") ? 0.50 : 0.53;
                return List.of(new BackendPlan("fake", "cell A", backend, acc), new BackendPlan("fake", "cell B", backend, 0.9));
            }

            public List<Path> render(Profile p, List<RunPlan> grid, Results results, Path out) {
                assertThat(grid).allMatch(plan -> ((BackendPlan) plan).backend().equals("one"));
                return List.of();
            }
        };
        try (RunContext ctx = context()) {
            Reproducer.Summary s = new Reproducer(new ResultsStore(dir.resolve("r")), ctx).reproduce(List.of(a),
                    Profile.SMOKE, List.of(new Reproducer.Target("one", DType.FLOAT64),
                            new Reproducer.Target("two", DType.FLOAT32)), Shard.ALL, dir.resolve("out"), false);
            assertThat(s.ran()).isEqualTo(4);
            // 3 points apart after 10 steps: outside the headline tolerance, named
            assertThat(s.disagreements()).singleElement().asString().contains("fake: cell A")
                    .contains("best_accuracy").contains("3.000 points").contains("one (float64) vs two (float32)");
        }
        String index = Files.readString(dir.resolve("out/smoke/index.md"));
        assertThat(index).contains("Cross-backend agreement").contains("one (float64), two (float32)")
                .contains("2 cell(s) on 2 backends: 1 ✓ within tolerance, 1 ✗ outside, 0 pending")
                .containsPattern("\\| cell A \\| 10 \\| best_accuracy 50\\.000 \\| best_accuracy 53\\.000 \\| — \\| — \\| "
                        + "3\\.000 pts \\[[0-9.]+\\] \\| ✗ \\|")
                .containsPattern("\\| cell B \\| 10 \\| best_accuracy 90\\.000 \\| best_accuracy 90\\.000 \\| — \\| — \\| "
                        + "0\\.000 pts \\[[0-9.]+\\] \\| ✓ \\|");
    }

    /** A plan whose config (so whose key) is {@code id}, and whose record carries {@code acc}. */
    record FixedPlan(String artifact, int id, double acc, AtomicInteger runs) implements RunPlan {
        public String cell() {
            return "c" + id;
        }

        public Map<String, Object> config() {
            return Map.of("id", id, "protocol", "fake");
        }

        public long plannedSteps() {
            return 1;
        }

        public RunRecord execute(RunContext ctx) {
            runs.incrementAndGet();
            return record(artifact, key(), acc);
        }
    }

    @Test
    void aRecordOfOlderCodeIsShownStaleAndOnlyRerunOnRequest(@TempDir Path dir) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        FixedPlan plan = new FixedPlan("fake", 7, 0.9, runs);
        ResultsStore store = new ResultsStore(dir.resolve("r"));
        // a record of the same config made under another code fingerprint (its key is the config's hash alone,
        // as records written before fingerprints were)
        RunRecord old = record("fake", plan.configKey(), 0.4);
        store.put(new RunRecord(old.key(), old.artifact(), old.cell(), plan.config(), old.status(), old.curve(),
                old.metrics(), old.stepsTaken(), old.secondsPerStep(), old.peakRssMb(), old.wallSeconds(),
                old.provenance()));
        assertThat(plan.key()).isNotEqualTo(plan.configKey());
        assertThat(store.stale("fake", plan.configKey(), plan.key())).isPresent();
        List<Integer> rendered = new ArrayList<>();
        Artifact a = artifact(List.of(plan), rendered);
        try (RunContext ctx = context()) {
            Reproducer.Summary first = new Reproducer(store, ctx).reproduce(List.of(a), List.of(a), Profile.SMOKE,
                    List.of(new Reproducer.Target("fake", DType.FLOAT64)), dir.resolve("out"),
                    Reproducer.Options.DEFAULT);
            assertThat(first.ran()).isZero();
            assertThat(first.staleKept()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("out/smoke/index.md"))).contains("0 / 1 (1 stale)")
                    .contains("1 record(s) are stale").contains("--rerun-stale");
            Reproducer.Summary second = new Reproducer(store, ctx).reproduce(List.of(a), List.of(a), Profile.SMOKE,
                    List.of(new Reproducer.Target("fake", DType.FLOAT64)), dir.resolve("out"),
                    new Reproducer.Options(Shard.ALL, false, false, true));
            assertThat(second.ran()).isEqualTo(1);
            assertThat(runs.get()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("out/smoke/index.md"))).contains("1 / 1").doesNotContain("stale)");
            // --rerun redoes a run that has a current record
            new Reproducer(store, ctx).reproduce(List.of(a), List.of(a), Profile.SMOKE,
                    List.of(new Reproducer.Target("fake", DType.FLOAT64)), dir.resolve("out"),
                    new Reproducer.Options(Shard.ALL, false, true, false));
            assertThat(runs.get()).isEqualTo(2);
        }
        // the stale record rendered (1 of 1 found) before the rerun, and the current one after
        assertThat(rendered).containsExactly(1, 1, 1);
    }

    @Test
    void resultFoldersOfSeveralMachinesMergeAndDisagreementsAreListed(@TempDir Path dir) throws Exception {
        ResultsStore a = new ResultsStore(dir.resolve("a"));
        ResultsStore b = new ResultsStore(dir.resolve("b"));
        a.put(record("art", "000000000000000a", 0.5));
        b.put(record("art", "000000000000000b", 0.6));
        a.put(record("art", "000000000000000c", 0.7));
        b.put(record("art", "000000000000000c", 0.7)); // the same result from two machines: no conflict
        a.put(record("art", "000000000000000d", 0.8));
        b.put(record("art", "000000000000000d", 0.1)); // the same run, another result
        ResultsStore merged = new ResultsStore(List.of(dir.resolve("a"), dir.resolve("b")));
        assertThat(merged.all("art")).extracting(RunRecord::key).containsExactly("000000000000000a",
                "000000000000000b", "000000000000000c", "000000000000000d");
        assertThat(merged.get("art", "000000000000000d").orElseThrow().metrics()).containsEntry("best_accuracy", 0.8);
        assertThat(merged.conflicts("art")).containsOnlyKeys("000000000000000d");
        assertThat(merged.conflicts("art").get("000000000000000d")).containsExactly(
                dir.resolve("a/art/000000000000000d.json"), dir.resolve("b/art/000000000000000d.json"));
        merged.put(record("art", "000000000000000e", 0.9));
        assertThat(dir.resolve("a/art/000000000000000e.json")).exists();
        assertThat(dir.resolve("b/art/000000000000000e.json")).doesNotExist();
    }

    @Test
    void unknownArtifactIdsListTheKnownOnes() {
        Artifacts all = new Artifacts(List.of(artifact(List.of(), new ArrayList<>())));
        assertThatThrownBy(() -> all.select(List.of("nope"))).hasMessageContaining("nope").hasMessageContaining("fake");
    }
}
