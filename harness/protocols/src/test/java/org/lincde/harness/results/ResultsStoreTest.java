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
        }
        String index = Files.readString(dir.resolve("out/smoke/index.md"));
        assertThat(index).contains("Cross-backend agreement").contains("| cell A | 50.00 | 53.00 | 3.00 |")
                .contains("| cell B | 90.00 | 90.00 | 0.00 |").contains("one (float64), two (float32)");
    }

    @Test
    void shardsPartitionTheGrid() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(CanonicalJson.key(Map.of("i", i)));
        }
        int total = 0;
        for (int s = 0; s < 4; s++) {
            Shard shard = new Shard(s, 4);
            long n = keys.stream().filter(shard::owns).count();
            assertThat(n).isBetween(20L, 80L);
            total += n;
        }
        assertThat(total).isEqualTo(200);
        assertThat(Shard.parse("2/4")).isEqualTo(new Shard(1, 4));
        assertThatThrownBy(() -> Shard.parse("5/4")).hasMessageContaining("5/4");
        assertThatThrownBy(() -> Shard.parse("two")).hasMessageContaining("i/N");
    }

    @Test
    void unknownArtifactIdsListTheKnownOnes() {
        Artifacts all = new Artifacts(List.of(artifact(List.of(), new ArrayList<>())));
        assertThatThrownBy(() -> all.select(List.of("nope"))).hasMessageContaining("nope").hasMessageContaining("fake");
    }
}
