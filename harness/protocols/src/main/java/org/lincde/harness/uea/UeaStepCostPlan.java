package org.lincde.harness.uea;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.bench.TrainStepBenchmark;
import org.lincde.harness.data.uea.LogSignatureIntervals;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.LossSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.NeuralCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.model.HeunGrid;
import org.lincde.spi.model.Models;

/**
 * Time per training step and peak memory of one UEA-table model (a linear-NCDE variant or a neural CDE) on a
 * UEA dataset's shape, with R3's per-dataset settings and synthetic data: {@code N(0, 1)} series of the dataset's
 * channels (plus the model's time channel), its classes and R3's batch of 32, turned into the model's inputs
 * (the raw series for NCDE, log-signatures over the model's intervals otherwise). The data's values do not change
 * the work, so the data need not be present (the Fig. 5 claim is about time).
 *
 * <p><b>Truncation.</b> At a dataset's full length a neural CDE's training step can take minutes on a CPU and its
 * tape (every Heun stage is stored; diffrax recomputes instead) more memory than the machine has. A plan may
 * therefore measure a prefix: {@code fraction f} keeps {@code L' = ⌈f·L⌉} observations and scales the neural
 * CDE's {@code dt0} by {@code 1/f'} ({@code f' = L'/L}), so the solver takes the same number of steps per
 * observation; the linear NCDEs keep their stepsize (intervals ∝ L'). Every model's work is then ∝ L', and
 * {@code seconds_per_1000_steps} is the measured median divided by {@code f'} (an extrapolation: per-step
 * overheads that do not scale with L, the Adam update among them, are divided too, so it errs high at small f).
 * The measured value is kept as {@code measured_seconds_per_1000_steps}; memory is the measured peak.
 *
 * @param artifact  owning artifact
 * @param cell      human label
 * @param model     a {@link LinearNcdeVariant} or {@link NeuralCdeModel}
 * @param shape     the dataset's shape
 * @param fraction  f ∈ (0, 1]
 * @param warmup    untimed training steps
 * @param steps     timed training steps
 * @param backend   backend id
 * @param dtype     precision
 */
