package org.lincde.harness.toy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lincde.harness.data.toy.ToySignatureDataset;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.Rng;

/**
 * One "Random Linear CDE + OLS" run of R2's toy experiment (SPEC §1.4, §4.2): an untrained
 * {@link RandomLinearCde} ({@code Rng.seeded(modelSeed).stream("run", run)}) maps every path to its final
 * state, an intercept-plus-linear readout is fitted by {@link LeastSquares} on the training split and scored
 * by RMSE on the validation split. Also records the RMSE of predicting zero on the same validation split.
 * Pure float64 Java on the CPU: no backend is involved.
 *
 * @param artifact  the artifact it belongs to
 * @param cell      human label
 * @param data      the dataset
 * @param hidden    h (R2: 256)
 * @param method    adaptive Tsit5 (R2) or fixed-step Euler
 * @param settings  the adaptive solver's settings (R2: rtol = atol = 1e−2, first step 0.01)
 * @param modelSeed the model seed (R2 CLI: 2345)
 * @param run       repeat index (R2: 0…4, a new model key per run)
 */
public record ToyLcdeRunPlan(String artifact, String cell, ToyData data, int hidden, RandomLinearCde.Method method,
                             OdeSolver.Settings settings, long modelSeed, int run) implements RunPlan {
    /** R2's model seed. */
    public static final long R2_MODEL_SEED = 2345;

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "r2-toy-random-lcde");
        m.putAll(data.asConfig());
        m.put("hidden_dim", hidden);
        m.put("solver", method.name().toLowerCase(Locale.ROOT));
        if (method == RandomLinearCde.Method.TSIT5) {
            m.put("rtol", settings.rtol());
            m.put("atol", settings.atol());
            m.put("dt0", settings.initialStep());
            m.put("step_controller", settings.controller().name().toLowerCase(Locale.ROOT));
            m.put("max_steps", settings.maxSteps());
        }
        m.put("model_seed", modelSeed);
        m.put("run", run);
        m.put("readout", "ols-intercept-householder-qr");
        return m;
    }

    @Override
    public long plannedSteps() {
        return 0;
    }

    @Override
    public RunRecord execute(RunContext context) {
        long t0 = System.nanoTime();
        ToySignatureDataset ds = data.generate();
        RandomLinearCde cde = RandomLinearCde.initialize(hidden, data.dim(), Rng.seeded(modelSeed).stream("run", run));
        int threads = Runtime.getRuntime().availableProcessors();
        ToySignatureDataset.Split train = ds.train();
        ToySignatureDataset.Split val = ds.validation();
        ToyFeatures.Result ft = ToyFeatures.compute(cde, train.paths(), train.size(), data.length(), method, settings,
                threads);
        ToyFeatures.Result fv = ToyFeatures.compute(cde, val.paths(), val.size(), data.length(), method, settings,
                threads);
        long t1 = System.nanoTime();
        LeastSquares.Fit fit = LeastSquares.fit(ft.values(), train.size(), hidden, train.labels());
        long t2 = System.nanoTime();
        double rmse = fit.rmse(fv.values(), val.size(), val.labels());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_rmse", rmse);
        metrics.put("val_mse", rmse * rmse);
        metrics.put("train_rmse", fit.rmse(ft.values(), train.size(), train.labels()));
        metrics.put("predicting_zero_rmse", val.predictingZeroRmse());
        metrics.put("accepted_steps_per_path", (double) (ft.accepted() + fv.accepted()) / ds.samples());
        metrics.put("rejected_steps", (double) (ft.rejected() + fv.rejected()));
        metrics.put("feature_seconds", (t1 - t0) / 1e9);
        metrics.put("ols_seconds", (t2 - t1) / 1e9);
        Map<String, String> session = new LinkedHashMap<>();
        session.put("backend", "none (plain Java float64)");
        session.put("threads", String.valueOf(threads));
        return new RunRecord(key(), artifact, cell, config(), "completed", List.of(), metrics, 0, 0.0,
                Provenance.peakRssMb(), (System.nanoTime() - t0) / 1e9, Provenance.collect(session));
    }
}
