package org.lincde.harness.r2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.harness.io.Safetensors;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.RunCheckpoint;
import org.lincde.harness.train.RunOutcome;
import org.lincde.harness.train.Trainer;
import org.lincde.harness.train.TrainingSettings;
import org.lincde.spi.A5LinearCdeSpec;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.LossSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Schedule;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.model.Models;

/**
 * One length of R2's Linear CDE A5 experiment (SPEC §4.2, {@code run_lcde_A5_experiment}):
 * {@link A5LinearCdeSpec} trained with AdamW (lr {@code learning_rate}, weight decay 0.01 on every
 * parameter, optax's {@code adamw}), loss {@code −log(softmax + 1e−10)} averaged over all tokens, two
 * separate updates per iteration (the main batch, then a length-2 batch of {@code batch_size // 10}
 * sequences), evaluation every {@code print_steps} on the validation split (batches of 400, dropout off),
 * stopping as soon as validation token accuracy exceeds 0.9.
 *
 * <p>Seeds: R2 splits {@code PRNGKey(seed)} into a model key (reused for every length), a training key
 * and data keys. Here the model is initialised from {@code Rng.seeded(seed).stream("model")} (the same
 * parameters for every length), dropout masks from {@code stream("train")}, the split and batch orders
 * as {@link R2A5Task.Split#jax}. Differences from R2, all bookkeeping: evaluations happen before the
 * update of steps 0, print_steps, … (R2: after it), and a run that exhausts its steps is evaluated once
 * more at the end.
 *
 * @param artifact  owning artifact
 * @param cell      human label
 * @param experiment    the experiment's settings ({@code lcde_a5.yaml}; {@code lengths} is ignored here)
 * @param length    sequence length N of this run
 * @param a5Size    distinct sequences for N ≥ 4 (R2's files: 1 000 000)
 * @param seed      the run seed ({@code -s}, default 2345)
 * @param backend   backend id
 * @param dtype     precision
 */
public record LcdeA5RunPlan(String artifact, String cell, LcdeA5Config experiment, int length, int a5Size, long seed,
                            String backend, DType dtype) implements RunPlan {
    /** Validation accuracy that ends a run as solved (R2: {@code val_accs[-1] > 0.9}). */
    public static final double THRESHOLD = 0.9;
    /** AdamW weight decay (optax {@code adamw(lr, weight_decay=0.01)}), on every parameter. */
    public static final double WEIGHT_DECAY = 0.01;
    /** R2's loss: {@code −Σ y log(p + 1e−10)}. */
    public static final double PROBABILITY_EPSILON = 1e-10;
    /** R2 evaluates in batches of 400. */
    public static final int EVAL_BATCH = 400;

    @Override
    public Map<String, Object> config() {
        LcdeA5Config c = experiment;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r2-lcde-a5");
        m.put("model", "A5LinearCDE");
        m.put("length", length);
        m.put("input_dim", c.inputDim());
        m.put("hidden_dim", c.hiddenDim());
        m.put("output_dim", c.outputDim());
        m.put("batch_size", c.batchSize());
        m.put("aux_batch_size", c.auxBatchSize());
        m.put("num_steps", c.numSteps());
        m.put("print_steps", c.printSteps());
        m.put("learning_rate", c.learningRate());
        m.put("weight_decay", WEIGHT_DECAY);
        m.put("train_split", c.trainSplit());
        m.put("a5_size", a5Size);
        m.put("threshold", THRESHOLD);
        m.put("seed", seed);
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    @Override
    public long plannedSteps() {
        return experiment.numSteps();
    }

    /** The model. */
    public A5LinearCdeSpec spec() {
        return new A5LinearCdeSpec(experiment.inputDim(), experiment.outputDim(), experiment.hiddenDim(),
                A5LinearCdeSpec.R2_DROPOUT);
    }

    /** The data. */
    public R2A5Task task() {
        return new R2A5Task(length, a5Size, R2A5Task.Split.jax(experiment.trainSplit(), seed), experiment.auxBatchSize(),
                seed);
    }

    /** R2 JAX's training settings. */
    public TrainingSettings settings() {
        return TrainingSettings.builder().batchSize(experiment.batchSize()).numSteps(experiment.numSteps())
                .printSteps(experiment.printSteps()).schedule(new Schedule.Constant(experiment.learningRate()))
                .objective(new Objective(new LossSpec.CrossEntropy(PROBABILITY_EPSILON), 0.0))
                .optimizer(new OptimizerSpec.AdamW(0.9, 0.999, 1e-8, WEIGHT_DECAY, null)).earlyStopThreshold(THRESHOLD)
                .auxiliaryMode(TrainingSettings.AuxiliaryMode.SEPARATE_UPDATES).evalBatchSize(EVAL_BATCH).build();
    }

    /** Its initial parameters come through {@link RunContext#initialParameters}: a conditioning run can perturb them. */
    @Override
    public boolean perturbable() {
        return true;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        long t0 = System.nanoTime();
        A5LinearCdeSpec spec = spec();
        Rng root = Rng.seeded(seed);
        ParameterSet init = ctx.initialParameters(Models.graph(spec, ctx.structures()).initialize(root.stream("model")));
        Session session = ctx.session(backend, dtype);
        Path ckpt = ctx.checkpointDir(key());
        RunOutcome outcome;
        try (SequenceModel model = session.model(spec, init)) {
            outcome = new Trainer(settings()).train(model, task(), root.stream("train"),
                    ctx.progress(cell, experiment.numSteps()),
                    ckpt == null ? Trainer.CheckpointSink.NONE : (m, p) -> checkpoint(ckpt, m),
                    RunCheckpoint.in(ckpt, experiment.printSteps()));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean solved = outcome.bestAccuracy() > THRESHOLD;
        metrics.put("final_accuracy", outcome.finalAccuracy());
        metrics.put("best_accuracy", outcome.bestAccuracy());
        metrics.put("min_depth", solved ? 1.0 : 0.0); // one block; 0 = not solved with it
        metrics.put("parameters", (double) init.trainableCount());
        if (outcome.divergedAtStep() >= 0) {
            metrics.put("diverged_at_step", (double) outcome.divergedAtStep());
        }
        return new RunRecord(key(), artifact, cell, config(), outcome.status().name().toLowerCase(), outcome.curve(),
                metrics, outcome.stepsTaken(), outcome.secondsPerStep(), Provenance.peakRssMb(),
                (System.nanoTime() - t0) / 1e9, Provenance.collect(session.provenance()));
    }

    static void checkpoint(Path dir, SequenceModel m) {
        try {
            Safetensors.write(dir.resolve("latest.safetensors"), m.parameters(), ElementType.FLOAT64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
        }
    }
}