public record UeaStepCostPlan(String artifact, String cell, UeaModel model, Shape shape, double fraction, int warmup,
                              int steps, String backend, DType dtype) implements RunPlan {

    /**
     * A UEA dataset's shape (SPEC §3.5's table).
     *
     * @param dataset  archive name
     * @param length   L
     * @param channels C, without the time channel
     * @param classes  K
     */
    public record Shape(String dataset, int length, int channels, int classes) {}

    /** The six datasets of the SLiCE UEA table. */
    public static final List<Shape> PAPER_SHAPES = List.of(new Shape("EigenWorms", 17_984, 6, 5),
            new Shape("EthanolConcentration", 1_751, 3, 4), new Shape("Heartbeat", 405, 61, 2),
            new Shape("MotorImagery", 3_000, 64, 2), new Shape("SelfRegulationSCP1", 896, 6, 2),
            new Shape("SelfRegulationSCP2", 1_152, 7, 2));

    /** R3's batch size. */
    public static final int BATCH = UeaExperiment.R3_BATCH;

    /** Validates the model family and fraction. */
    public UeaStepCostPlan {
        if (model instanceof R3Baseline) {
            throw new IllegalArgumentException("step costs of the SSM baselines come from their slice-uea runs");
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (warmup < 0 || steps < 1) {
            throw new IllegalArgumentException("warmup >= 0 and steps >= 1 needed, got " + warmup + ", " + steps);
        }
    }

    /** The paper settings of {@code dataset} (R3's, for every model). */
    public UeaExperiment experiment() {
        return UeaExperiment.paper(shape.dataset());
    }

    /** {@code L' = ⌈f·L⌉} (at least 2). */
    public int measuredLength() {
        return Math.max(2, (int) Math.ceil(fraction * shape.length()));
    }

    /** {@code f' = L'/L}. */
    public double effectiveFraction() {
        return Math.min(1.0, (double) measuredLength() / shape.length());
    }

    private boolean includeTime() {
        return model instanceof NeuralCdeModel n ? experiment().neuralCde(n).includeTime() : experiment().includeTime();
    }

    /** C0: channels with the model's time channel. */
    public int inputChannels() {
        return shape.channels() + (includeTime() ? 1 : 0);
    }

    /** The model at the measured length. */
    public ModelSpec spec() {
        UeaExperiment e = experiment();
        int len = measuredLength();
        if (model instanceof NeuralCdeModel n) {
            NeuralCdeSettings s = e.neuralCde(n);
            return n.spec(inputChannels(), shape.classes(), len, s.withSizes(s.hidden(), s.vfDepth(), s.vfWidth(),
                    s.dt0() / effectiveFraction()));
        }
        LinearNcdeVariant v = (LinearNcdeVariant) model;
        return new LogLinearCdeSpec(inputChannels(), shape.classes(), e.hidden(), v.structure(e.hidden()),
                v.depth(e.depth()), LogLinearCdeSpec.R3_INIT_STD, e.parallelSteps(), true);
    }

    /** Heun steps per solve at the measured length (neural CDEs), or log-signature intervals (linear NCDEs). */
    public int workUnits() {
        if (spec() instanceof NeuralCdeSpec ns) {
            float[] ts = HeunGrid.observationTimes(ns.length(), ns.horizon());
            return HeunGrid.steps(ts[0], ts[ts.length - 1], ns.dt0(), ns.maxSteps()).length - 1;
        }
        return LogSignatureIntervals.count(measuredLength(), experiment().stepsize());
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "uea-step-cost");
        m.put("model_name", model.modelName());
        m.put("dataset_shape", shape.dataset());
        m.put("length", shape.length());
        m.put("channels", shape.channels());
        m.put("classes", shape.classes());
        m.put("batch", BATCH);
        m.put("fraction", fraction);
        m.put("warmup", warmup);
        m.put("steps", steps);
        m.put("settings", "r3-paper");
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    @Override
    public long plannedSteps() {
        return (long) warmup + steps;
    }

    /** Four synthetic batches in the model's input format (built before timing). */
    public List<Batch> batches() {
        Rng rng = Rng.seeded(4321).stream(shape.dataset());
        int len = measuredLength();
        int c0 = inputChannels();
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Rng r = rng.stream("batch", i);
            double[] x = new double[BATCH * len * c0];
            for (int s = 0; s < BATCH; s++) {
                for (int j = 0; j < len; j++) {
                    for (int c = 0; c < c0; c++) {
                        boolean time = includeTime() && c == 0;
                        x[(s * len + j) * c0 + c] = time ? (double) j / len : r.nextNormal();
                    }
                }
            }
            int[] y = new int[BATCH];
            for (int s = 0; s < BATCH; s++) {
                y[s] = r.nextInt(shape.classes());
            }
            if (model == NeuralCdeModel.NCDE) {
                out.add(Batch.of(new Batch.ChannelInputs(BATCH, len, c0, x), new Batch.SequenceTargets(y)));
                continue;
            }
            int stepsize;
            int depth;
            if (model instanceof NeuralCdeModel n) {
                stepsize = experiment().neuralCde(n).stepsize();
                depth = experiment().neuralCde(n).depth();
            } else {
                stepsize = experiment().stepsize();
                depth = ((LinearNcdeVariant) model).depth(experiment().depth());
            }
            double[] logsig = LogSignatureIntervals.compute(x, BATCH, len, c0, stepsize, depth, true, false);
            int n = LogSignatureIntervals.count(len, stepsize);
            int beta = LogSignatureIntervals.width(c0, depth, false);
            double[] x0 = new double[BATCH * c0];
            for (int s = 0; s < BATCH; s++) {
                System.arraycopy(x, s * len * c0, x0, s * c0, c0);
            }
            out.add(Batch.of(new Batch.ChannelInputs(BATCH, n, beta, logsig, c0, x0), new Batch.SequenceTargets(y)));
        }
        return out;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        long t0 = System.nanoTime();
        ModelSpec spec = spec();
        Session session = ctx.session(backend, dtype);
        double lambda = model instanceof NeuralCdeModel n ? experiment().neuralCde(n).lambda() : experiment().lambda();
        List<Batch> batches = batches();
        resetPeakRss();
        TrainStepBenchmark.Result r = TrainStepBenchmark.run(session, spec, ctx.structures(), batches, warmup, steps,
                new Objective(new LossSpec.CrossEntropy(UeaRunPlan.LOSS_EPSILON), lambda), OptimizerSpec.AdamW.adam(),
                1234);
        double f = effectiveFraction();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("seconds_per_1000_steps", 1000 * r.medianSeconds() / f);
        metrics.put("measured_seconds_per_1000_steps", 1000 * r.medianSeconds());
        metrics.put("measured_length", (double) measuredLength());
        metrics.put("effective_fraction", f);
        metrics.put(spec instanceof NeuralCdeSpec ? "solver_steps" : "intervals", (double) workUnits());
        metrics.put("parameters", (double) Models.graph(spec, ctx.structures()).parameterCount());
        metrics.put("last_loss", r.lastLoss());
        return new RunRecord(key(), artifact, cell, config(), "completed", List.of(), metrics, warmup + steps,
                r.medianSeconds(), r.peakRssMb(), (System.nanoTime() - t0) / 1e9,
                Provenance.collect(session.provenance()));
    }

    /** Resets Linux's peak-RSS counter (VmHWM) so the record's peak is this run's; silently a no-op elsewhere. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not permitted: the peak then covers the whole process
        }
    }
}
