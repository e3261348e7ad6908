package org.lincde.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.results.CanonicalJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.results.RunRecord;
import org.lincde.spi.DType;

/**
 * The minimum-depth search of the A5 figures (SPEC §4.2): for one model and one length, train with
 * 1, 2, … {@code maxDepth} stacked blocks in increasing order and stop at the first depth whose best
 * validation accuracy exceeds {@code threshold}. One record holds every depth tried
 * ({@code accuracy_depth_d}) and {@code min_depth} (0 when no depth succeeded).
 *
 * @param artifact  owning artifact
 * @param cell      human label
 * @param base      the config of depth 1 (its {@code num_blocks} is replaced)
 * @param maxDepth  largest depth tried (4 in the papers)
 * @param threshold success threshold on validation accuracy (0.9)
 * @param backend   backend id
 * @param dtype     precision
 */
public record DepthSearchRunPlan(String artifact, String cell, R1Config base, int maxDepth, double threshold,
                                 String backend, DType dtype) implements RunPlan {

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>(depthPlan(1).config());
        m.remove("num_blocks");
        m.put("protocol", "r1-depth-search");
        m.put("max_depth", maxDepth);
        m.put("threshold", threshold);
        return m;
    }

    /** xLSTM's {@code slstm_at} at {@code depth}: a stack that is sLSTM in every block stays so; others are kept. */
    private static java.util.List<Integer> slstmAt(R1Config c, int depth) {
        java.util.List<Integer> all = java.util.stream.IntStream.range(0, c.numBlocks()).boxed().toList();
        return !all.isEmpty() && c.slstmAt().equals(all)
                ? java.util.stream.IntStream.range(0, depth).boxed().toList() : c.slstmAt();
    }

    private TokenRunPlan depthPlan(int depth) {
        R1Config c = base;
        R1Config d = new R1Config(c.source(), c.task(), c.modelName(), depth, c.modelDim(), c.batchSize(), c.numSteps(),
                c.printSteps(), c.learningRate(), c.earlyStopThreshold(), c.structure(), c.useGlu(),
                c.secondEmbedding(), c.initStd(), c.dropoutRate(), c.vfANormLambda(), c.seed(), c.gated(),
                slstmAt(c, depth), c.length(), c.a5Size(), c.runs(), c.validationSamples(), c.trainLengths(),
                c.validationLengths(), c.trainPadding(), c.dtype(), c.ignoredKeys(), c.trainingLoop(), c.rank(), c.fla());
        return new TokenRunPlan(artifact, cell + " / depth " + depth, d, 0, backend, dtype);
    }

    @Override
    public long plannedSteps() {
        return base.numSteps() * maxDepth;
    }

    /** Every depth's run takes its initial parameters through {@link RunContext#initialParameters}: a conditioning run can perturb them. */
    @Override
    public boolean perturbable() {
        return true;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        RunRecord last = null;
        double wall = 0;
        long steps = 0;
        double secPerStepWeighted = 0;
        int minDepth = 0;
        List<String> tried = new ArrayList<>();
        Path dir = ctx.checkpointDir(key());
        for (int depth = 1; depth <= maxDepth; depth++) {
            RunRecord r = depth(ctx, dir, depth);
            last = r;
            wall += r.wallSeconds();
            steps += r.stepsTaken();
            secPerStepWeighted += r.secondsPerStep() * r.stepsTaken();
            double best = r.metrics().get("best_accuracy");
            metrics.put("accuracy_depth_" + depth, best);
            tried.add(depth + ":" + r.status());
            if (best > threshold) {
                minDepth = depth;
                break;
            }
        }
        metrics.put("min_depth", (double) minDepth);
        if (tried.isEmpty()) {
            throw new IllegalStateException("no depth tried");
        }
        metrics.put("best_accuracy", last.metrics().get("best_accuracy"));
        metrics.put("final_accuracy", last.metrics().get("final_accuracy"));
        return new RunRecord(key(), artifact, cell, config(), minDepth > 0 ? "solved" : "not_solved", last.curve(),
                metrics, steps, steps == 0 ? 0 : secPerStepWeighted / steps, last.peakRssMb(), wall, last.provenance());
    }

    /**
     * One depth's run: replayed from the journal in {@code dir} when an earlier attempt finished it, else trained
     * (resuming from its checkpoint under {@code dir}) and journalled. {@code dir} null: no journal.
     */
    private RunRecord depth(RunContext ctx, Path dir, int depth) {
        if (dir == null) {
            return depthPlan(depth).execute(ctx, null);
        }
        Path done = dir.resolve("depth-" + depth + ".json");
        try {
            if (Files.isRegularFile(done)) {
                return CanonicalJson.MAPPER.readValue(Files.readString(done), RunRecord.class);
            }
            RunRecord r = depthPlan(depth).execute(ctx, dir.resolve("depth-" + depth));
            AtomicFiles.writeString(done, CanonicalJson.pretty(r) + "\n");
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot journal depth " + depth + " in " + dir, e);
        }
    }
}
