package org.lincde.harness.toy;

import java.util.Optional;
import org.lincde.harness.train.Preemption;
import org.lincde.harness.train.RunCheckpoint;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lincde.harness.data.toy.ToySignatureDataset;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.train.EvaluationPoint;
import org.lincde.harness.train.TrainingListener;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LossSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.model.Models;

/**
 * One trained regressor of R2's toy figure (SPEC §4.2, {@code ssm_toy.yaml}): the model of
 * {@link ToyRegressors} for {@link #model()}, Adam at a constant rate (R2: 1e−4), batches of 32 reshuffled
 * every epoch ({@code rng.stream("batches")}), mean squared error; every {@code printSteps} optimiser steps
 * (step 0 included) the validation RMSE {@code √(mean over validation batches of the batch MSE)} (R2's
 * definition, batches of 32). The curve goes to the record's metrics as {@code val_rmse@<step>} (the
 * record's accuracy curve does not fit a regression), plus {@code val_rmse} (last evaluation) and
 * {@code best_val_rmse}.
 *
 * @param artifact   the artifact it belongs to
 * @param cell       human label
 * @param model      which regressor
 * @param data       the dataset
 * @param numSteps   optimiser steps (R2: 401 epochs ≈ 1 000 000 steps; logged to 990 000)
 * @param printSteps evaluation period (R2: 10 000)
 * @param lr         learning rate (R2: 1e−4)
 * @param batchSize  R2: 32
 * @param seed       run seed (model init and batches)
 * @param backend    backend id
 * @param dtype      precision
 */
