package org.lincde.harness.uea;

import org.lincde.harness.train.RunCheckpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lincde.harness.data.uea.EpochBatchSampler;
import org.lincde.harness.data.uea.UeaDataset;
import org.lincde.harness.data.uea.UeaQuirks;
import org.lincde.harness.data.uea.UeaRawDataset;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.Accuracy;
import org.lincde.spi.Batch;
import org.lincde.spi.BatchNormState;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.LossSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.model.Models;

/**
 * One R3-protocol run (SPEC §4.3) of a {@link UeaModel} (a linear-NCDE variant or an SSM baseline) on a UEA
 * dataset with one seed, on one backend and dtype:
 * <ul>
 *   <li>data (SPEC §3.5), linear NCDEs: time channel if configured, [−1, 1] scaling, the seeded 70/15/15 split
 *       ({@code rng.stream("data", "split")}), log-signatures per interval with the faithful final-interval
 *       [QUIRK], the Heartbeat ÷10 / DPLR ÷100 [QUIRK] ({@link UeaQuirks}); baselines: the same split of the
 *       raw series (time channel per the baseline's {@code time}, no scaling); neural CDEs (NCDE, NRDE, Log-NCDE,
 *       docs/models/neural-cdes.md): the same split of the unscaled series with their own {@code time}, NCDE on the
 *       raw series (its Hermite cubic), NRDE and Log-NCDE on log-signatures of their stepsize and depth;</li>
 *   <li>model: {@link LogLinearCdeSpec} with {@code w_init_std = 0.25}, the baseline's R3 classifier
 *       ({@link R3Baseline#spec}) with the dataset's {@link SsmSettings}, or the neural CDE
 *       ({@link NeuralCdeModel#spec}) with its {@link NeuralCdeSettings}, initialised from the run's seed;</li>
 *   <li>training: Adam (β = 0.9/0.999, ε = 1e−8, no weight decay), constant lr, batches of 32 reshuffled
 *       every epoch ({@code rng.stream("batches")}), loss {@code −Σ y log(p + 1e−8) + λ·R} (λ = 0 for the
 *       baselines, NCDE and NRDE; the model's own lr); evaluation (every {@link #printSteps()}) and early stopping
 *       by {@link UeaTrainer}.</li>
 * </ul>
 * The record's metrics: {@code test_accuracy} (at the last selected checkpoint), {@code best_validation_accuracy},
 * {@code final_train_accuracy}, {@code test_step}, {@code seconds_per_1000_steps}, {@code parameters}; its
 * {@code peakRssMb} is the process's peak resident memory during the run (Linux {@code VmHWM}, reset at the
 * start of the run where the kernel allows it).
 *
 * @param artifact   the artifact it belongs to
 * @param cell       human label
 * @param experiment the dataset's settings
 * @param model      the linear-NCDE variant or SSM baseline
 * @param seed       the run's seed (R3: 2345, 3456, 4567, 5678, 6789)
 * @param backend    backend id
 * @param dtype      precision
 * @param evaluation recurrent loop or R3's chunked scan (same numbers; different speed)
 */
