package org.lincde.harness.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.results.Provenance;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/**
 * Times whole training steps (forward + backward + optimiser, inside the backend) on synthetic token batches
 * (R1-format models) or channel batches with one class per sequence (R3's classifiers):
 * {@code warmup} untimed steps, then {@code steps} timed ones; reports the median (robust to the odd GC
 * or scheduler hiccup) and the mean. Batches are built before timing; one step per measurement (JMH's
 * lesson: no loops the JIT could merge, the result is consumed).
 */
public final class TrainStepBenchmark {
    private TrainStepBenchmark() {}

    /** One measurement. */
    public record Result(double medianSeconds, double meanSeconds, double minSeconds, int steps, double peakRssMb,
                         double lastLoss, long parameters) {}

    /** Random ids in {@code [1, vocab)}, random labels in {@code [0, labels)}, every position scored. */
    public static Batch syntheticBatch(Rng rng, int batch, int length, int vocab, int labels) {
        int[] ids = new int[batch * length];
        int[] targets = new int[batch * length];
        boolean[] mask = new boolean[batch * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + rng.nextInt(vocab - 1);
            targets[i] = rng.nextInt(labels);
            mask[i] = true;
        }
        return Batch.of(new Batch.TokenInputs(batch, length, ids), new Batch.TokenTargets(targets, mask));
    }

    /**
     * {@code N(0, 1)} values of {@code channels} channels, random labels in {@code [0, classes)}, one per
     * sequence (the UEA classifiers' input and target kinds).
     */
    public static Batch syntheticChannelBatch(Rng rng, int batch, int length, int channels, int classes) {
        double[] v = new double[batch * length * channels];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextNormal();
        }
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Batch.of(new Batch.ChannelInputs(batch, length, channels, v), new Batch.SequenceTargets(y));
    }

    /** Measures {@code spec} on {@code session} with token batches (R1's AdamW at lr 1e−3). */
    public static Result run(Session session, ModelSpec spec, StructureRegistry structures, int batch, int length,
                             int vocab, int labels, int warmup, int steps, Objective objective, long seed) {
        Rng rng = Rng.seeded(seed);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(syntheticBatch(rng.stream("batch", i), batch, length, vocab, labels));
        }
        return run(session, spec, structures, batches, warmup, steps, objective, OptimizerSpec.AdamW.r1(), seed);
    }

    /**
     * Measures {@code spec} on {@code session}, cycling through {@code batches} (built before timing), with
     * {@code optimizer} at lr 1e−3; parameters are initialised from {@code seed}.
     */
    public static Result run(Session session, ModelSpec spec, StructureRegistry structures, List<Batch> batches,
                             int warmup, int steps, Objective objective, OptimizerSpec optimizer, long seed) {
        Rng rng = Rng.seeded(seed);
        ParameterSet init = Models.initialize(spec, structures, rng);
        double[] times = new double[steps];
        double loss = Double.NaN;
        try (SequenceModel model = session.model(spec, init)) {
            for (int s = 0; s < warmup + steps; s++) {
                Batch b = batches.get(s % batches.size());
                long t0 = System.nanoTime();
                SequenceModel.StepReport r = model.trainStep(List.of(b), objective, optimizer, 1e-3,
                        ForwardMode.training(rng.stream("dropout", s)));
                long t1 = System.nanoTime();
                loss = r.loss();
                if (s >= warmup) {
                    times[s - warmup] = (t1 - t0) / 1e9;
                }
            }
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
        return new Result(median, Arrays.stream(times).average().orElse(Double.NaN), sorted[0], steps,
                Provenance.peakRssMb(), loss, init.trainableCount());
    }

    /** The JSON line {@code lincde bench} prints. */
    public static Map<String, Object> json(Result r, Session session, ModelSpec spec, String label, int batch,
                                           int length) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", label);
        m.put("backend", session.backend().id());
        m.put("dtype", session.options().dtype().label());
        m.put("threads", session.provenance().getOrDefault("threads", String.valueOf(session.options().threads())));
        m.put("batch", batch);
        m.put("length", length);
        m.put("sec_per_step", round(r.medianSeconds()));
        m.put("sec_per_step_mean", round(r.meanSeconds()));
        m.put("sec_per_step_min", round(r.minSeconds()));
        m.put("timed_steps", r.steps());
        m.put("peak_rss_mb", Math.round(r.peakRssMb()));
        m.put("family", spec.family());
        m.put("parameters", r.parameters());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
