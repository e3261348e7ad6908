package org.lincde.harness.r2;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.results.CanonicalJson;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.RunCheckpoint;
import org.lincde.harness.train.RunOutcome;
import org.lincde.harness.train.Trainer;
import org.lincde.harness.train.TrainingSettings;
import org.lincde.spi.DType;
import org.lincde.spi.LossSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Schedule;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.Session;
import org.lincde.spi.model.Models;

/**
 * R2's A5 experiment for one sequence model (SPEC §4.2, {@code run_sm_A5_experiment}): the minimum-depth
 * search over every length with the monotonic pruning rule ({@link MonotoneDepthSearch}), as one run.
 *
 * <p><b>Why one run per model.</b> Which depths are tried at length N depends on the outcomes at every
 * shorter length, so the lengths of one model are not independent units. One plan per model walks the
 * lengths in order, exactly as R2's loop does, and its record holds the whole search (every training's
 * best accuracy, the depths allowed at each length, the minimum depth per length). Different models stay
 * independent runs (shardable). When the run context has a checkpoint folder ({@code lincde experiment},
 * {@code lincde train}), each finished (length, depth) training is journalled there and a restarted
 * search replays it instead of training again.
 *
 * <p><b>One training</b> (length N, depth D): R2's {@code SequenceModel} (SPEC §2.8; {@code Mamba} = the
 * S6 core, {@code S4} = S4D, {@code RNN} = tanh RNN, {@code Transformer} = post-norm encoder layer with
 * {@code state_dim} heads) with token embedding, GLU mixing, LayerNorm, dropout 0.1; AdamW
 * (weight decay 0.01 on every parameter, constant rate from {@link R2LearningRates}); each step
 * backpropagates the cross-entropy of the main batch and of a length-2 batch of {@code batch_size}
 * sequences (cycled) and takes one optimiser step; evaluation every {@code printSteps} (R2: 10 000) on
 * the validation split; success when validation token accuracy exceeds 0.9. The budget is
 * {@code num_epochs} epochs of the training split ({@code num_epochs · ⌈train/batch⌉} steps), or
 * {@code maxSteps} when that is set (small profiles).
 *
 * <p>Seeds: R2 seeds torch once with {@code seed} and builds every model from the running generator;
 * here the model of (N, D) is initialised from {@code Rng.seeded(seed).stream("model", name, N, D)},
 * dropout from {@code stream("train", name, N, D)}, the data as {@link R2A5Task.Split#torch}. Evaluations
 * happen before the update of steps 0, printSteps, … (R2: after it), and a run that exhausts its budget
 * is evaluated once more at the end.
 *
 * @param artifact      owning artifact
 * @param cell          human label
 * @param experiment        the experiment's settings ({@code ssm_a5.yaml}; {@code model_names} is ignored)
 * @param modelName     R2's model name: {@code Transformer}, {@code Mamba}, {@code RNN} or {@code S4}
 * @param learningRates which learning rate each depth uses
 * @param maxSteps      step budget per training; empty: R2's {@code num_epochs} epochs
 * @param printSteps    evaluation interval (R2: 10 000)
 * @param a5Size        distinct sequences for N ≥ 4 (R2's files: 1 000 000)
 * @param seed          the run seed ({@code -s}, default 2345)
 * @param backend       backend id
 * @param dtype         precision
 */