public record UeaRunPlan(String artifact, String cell, UeaExperiment experiment, UeaModel model, long seed,
                         String backend, DType dtype, ForwardMode.Evaluation evaluation) implements RunPlan {
    /** Whether runs reproduce the authors' [QUIRK]s (SPEC): always, as the published numbers were made. */
    public static final boolean FAITHFUL_QUIRKS = true;
    /** R3's probability epsilon in the loss. */
    public static final double LOSS_EPSILON = 1e-8;
    /**
     * Batch size of the evaluation passes (the linear NCDEs' accuracy does not depend on it; LRU/S5 normalise
     * with the statistics of these batches, see {@link R3Baseline}).
     */
    public static final int EVAL_BATCH = 256;
    /** The batch of R3 PyTorch's per-batch metric averaging (S6, Mamba): its training batch. */
    public static final int PER_BATCH_METRIC_BATCH = 32;

    /** Checks that a baseline has settings on the dataset. */
    public UeaRunPlan {
        if (model instanceof R3Baseline b) {
            experiment.baseline(b);
        }
        if (model instanceof NeuralCdeModel n) {
            experiment.neuralCde(n);
        }
    }

    @Override
    public Map<String, Object> config() {
        if (model instanceof R3Baseline b) {
            return baselineConfig(b);
        }
        if (model instanceof NeuralCdeModel n) {
            return neuralCdeConfig(n);
        }
        LinearNcdeVariant variant = (LinearNcdeVariant) model;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r3-uea");
        m.put("model_name", variant.modelName());
        m.put("structure", variant.structure(experiment.hidden()).id());
        m.put("structure_options", variant.structure(experiment.hidden()).options());
        m.putAll(experiment.asConfig());
        m.put("logsig_depth", variant.depth(experiment.depth()));
        m.put("logsig_divisor", UeaQuirks.linearNcdeLogSignatureDivisor(experiment.dataset(), variant.dplr()));
        m.put("faithful_quirks", FAITHFUL_QUIRKS);
        m.put("w_init_std", LogLinearCdeSpec.R3_INIT_STD);
        return withRunKeys(m);
    }

    /** The keys every R3 run has: optimiser, loss ε, seed, evaluation, backend, dtype. */
    private Map<String, Object> withRunKeys(Map<String, Object> m) {
        m.put("optimizer", "adam");
        m.put("loss_epsilon", LOSS_EPSILON);
        m.put("seed", seed);
        m.put("evaluation", evaluation.name().toLowerCase(java.util.Locale.ROOT));
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    private Map<String, Object> baselineConfig(R3Baseline b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r3-uea");
        m.put("model_name", b.modelName());
        m.putAll(experiment.commonConfig());
        m.putAll(experiment.baseline(b).asConfig(b));
        m.put("inputs", "raw-series");
        if (b.batchNorm()) {
            m.put("batch_norm_inference", "running-statistics");
            m.put("batch_norm_momentum", BatchNormState.EQUINOX_MOMENTUM);
        }
        m.put("dropout_masks", "per-step");
        m.put("faithful_quirks", FAITHFUL_QUIRKS);
        if (b.doubleSoftmax()) {
            m.put("loss", FAITHFUL_QUIRKS ? "cross-entropy-of-softmax (double softmax)" : "cross-entropy");
        }
        if (b.perBatchMetrics()) {
            m.put("metric_averaging", FAITHFUL_QUIRKS ? "per-batch, shuffled loaders" : "per-batch");
        }
        if (FAITHFUL_QUIRKS && b.perBatchMetrics()) {
            m.put("training_loop", "r3-pytorch");
        }
        return withRunKeys(m);
    }

    private Map<String, Object> neuralCdeConfig(NeuralCdeModel n) {
        NeuralCdeSettings s = experiment.neuralCde(n);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r3-uea");
        m.put("model_name", n.modelName());
        m.putAll(experiment.commonConfig());
        m.put("print_steps", printSteps());
        m.putAll(s.asConfig(n));
        m.put("inputs", n == NeuralCdeModel.NCDE ? "hermite-cubic-of-raw-series" : "log-signatures-of-raw-series");
        m.put("solver", "heun");
        m.put("max_steps", org.lincde.spi.NeuralCdeSpec.R3_MAX_STEPS);
        m.put("faithful_quirks", FAITHFUL_QUIRKS);
        return withRunKeys(m);
    }

    /** The evaluation period: R3's neural-CDE configs have their own ({@link NeuralCdeSettings#printSteps()}). */
    public long printSteps() {
        if (model instanceof NeuralCdeModel n && experiment.neuralCde(n).printSteps().isPresent()) {
            return experiment.neuralCde(n).printSteps().getAsLong();
        }
        return experiment.printSteps();
    }

    @Override
    public long plannedSteps() {
        return usesPyTorchLoop() ? experiment.numSteps() + 1 : experiment.numSteps();
    }

    /** The processed dataset of this run (split, scaling and log-signatures depend on the seed). */
    public UeaDataset dataset(UeaRawDataset raw, Rng rng) {
        if (model instanceof R3Baseline b) {
            // raw series, no scaling; the log-signatures are unused: one interval per series keeps them cheap
            UeaDataset.Options o = new UeaDataset.Options(experiment.baseline(b).includeTime(), false,
                    Math.max(1, raw.length()), 1, true, 1.0);
            return UeaDataset.build(raw, o, rng.stream("data", "split"));
        }
        if (model instanceof NeuralCdeModel n) {
            // R3 scales only the linear NCDEs' data (train.py: scale = model_name.endswith("linear_ncde"))
            NeuralCdeSettings s = experiment.neuralCde(n);
            UeaDataset.Options o = n == NeuralCdeModel.NCDE
                    ? new UeaDataset.Options(s.includeTime(), false, Math.max(1, raw.length()), 1, true, 1.0)
                    : new UeaDataset.Options(s.includeTime(), false, s.stepsize(), s.depth(), FAITHFUL_QUIRKS, 1.0);
            return UeaDataset.build(raw, o, rng.stream("data", "split"));
        }
        LinearNcdeVariant variant = (LinearNcdeVariant) model;
        int depth = variant.depth(experiment.depth());
        UeaDataset.Options o = UeaDataset.Options.linearNcde(experiment.includeTime(), experiment.stepsize(), depth)
                .withLogSignatureDivisor(UeaQuirks.linearNcdeLogSignatureDivisor(experiment.dataset(), variant.dplr()));
        return UeaDataset.build(raw, o, rng.stream("data", "split"));
    }

    /** The model of this run for {@code data}. */
    public ModelSpec modelSpec(UeaDataset data) {
        if (model instanceof R3Baseline b) {
            return b.spec(data.channels(), data.numClasses(), experiment.baseline(b));
        }
        if (model instanceof NeuralCdeModel n) {
            return n.spec(data.channels(), data.numClasses(), data.length(), experiment.neuralCde(n));
        }
        LinearNcdeVariant variant = (LinearNcdeVariant) model;
        return new LogLinearCdeSpec(data.channels(), data.numClasses(), experiment.hidden(),
                variant.structure(experiment.hidden()), variant.depth(experiment.depth()), LogLinearCdeSpec.R3_INIT_STD,
                experiment.parallelSteps(), true);
    }

    /** Its initial parameters come through {@link RunContext#initialParameters}: a conditioning run can perturb them. */
    @Override
    public boolean perturbable() {
        return true;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        long t0 = System.nanoTime();
        return execute(ctx, UeaDataLocator.defaults().load(experiment.dataset()), t0);
    }

    /** Executes on an already loaded dataset (tests). */
    public RunRecord execute(RunContext ctx, UeaRawDataset raw) {
        return execute(ctx, raw, System.nanoTime());
    }

    private RunRecord execute(RunContext ctx, UeaRawDataset raw, long t0) {
        if (!raw.name().equals(experiment.dataset())) {
            throw new IllegalArgumentException("run plan for " + experiment.dataset() + " got dataset " + raw.name());
        }
        Rng rng = Rng.seeded(seed);
        UeaDataset data = dataset(raw, rng);
        ModelSpec spec = modelSpec(data);
        ParameterSet init = ctx.initialParameters(Models.initialize(spec, ctx.structures(), rng));
        Session session = ctx.session(backend, dtype);
        resetPeakRss();
        R3Baseline baseline = model instanceof R3Baseline b ? b : null;
        NeuralCdeSettings neural = model instanceof NeuralCdeModel n ? experiment.neuralCde(n) : null;
        double lr = baseline != null ? experiment.baseline(baseline).learningRate()
                : neural != null ? neural.learningRate() : experiment.learningRate();
        Objective objective = baseline != null
                ? new Objective(baseline.loss(FAITHFUL_QUIRKS, LOSS_EPSILON), 0.0)
                : new Objective(new LossSpec.CrossEntropy(LOSS_EPSILON),
                        neural != null ? neural.lambda() : experiment.lambda());
        OptimizerSpec.AdamW adam = OptimizerSpec.AdamW.adam();
        // SPEC §2.5/§2.6: BatchNorm keeps running statistics for inference (Equinox momentum 0.99)
        BatchNormState norms = baseline != null && baseline.batchNorm()
                ? new BatchNormState(BatchNormState.EQUINOX_MOMENTUM) : null;
        Rng dropout = rng.stream("dropout");
        ForwardMode trainMode = new ForwardMode(true, dropout, evaluation, norms);
        ForwardMode evalMode = new ForwardMode(false, null, evaluation, norms);
        boolean perBatch = baseline != null && baseline.perBatchMetrics();
        boolean pytorch = usesPyTorchLoop();
        int evalBatch = perBatch ? PER_BATCH_METRIC_BATCH : EVAL_BATCH;
        boolean rawInputs = baseline != null || model == NeuralCdeModel.NCDE;
        Function<UeaDataset.Split, List<Batch>> evalBatches = rawInputs
                ? s -> s.rawBatches(evalBatch) : s -> s.logSignatureBatches(evalBatch);
        Map<UeaTrainer.Split, List<Batch>> eval = new EnumMap<>(UeaTrainer.Split.class);
        eval.put(UeaTrainer.Split.TRAIN, evalBatches.apply(data.train()));
        eval.put(UeaTrainer.Split.VALIDATION, evalBatches.apply(data.validation()));
        eval.put(UeaTrainer.Split.TEST, evalBatches.apply(data.test()));
        int trainBatch = Math.min(experiment.batchSize(), data.train().size());
        Iterator<Batch> batches = !rawInputs
                ? data.trainingLogSignatureBatches(trainBatch, rng.stream("batches"))
                : pytorch ? data.trainingRawBatchesKeepingLast(experiment.batchSize(), rng.stream("batches"))
                : data.trainingRawBatches(trainBatch, rng.stream("batches"));
        UeaTrainer.Outcome out;
        long[] passes = new long[1];
        try (SequenceModel m = session.model(spec, init)) {
            UeaTrainer trainer = new UeaTrainer(experiment.numSteps(), printSteps(),
                    experiment.earlyStoppingSteps());
            UeaTrainer.Checkpointing checkpoints = checkpointing(RunCheckpoint.in(ctx.checkpointDir(key()), printSteps()),
                    m, batches, norms, passes);
            // fresh dropout masks every step
            UeaTrainer.Stepper stepper = step -> m.trainStep(List.of(batches.next()), objective, adam, lr,
                    trainMode.withDropout(dropout.stream(step)));
            if (pytorch) {
                // R3's PyTorch loaders reshuffle every split at every pass: the per-batch mean is over a new
                // partition each time (each case's prediction does not depend on its batch)
                Rng shuffles = rng.stream("evaluation-shuffles");
                UeaTrainer.Evaluator evaluator = split -> shuffledPerBatchAccuracy(correctness(m, eval.get(split),
                        evalMode), experiment.batchSize(), shuffles.stream(split.name(), passes[0]++));
                out = trainer.runPyTorch(stepper, evaluator, ctx.progress(cell, plannedSteps()),
                        EpochBatchSampler.batchesPerEpoch(data.train().size(), experiment.batchSize()), checkpoints);
            } else {
                out = trainer.run(stepper, split -> perBatch ? perBatchAccuracy(m, eval.get(split), evalMode)
                        : accuracy(m, eval.get(split), evalMode), ctx.progress(cell, experiment.numSteps()),
                        checkpoints);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", out.testAccuracy());
        metrics.put("test_step", (double) out.testStep());
        metrics.put("best_validation_accuracy", out.bestValidation());
        if (!out.trainAccuracies().isEmpty()) {
            metrics.put("final_train_accuracy", out.trainAccuracies().get(out.trainAccuracies().size() - 1));
            metrics.put("final_validation_accuracy", out.curve().get(out.curve().size() - 1).valAccuracy());
        }
        metrics.put("seconds_per_1000_steps", out.secondsPerStep() * 1000);
        metrics.put("parameters", (double) Models.graph(spec, ctx.structures()).parameterCount());
        if (!rawInputs) {
            metrics.put("intervals", (double) data.intervals());
        } else {
            metrics.put("length", (double) data.length());
        }
        if (spec instanceof org.lincde.spi.NeuralCdeSpec ns) {
            float[] ts = org.lincde.spi.model.HeunGrid.observationTimes(ns.length(), ns.horizon());
            metrics.put("solver_steps", (double) (org.lincde.spi.model.HeunGrid.steps(ts[0], ts[ts.length - 1],
                    ns.dt0(), ns.maxSteps()).length - 1));
        }
        metrics.put("test_cases", (double) data.test().size());
        if (out.divergedAtStep() >= 0) {
            metrics.put("diverged_at_step", (double) out.divergedAtStep());
        }
        return new RunRecord(key(), artifact, cell, config(), out.status().name().toLowerCase(java.util.Locale.ROOT),
                out.curve(), metrics, out.stepsTaken(), out.secondsPerStep(), Provenance.peakRssMb(),
                (System.nanoTime() - t0) / 1e9, Provenance.collect(session.provenance()));
    }

    private static double accuracy(SequenceModel model, List<Batch> batches, ForwardMode mode) {
        Accuracy.Count c = new Accuracy.Count(0, 0);
        for (Batch b : batches) {
            c = c.plus(Accuracy.count(model.forward(b, mode), b));
        }
        return c.value();
    }

    /** Whether this run uses R3's PyTorch trainer (S6, Mamba, with the faithful quirks). */
    public boolean usesPyTorchLoop() {
        return FAITHFUL_QUIRKS && model instanceof R3Baseline b && b.perBatchMetrics();
    }

    /** 1 where the model's prediction for the case at that position of {@code batches} is right, else 0. */
    private static boolean[] correctness(SequenceModel model, List<Batch> batches, ForwardMode mode) {
        int n = 0;
        for (Batch b : batches) {
            n += ((Batch.SequenceTargets) b.targets()).labels().length;
        }
        boolean[] right = new boolean[n];
        int at = 0;
        for (Batch b : batches) {
            HostTensor logits = model.forward(b, mode);
            int[] labels = ((Batch.SequenceTargets) b.targets()).labels();
            int k = logits.dim(-1);
            double[] v = logits.data();
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (v[i * k + j] > v[i * k + best]) {
                        best = j;
                    }
                }
                right[at++] = best == labels[i];
            }
        }
        return right;
    }

    /**
     * R3 PyTorch's metric over a shuffled loader (torch_experiments/train.py:262–286): a new permutation, batches
     * of {@code batchSize} with the last one partial, and the mean over batches of each batch's accuracy.
     */
    static double shuffledPerBatchAccuracy(boolean[] right, int batchSize, Rng rng) {
        List<int[]> batches = EpochBatchSampler.shuffledOnce(right.length, batchSize, rng);
        double sum = 0;
        for (int[] rows : batches) {
            int c = 0;
            for (int r : rows) {
                c += right[r] ? 1 : 0;
            }
            sum += (double) c / rows.length;
        }
        return sum / batches.size();
    }

    /** R3 PyTorch's metric (SPEC §2.9): the mean over batches of each batch's accuracy. */
    private static double perBatchAccuracy(SequenceModel model, List<Batch> batches, ForwardMode mode) {
        double sum = 0;
        for (Batch b : batches) {
            sum += Accuracy.count(model.forward(b, mode), b).value();
        }
        return batches.isEmpty() ? Double.NaN : sum / batches.size();
    }

    /** Resets Linux's peak-RSS counter (VmHWM) so the record's peak is this run's; silently a no-op elsewhere. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not permitted: the peak then covers the whole process
        }
    }

    /**
     * The UEA loops' resume point: the model and its optimiser, the loop's state, the BatchNorm running statistics
     * and how many shuffled evaluation passes were drawn; the training batch stream resumes by drawing the batches
     * of the steps already taken again (they are a function of the stream, not of the model).
     */
    private static UeaTrainer.Checkpointing checkpointing(RunCheckpoint ckpt, SequenceModel m, Iterator<Batch> batches,
                                                          BatchNormState norms, long[] passes) {
        if (ckpt == RunCheckpoint.NONE) {
            return UeaTrainer.Checkpointing.NONE;
        }
        return new UeaTrainer.Checkpointing() {
            @Override
            public java.util.Optional<Map<String, Object>> resume() {
                return ckpt.load().map(saved -> {
                    m.restore(saved.parameters(), saved.optimizer());
                    long step = saved.integer("step");
                    for (long i = 0; i < step; i++) {
                        batches.next();
                    }
                    passes[0] = saved.integer("evaluation_passes");
                    if (norms != null) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> stats = (Map<String, Object>) saved.loop().getOrDefault("batch_norm",
                                Map.of());
                        stats.forEach((layer, v) -> {
                            @SuppressWarnings("unchecked")
                            List<List<String>> mv = (List<List<String>>) v;
                            norms.restore(layer, mv.get(0).stream().mapToDouble(Double::parseDouble).toArray(),
                                    mv.get(1).stream().mapToDouble(Double::parseDouble).toArray());
                        });
                    }
                    return saved.loop();
                });
            }

            @Override
            public boolean due(long nextStep) {
                return ckpt.due(nextStep);
            }

            @Override
            public void save(Map<String, Object> loop) {
                Map<String, Object> state = new LinkedHashMap<>(loop);
                state.put("evaluation_passes", passes[0]);
                if (norms != null) {
                    Map<String, Object> stats = new LinkedHashMap<>();
                    for (String layer : norms.layers()) {
                        double[][] r = norms.running(layer).orElseThrow();
                        stats.put(layer, List.of(java.util.Arrays.stream(r[0]).mapToObj(RunCheckpoint::exact).toList(),
                                java.util.Arrays.stream(r[1]).mapToObj(RunCheckpoint::exact).toList()));
                    }
                    state.put("batch_norm", stats);
                }
                ckpt.save(m, state);
            }
        };
    }
}
