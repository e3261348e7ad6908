package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.results.ResultsStore;
import org.lincde.harness.results.RunRecord;

/**
 * Real signals to a real process: {@code lincde train} on the reference backend gets SIGTERM (it checkpoints the step
 * in flight and exits 75) or SIGKILL (it loses what came after its last checkpoint) at a random moment after its first
 * checkpoint; the same command run again resumes, and its record equals an uninterrupted run's bit for bit (measured
 * times aside).
 */
class KillAndResumeTest {
    private static final String CONFIG = """
            {"task": "parity", "model_name": "lcde", "num_blocks": 1, "model_dim": 8, "batch_size": 8,
             "num_steps": 400, "print_steps": 25, "learning_rate": 0.01, "block_size": 4, "seed": 5,
             "train_lengths": [3, 8], "validation_lengths": [8, 10], "validation_samples": 16, "train_padding": 10,
             "runs": 1}
            """;

    private static Process start(Path config, Path results) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.lincde.harness.cli.Main", "train",
                config.toString(), "--backend", "reference", "--results", results.toString(), "--quiet"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(results.resolveSibling(
                results.getFileName() + "-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static int finish(Process p) throws InterruptedException {
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished").isTrue();
        return p.exitValue();
    }

    private static Path checkpoint(Path results) throws IOException {
        Path dir = results.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals("resume.safetensors")).findFirst().orElse(null);
        }
    }

    private static List<Object> result(Path results) {
        List<RunRecord> all = new ResultsStore(results).all("train");
        assertThat(all).hasSize(1);
        RunRecord r = all.get(0);
        Map<String, Double> m = new TreeMap<>(r.metrics());
        m.keySet().removeIf(k -> k.contains("sec") || k.contains("rss"));
        return List.of(r.key(), r.status(), r.stepsTaken(), r.curve(), m);
    }

    private static void interruptThenResume(Path config, Path results, boolean sigterm, Random random)
            throws Exception {
        Process p = start(config, results);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (checkpoint(results) == null && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still training after its first checkpoint").isTrue();
        Thread.sleep(random.nextInt(400));
        if (sigterm) {
            p.destroy(); // SIGTERM on Unix
            assertThat(finish(p)).as("SIGTERM: checkpointed and exited 75").isIn(75, 0);
        } else {
            p.destroyForcibly(); // SIGKILL
            finish(p);
        }
        assertThat(new ResultsStore(results).all("train")).as("no record from an interrupted run").isEmpty();
        assertThat(finish(start(config, results))).isZero();
    }

    @Test
    void sigtermAndSigkillAtRandomMomentsResumeToTheUninterruptedRecord(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("run.json");
        Files.writeString(config, CONFIG);
        assertThat(finish(start(config, dir.resolve("whole")))).isZero();
        List<Object> whole = result(dir.resolve("whole"));
        Random random = new Random(System.nanoTime());
        interruptThenResume(config, dir.resolve("term"), true, random);
        assertThat(result(dir.resolve("term"))).isEqualTo(whole);
        interruptThenResume(config, dir.resolve("kill"), false, random);
        assertThat(result(dir.resolve("kill"))).isEqualTo(whole);
    }
}
