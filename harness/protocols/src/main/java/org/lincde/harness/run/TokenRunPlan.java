package org.lincde.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.TaskOptions;
import org.lincde.harness.data.TokenTask;
import org.lincde.harness.data.TokenTasks;
import org.lincde.harness.io.Safetensors;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.RunCheckpoint;
import org.lincde.harness.train.RunOutcome;
import org.lincde.harness.train.Trainer;
import org.lincde.harness.train.TrainingListener;
import org.lincde.harness.train.TrainingSettings;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Schedule;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.model.Models;

/**
 * One R1-protocol run (SPEC §4.1) of a token task: A5 or a formal language, repeat {@code run} of an R1
 * config (seed {@code config.seed + run}), on one backend and dtype.
 *
 * @param artifact the artifact it belongs to
 * @param cell     human label
 * @param r1       the R1 config
 * @param run      repeat index
 * @param backend  backend id
 * @param dtype    precision
 */
public record TokenRunPlan(String artifact, String cell, R1Config r1, int run, String backend, DType dtype)
        implements RunPlan {

    /** The resolved config: every value that defines the run (the config file's path is not one). */
    @Override
    public Map<String, Object> config() {
        R1Config c = r1;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r1");
        m.put("task", c.task());
        m.put("model_name", c.modelName());
        if (c.modelName().equals("mamba")) {
            m.put("mamba_layer", "Mamba2"); // records of the v1 stand-in (before mamba meant Mamba2) do not match
        }
        if (c.flaBf16()) {
            m.put("fla_bfloat16", true);
        }
        m.put("num_blocks", c.numBlocks());
        m.put("model_dim", c.modelDim());
        m.put("batch_size", c.batchSize());
        m.put("num_steps", c.numSteps());
        m.put("print_steps", c.printSteps());
        m.put("learning_rate", c.learningRate());
        m.put("early_stop_threshold", c.earlyStopThreshold());
        m.put("structure", c.structure().id());
        m.put("structure_options", c.structure().options());
        m.put("use_glu", c.useGlu());
        m.put("second_embedding", c.secondEmbedding());
        m.put("init_std", c.initStd());
        m.put("dropout_rate", c.dropoutRate());
        m.put("vf_A_norm_lambda", c.vfANormLambda());
        m.put("seed", c.runSeed(run));
        if (c.modelName().equals("xlstm")) {
            m.put("slstm_at", c.slstmAt()); // mLSTM, sLSTM and xLSTM[1:1] differ only here
        }
        if (c.modelName().equals("deltaproduct")) {
            m.put("rank", c.rank());
            m.put("gated", c.gated());
        }
        if (!"float32".equals(c.fla().dtype())) {
            m.put("fla_dtype", c.fla().dtype());
        }
        if (c.fla().numHeads() > 0) {
            m.put("fla_num_heads", c.fla().numHeads());
        }
        if (c.fla().headDim() > 0) {
            m.put("fla_head_dim", c.fla().headDim());
        }
        if (c.isA5()) {
            m.put("length", c.length());
            m.put("a5_size", c.a5Size());
            if (a5Padding() > c.length()) {
                m.put("train_padding", a5Padding());
            }
        } else {
            m.put("validation_samples", c.validationSamples());
            m.put("train_lengths", List.of(c.trainLengths()[0], c.trainLengths()[1]));
            m.put("validation_lengths", List.of(c.validationLengths()[0], c.validationLengths()[1]));
            m.put("train_padding", trainPadding());
        }
        m.put("training_loop", c.trainingLoop());
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    @Override
    public long plannedSteps() {
        return settings().plannedUpdates();
    }

    private int trainPadding() {
        // R1 pads training sequences to 40 for lcde and to 256 for every other model (SPEC §3.2)
        return r1.trainPadding().orElse(r1.modelName().equals("lcde") ? r1.trainLengths()[1] : 256);
    }

    /**
     * A5 padding: the config's {@code train_padding} when given, else R1's rule (train.py): 65 for
     * {@code deltanet*} and {@code deltaproduct} (fla's chunked kernels need more than 64 tokens in training),
     * the length N otherwise. R1 pads the training, length-2 and validation batches alike.
     */
    private int a5Padding() {
        String m = r1.modelName();
        return r1.trainPadding().orElse(m.startsWith("deltanet") || m.equals("deltaproduct") ? R1_FLA_A5_PADDING
                : r1.length());
    }

    /** R1's A5 padding length for the fla delta-rule models. */
    public static final int R1_FLA_A5_PADDING = 65;

    /** The task this run trains on. */
    public TokenTask task() {
        R1Config c = r1;
        TaskOptions o = TaskOptions.r1Defaults(c.runSeed(run))
                .withTrainPadding(trainPadding())
                .withLengths(new TaskOptions.LengthRange(c.trainLengths()[0], c.trainLengths()[1]),
                        new TaskOptions.LengthRange(c.validationLengths()[0], c.validationLengths()[1]))
                .withValidationSamples(c.validationSamples());
        if (c.isA5()) {
            o = o.withA5(c.length(), c.a5Size(), 0.8);
            TokenTask a5 = TokenTasks.create("A5=" + c.length(), o);
            return a5Padding() > c.length() && a5 instanceof org.lincde.harness.data.a5.A5Task t
                    ? t.padded(a5Padding()) : a5;
        }
        return TokenTasks.create(c.task(), o);
    }

    /**
     * The training settings: R1's AdamW groups, warm-up + cosine, masked CE + λ·Σ||vf_A||_F, and R1's loop
     * (evaluate after the update, num_steps + 2 updates) unless the config's {@code training_loop} says
     * {@code evaluate_first}.
     */
    public TrainingSettings settings() {
        R1Config c = r1;
        return TrainingSettings.builder().batchSize(c.batchSize()).numSteps(c.numSteps()).printSteps(c.printSteps())
                .schedule(Schedule.WarmupCosine.r1(c.learningRate(), c.numSteps()))
                .objective(Objective.maskedCrossEntropy(c.vfANormLambda())).optimizer(OptimizerSpec.AdamW.r1())
                .earlyStopThreshold(c.earlyStopThreshold()).auxiliaryMode(TrainingSettings.AuxiliaryMode.ACCUMULATE)
                .evalBatchSize(Math.max(c.batchSize(), 256))
                .loop(c.trainingLoop().equals("r1") ? TrainingSettings.LoopRule.R1 : TrainingSettings.LoopRule.EVALUATE_FIRST)
                .build();
    }

    /** Its initial parameters come through {@link RunContext#initialParameters}: a conditioning run can perturb them. */
    @Override
    public boolean perturbable() {
        return true;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        return execute(ctx, ctx.checkpointDir(key()));
    }

    /** Executes with checkpoints (weights after each evaluation, and the resume point) in {@code ckpt} (null: none). */
    public RunRecord execute(RunContext ctx, Path ckpt) {
        long t0 = System.nanoTime();
        TokenTask task = task();
        ModelSpec spec = ModelSpecs.fromR1(r1, task.vocabSize(), task.labelDim());
        Rng rng = Rng.seeded(r1.runSeed(run));
        ParameterSet init = ctx.initialParameters(Models.initialize(spec, ctx.structures(), rng));
        Session session = ctx.session(backend, dtype);
        TrainingListener progress = ctx.progress(cell, plannedSteps());
        RunOutcome outcome;
        try (SequenceModel model = session.model(spec, init)) {
            outcome = new Trainer(settings()).train(model, task, rng.stream("train"), progress,
                    ckpt == null ? Trainer.CheckpointSink.NONE : (m, p) -> checkpoint(ckpt, m, p),
                    RunCheckpoint.in(ckpt, r1.printSteps()));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("final_accuracy", outcome.finalAccuracy());
        metrics.put("best_accuracy", outcome.bestAccuracy());
        metrics.put("parameters", (double) init.trainableCount());
        if (outcome.divergedAtStep() >= 0) {
            metrics.put("diverged_at_step", (double) outcome.divergedAtStep());
        }
        return new RunRecord(key(), artifact, cell, config(), outcome.status().name().toLowerCase(),
                outcome.curve(), metrics, outcome.stepsTaken(), outcome.secondsPerStep(), Provenance.peakRssMb(),
                (System.nanoTime() - t0) / 1e9, Provenance.collect(session.provenance()));
    }

    /** Latest checkpoint, overwritten atomically at every evaluation (float64: exact state). */
    private static void checkpoint(Path dir, SequenceModel m, EvaluationPoint p) {
        try {
            Safetensors.write(dir.resolve("latest.safetensors"), m.parameters(), ElementType.FLOAT64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
        }
    }
}