public record SsmA5SearchPlan(String artifact, String cell, SsmA5Config experiment, String modelName,
                              R2LearningRates learningRates, OptionalLong maxSteps, int printSteps, int a5Size,
                              long seed, String backend, DType dtype) implements RunPlan {
    /** Validation accuracy that counts as solved (R2: {@code all_acc[-1] > 0.90}). */
    public static final double THRESHOLD = 0.9;
    /** R2's evaluation interval ({@code step % 10000 == 0}). */
    public static final int R2_PRINT_STEPS = 10_000;
    /** AdamW weight decay ({@code torch.optim.AdamW(..., weight_decay=0.01)}), on every parameter. */
    public static final double WEIGHT_DECAY = 0.01;
    /** R2's dropout in the A5 models. */
    public static final double DROPOUT = 0.1;
    /** Validation batch size (R2 validates in batches of {@code batch_size}; only speed depends on it). */
    public static final int EVAL_BATCH = 256;

    /** Checks the model name and budgets. */
    public SsmA5SearchPlan {
        if (!SsmA5Config.MODEL_NAMES.contains(modelName)) {
            throw new IllegalArgumentException("unknown R2 model name '" + modelName + "' (expected one of "
                    + SsmA5Config.MODEL_NAMES + ")");
        }
        if (maxSteps.orElse(1) < 1 || printSteps < 1 || a5Size < 2) {
            throw new IllegalArgumentException("maxSteps (when set), printSteps and a5Size must be >= 1, 1 and 2, got "
                    + maxSteps + ", " + printSteps + ", " + a5Size);
        }
    }

    /** R2's {@code model_name} → the sequence layer. */
    public static SequenceModelSpec.Core core(String modelName) {
        return switch (modelName) {
            case "Mamba" -> SequenceModelSpec.Core.S6;
            case "S4" -> SequenceModelSpec.Core.S4D;
            case "RNN" -> SequenceModelSpec.Core.RNN;
            case "Transformer" -> SequenceModelSpec.Core.TRANSFORMER;
            default -> throw new IllegalArgumentException("unknown R2 model name '" + modelName + "'");
        };
    }

    @Override
    public Map<String, Object> config() {
        SsmA5Config c = experiment;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r2-ssm-a5-depth-search");
        m.put("model_name", modelName);
        m.put("lengths", c.lengths());
        m.put("depths", c.depths());
        m.put("input_dim", c.inputDim());
        m.put("output_dim", c.outputDim());
        m.put("hidden_dim", c.hiddenDim());
        m.put("state_dim", c.stateDim());
        m.put("batch_size", c.batchSize());
        List<Double> rates = new ArrayList<>();
        for (int d : c.depths()) {
            rates.add(learningRate(d));
        }
        m.put("learning_rates", rates); // per depth, in the order of 'depths'
        m.put("num_epochs", c.numEpochs());
        m.put("max_steps", maxSteps.orElse(0)); // the run key writes "no budget" as 0
        m.put("print_steps", printSteps);
        m.put("weight_decay", WEIGHT_DECAY);
        m.put("dropout", DROPOUT);
        m.put("train_split", 0.8);
        m.put("a5_size", a5Size);
        m.put("threshold", THRESHOLD);
        m.put("seed", seed);
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    /** The learning rate at {@code depth}. */
    public double learningRate(int depth) {
        return learningRates.rate(modelName, depth, experiment.learningRate());
    }

    /** R2's model at {@code depth}. */
    public SequenceModelSpec spec(int depth) {
        return new SequenceModelSpec(SequenceIo.tokens(experiment.inputDim(), experiment.outputDim()), core(modelName),
                experiment.hiddenDim(), experiment.stateDim(), depth, SequenceModelSpec.Mix.GLU, true, DROPOUT);
    }

    /** The data of length {@code n} (torch splits: seed + 1 and seed + 2). */
    public R2A5Task task(int n) {
        return new R2A5Task(n, a5Size, R2A5Task.Split.torch(0.8, seed), experiment.batchSize(), seed);
    }

    /** The step budget of one training at length {@code n}. */
    public long steps(R2A5Task task) {
        return maxSteps.orElseGet(() -> experiment.numEpochs() * task.batchesPerEpoch(experiment.batchSize()));
    }

    /** Upper bound for progress: every length at every depth, at the step cap (or 1M steps per training). */
    @Override
    public long plannedSteps() {
        long per = maxSteps.orElse((long) experiment.numEpochs() * 25_000L);
        return per * experiment.lengths().size() * experiment.depths().size();
    }

    /** The settings of one training at {@code depth} with budget {@code steps}. */
    public TrainingSettings settings(int depth, long steps) {
        return TrainingSettings.builder().batchSize(experiment.batchSize()).numSteps(steps)
                .printSteps((int) Math.min(printSteps, steps)).schedule(new Schedule.Constant(learningRate(depth)))
                .objective(new Objective(new LossSpec.CrossEntropy(0.0), 0.0))
                .optimizer(new OptimizerSpec.AdamW(0.9, 0.999, 1e-8, WEIGHT_DECAY, null)).earlyStopThreshold(THRESHOLD)
                .auxiliaryMode(TrainingSettings.AuxiliaryMode.ACCUMULATE).evalBatchSize(EVAL_BATCH).build();
    }

    /**
     * One finished training, as journalled.
     *
     * @param length         sequence length
     * @param depth          number of blocks
     * @param learningRate   its learning rate
     * @param status         completed | early_stopped | diverged
     * @param bestAccuracy   best validation accuracy
     * @param finalAccuracy  last validation accuracy
     * @param steps          optimiser steps taken
     * @param secondsPerStep mean seconds per step
     * @param curve          every evaluation
     */
    public record Trial(int length, int depth, double learningRate, String status, double bestAccuracy,
                        double finalAccuracy, long steps, double secondsPerStep, List<EvaluationPoint> curve) {}

    /** Trains (length {@code n}, depth {@code d}) once. */
    public Trial train(RunContext ctx, int n, int d) {
        return train(ctx, n, d, null);
    }

    /** Trains (length {@code n}, depth {@code d}) once, resumable from {@code journal} (null: no checkpoints). */
    Trial train(RunContext ctx, int n, int d, Path journal) {
        R2A5Task task = task(n);
        long steps = steps(task);
        SequenceModelSpec spec = spec(d);
        Rng root = Rng.seeded(seed);
        ParameterSet init = ctx.initialParameters(
                Models.graph(spec, ctx.structures()).initialize(root.stream("model", modelName, n, d)));
        Session session = ctx.session(backend, dtype);
        RunOutcome o;
        try (SequenceModel model = session.model(spec, init)) {
            o = new Trainer(settings(d, steps)).train(model, task, root.stream("train", modelName, n, d),
                    ctx.progress(cell + " / A5-" + n + " / depth " + d, steps), Trainer.CheckpointSink.NONE,
                    RunCheckpoint.in(journal == null ? null : journal.resolve("A5-" + n + "-depth-" + d), printSteps));
        }
        return new Trial(n, d, learningRate(d), o.status().name().toLowerCase(), o.bestAccuracy(), o.finalAccuracy(),
                o.stepsTaken(), o.secondsPerStep(), o.curve());
    }

    /** Every trial's initial parameters come through {@link RunContext#initialParameters}: a conditioning run can perturb them. */
    @Override
    public boolean perturbable() {
        return true;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        long t0 = System.nanoTime();
        Path journal = ctx.checkpointDir(key());
        List<Trial> trials = new ArrayList<>();
        List<MonotoneDepthSearch.LengthResult> search = new MonotoneDepthSearch(experiment.lengths(), experiment.depths())
                .run((n, d) -> {
                    Trial t = recall(journal, n, d);
                    if (t == null) {
                        t = train(ctx, n, d, journal);
                        remember(journal, t);
                    } else {
                        ctx.log().printf("      %s / A5-%d / depth %d: replayed from %s%n", cell, n, d, journal);
                    }
                    trials.add(t);
                    return new MonotoneDepthSearch.Outcome(t.bestAccuracy() > THRESHOLD && !"diverged".equals(t.status()),
                            t.bestAccuracy());
                });
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (MonotoneDepthSearch.LengthResult r : search) {
            metrics.put(minDepthKey(r.length()), (double) r.minDepth());
            r.tried().forEach((d, o) -> metrics.put(accuracyKey(r.length(), d), o.bestAccuracy()));
            if (r.allowed().isEmpty()) {
                metrics.put("pruned_N" + r.length(), 1.0);
            }
        }
        long steps = 0;
        double weighted = 0;
        for (Trial t : trials) {
            steps += t.steps();
            weighted += t.secondsPerStep() * t.steps();
        }
        Trial last = trials.isEmpty() ? null : trials.get(trials.size() - 1);
        metrics.put("trainings", (double) trials.size());
        if (last != null) {
            metrics.put("final_accuracy", last.finalAccuracy());
        }
        Session session = ctx.session(backend, dtype);
        return new RunRecord(key(), artifact, cell, config(), "completed", last == null ? List.of() : last.curve(),
                metrics, steps, steps == 0 ? 0 : weighted / steps, Provenance.peakRssMb(),
                (System.nanoTime() - t0) / 1e9, Provenance.collect(session.provenance()));
    }

    /** Metric key of the minimum depth at length {@code n} (0: not reached with the allowed depths). */
    public static String minDepthKey(int n) {
        return "min_depth_N" + n;
    }

    /** Metric key of the best validation accuracy at length {@code n} and depth {@code d} (present if tried). */
    public static String accuracyKey(int n, int d) {
        return "best_accuracy_N" + n + "_depth" + d;
    }

    private static Path journalFile(Path journal, int n, int d) {
        return journal.resolve("A5-" + n + "-depth-" + d + ".json");
    }

    private static Trial recall(Path journal, int n, int d) {
        if (journal == null || !Files.isRegularFile(journalFile(journal, n, d))) {
            return null;
        }
        try {
            return CanonicalJson.MAPPER.readValue(Files.readString(journalFile(journal, n, d)), Trial.class);
        } catch (JsonProcessingException e) {
            return null; // a damaged journal entry is trained again
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void remember(Path journal, Trial t) {
        if (journal == null) {
            return;
        }
        try {
            AtomicFiles.writeString(journalFile(journal, t.length(), t.depth()), CanonicalJson.pretty(t) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the depth-search journal in " + journal, e);
        }
    }
}