public record ToySsmRunPlan(String artifact, String cell, ToyModelKey model, ToyData data, long numSteps,
                            long printSteps, double lr, int batchSize, long seed, String backend, DType dtype)
        implements RunPlan {
    /** R2's evaluation batch. */
    public static final int EVAL_BATCH = 32;

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r2-toy-ssm");
        m.putAll(model.asConfig());
        m.putAll(data.asConfig());
        m.put("num_steps", numSteps);
        m.put("print_steps", printSteps);
        m.put("learning_rate", lr);
        m.put("batch_size", batchSize);
        m.put("optimizer", "adam");
        m.put("loss", "mse");
        m.put("seed", seed);
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    @Override
    public long plannedSteps() {
        return numSteps;
    }

    /** Its initial parameters come through {@link RunContext#initialParameters}: a conditioning run can perturb them. */
    @Override
    public boolean perturbable() {
        return true;
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        return execute(ctx, ToyRegressors.discover());
    }

    /** Executes with the regressors of {@code regressors}. */
    public RunRecord execute(RunContext ctx, ToyRegressors regressors) {
        long t0 = System.nanoTime();
        ToyRegressors.ToyRegressor reg = regressors.find(model).orElseThrow(() -> new IllegalStateException(
                "no toy regressor for " + model.label() + " on the class path (the S4/Mamba baselines)"));
        ToySignatureDataset ds = data.generate();
        Rng rng = Rng.seeded(seed);
        ParameterSet init = ctx.initialParameters(Models.initialize(reg.spec(), ctx.structures(), rng));
        Session session = ctx.session(backend, dtype);
        Objective mse = new Objective(new LossSpec.MeanSquaredError(), 0.0);
        OptimizerSpec.AdamW adam = OptimizerSpec.AdamW.adam();
        List<Batch> val = new ArrayList<>();
        for (Batch b : ds.validation().batches(EVAL_BATCH)) {
            val.add(reg.encoding().apply(b));
        }
        Iterator<Batch> batches = ds.train().trainingBatches(batchSize, rng.stream("batches"));
        TrainingListener progress = ctx.progress(cell, numSteps);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<EvaluationPoint> curve = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        double last = Double.NaN;
        long nanos = 0;
        long step = 0;
        String status = "completed";
        double lossSum = 0;
        long lossCount = 0;
        RunCheckpoint ckpt = RunCheckpoint.in(ctx.checkpointDir(key()), printSteps);
        org.lincde.harness.train.DivergenceRule divergence = new org.lincde.harness.train.DivergenceRule();
        try (SequenceModel m = session.model(reg.spec(), init); AutoCloseable running = Preemption.loop()) {
            Optional<RunCheckpoint.Saved> saved = ckpt.load();
            if (saved.isPresent()) {
                RunCheckpoint.Saved c = saved.get();
                m.restore(c.parameters(), c.optimizer());
                step = c.integer("step");
                for (long i = 0; i < step; i++) {
                    batches.next(); // the batch stream's position is the step
                }
                curve.addAll(c.curve("curve"));
                List<Double> rmses = c.numbers("val_rmse");
                for (int i = 0; i < rmses.size(); i++) {
                    metrics.put("val_rmse@" + curve.get(i).step(), rmses.get(i));
                }
                best = c.number("best");
                last = c.number("last");
                lossSum = c.number("loss_sum");
                lossCount = c.integer("loss_count");
                nanos = c.integer("train_nanos");
                divergence.resume(c.loop());
            }
            long start = step;
            for (; step <= numSteps; step++) {
                if (step > start && ckpt.due(step)) {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("step", step);
                    state.put("curve", RunCheckpoint.curve(curve));
                    state.put("val_rmse", RunCheckpoint.exact(curve.stream()
                            .map(p -> metrics.get("val_rmse@" + p.step())).toList()));
                    state.put("best", RunCheckpoint.exact(best));
                    state.put("last", RunCheckpoint.exact(last));
                    state.put("loss_sum", RunCheckpoint.exact(lossSum));
                    state.put("loss_count", lossCount);
                    state.put("train_nanos", nanos);
                    state.put(org.lincde.harness.train.DivergenceRule.CHECKPOINT_KEY,
                            RunCheckpoint.exact(divergence.firstLoss()));
                    ckpt.save(m, state);
                }
                if (step % printSteps == 0 || step == numSteps) {
                    last = rmse(m, val);
                    best = Math.min(best, last);
                    metrics.put("val_rmse@" + step, last);
                    EvaluationPoint p = new EvaluationPoint(step, Double.NaN,
                            lossCount == 0 ? Double.NaN : lossSum / lossCount);
                    curve.add(p);
                    progress.evaluated(p);
                    lossSum = 0;
                    lossCount = 0;
                }
                if (step == numSteps) {
                    break;
                }
                long s0 = System.nanoTime();
                SequenceModel.StepReport r = m.trainStep(List.of(reg.encoding().apply(batches.next())), mse, adam, lr,
                        ForwardMode.training(rng.stream("dropout", step)));
                nanos += System.nanoTime() - s0;
                if (divergence.diverged(r.finite(), r.loss())) {
                    status = "diverged";
                    metrics.put("diverged_at_step", (double) step);
                    break;
                }
                lossSum += r.loss();
                lossCount++;
                progress.step(step, r.loss());
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        progress.finished();
        metrics.put("val_rmse", last);
        metrics.put("best_val_rmse", best);
        metrics.put("parameters", (double) init.trainableCount());
        metrics.put("seconds_per_1000_steps", step == 0 ? 0.0 : nanos / 1e6 / step);
        return new RunRecord(key(), artifact, cell, config(), status.toLowerCase(Locale.ROOT), curve, metrics, step,
                step == 0 ? 0.0 : nanos / 1e9 / step, Provenance.peakRssMb(), (System.nanoTime() - t0) / 1e9,
                Provenance.collect(session.provenance()));
    }

    /** R2's validation RMSE: √(mean over batches of each batch's MSE). */
    private static double rmse(SequenceModel m, List<Batch> val) {
        double sum = 0;
        for (Batch b : val) {
            HostTensor out = m.forward(b, ForwardMode.inference());
            double[] y = ((Batch.RealTargets) b.targets()).values();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                double r = out.data()[i] - y[i];
                s += r * r;
            }
            sum += s / y.length;
        }
        return Math.sqrt(sum / val.size());
    }
}
