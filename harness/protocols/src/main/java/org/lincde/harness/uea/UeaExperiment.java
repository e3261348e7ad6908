package org.lincde.harness.uea;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.lincde.spi.InvalidOptionException;

/**
 * One dataset's R3 training settings (SPEC §4.3): the linear NCDEs' tuned per-dataset values
 * ({@code time, lr, hidden, λ, stepsize, depth}), the settings common to every UEA config (steps, evaluation
 * period, patience, batch) and each SSM baseline's own per-dataset values ({@link SsmSettings}: its
 * {@code time} and {@code lr} replace the linear NCDEs' for that model). The six paper datasets are
 * {@link #PAPER}; {@link #MINI} holds lincde's own settings for the two small datasets lincde ships
 * ({@code BundledUeaData}, docs/PAPER_RESULTS.md E; not
 * from any paper).
 *
 * @param dataset            archive name ({@code EigenWorms})
 * @param includeTime        prepend the time channel ({@code time})
 * @param learningRate       Adam's constant rate ({@code lr})
 * @param hidden             h ({@code hidden_dim})
 * @param lambda             regulariser weight λ ({@code lambd})
 * @param stepsize           log-signature interval stepsize
 * @param depth              log-signature / log-ODE depth
 * @param numSteps           maximum optimiser steps ({@code num_steps})
 * @param printSteps         evaluation period ({@code print_steps})
 * @param earlyStoppingSteps patience ({@code early_stopping_steps})
 * @param batchSize          training batch ({@code batch_size})
 * @param parallelSteps      scan chunk length ({@code parallel_steps})
 * @param baselines          each SSM baseline's settings on this dataset (a baseline absent here cannot run on it)
 * @param neuralCdes         NCDE's, NRDE's and Log-NCDE's settings on this dataset ({@link NeuralCdeSettings}; a
 *                           model absent here cannot run on it)
 */
public record UeaExperiment(String dataset, boolean includeTime, double learningRate, int hidden, double lambda,
                            int stepsize, int depth, long numSteps, long printSteps, int earlyStoppingSteps,
                            int batchSize, int parallelSteps, Map<R3Baseline, SsmSettings> baselines,
                            Map<NeuralCdeModel, NeuralCdeSettings> neuralCdes) {
    /** R3's {@code num_steps}. */
    public static final long R3_NUM_STEPS = 100_000;
    /** R3's {@code print_steps} for the linear NCDEs. */
    public static final long R3_PRINT_STEPS = 1_000;
    /** R3's {@code early_stopping_steps}. */
    public static final int R3_EARLY_STOPPING_STEPS = 10;
    /** R3's {@code batch_size}. */
    public static final int R3_BATCH = 32;
    /** R3's five seeds. */
    public static final List<Long> R3_SEEDS = List.of(2345L, 3456L, 4567L, 5678L, 6789L);

    /** Validates ranges, naming R3's config keys. */
    public UeaExperiment {
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidOptionException("dataset_name", dataset, "is required");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidOptionException("lr", learningRate, "must be finite and > 0");
        }
        if (hidden < 1) {
            throw new InvalidOptionException("hidden_dim", hidden, "must be > 0");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new InvalidOptionException("lambd", lambda, "must be finite and >= 0");
        }
        if (stepsize < 1) {
            throw new InvalidOptionException("stepsize", stepsize, "must be >= 1");
        }
        if (depth < 1 || depth > 2) {
            throw new InvalidOptionException("logsig_depth", depth, "must be 1 or 2");
        }
        if (numSteps < 1 || printSteps < 1) {
            throw new InvalidOptionException("num_steps/print_steps", numSteps + "/" + printSteps, "must be > 0");
        }
        if (earlyStoppingSteps < 0) {
            throw new InvalidOptionException("early_stopping_steps", earlyStoppingSteps, "must be >= 0");
        }
        if (batchSize < 1 || parallelSteps < 1) {
            throw new InvalidOptionException("batch_size/parallel_steps", batchSize + "/" + parallelSteps,
                    "must be > 0");
        }
        baselines = baselines == null || baselines.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new EnumMap<>(baselines));
        neuralCdes = neuralCdes == null || neuralCdes.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new EnumMap<>(neuralCdes));
    }

    /** Settings for the linear NCDEs and the baselines (no neural-CDE settings). */
    public UeaExperiment(String dataset, boolean includeTime, double learningRate, int hidden, double lambda,
                         int stepsize, int depth, long numSteps, long printSteps, int earlyStoppingSteps, int batchSize,
                         int parallelSteps, Map<R3Baseline, SsmSettings> baselines) {
        this(dataset, includeTime, learningRate, hidden, lambda, stepsize, depth, numSteps, printSteps,
                earlyStoppingSteps, batchSize, parallelSteps, baselines, Map.of());
    }

    /** Settings for the linear NCDEs only (no baseline settings). */
    public UeaExperiment(String dataset, boolean includeTime, double learningRate, int hidden, double lambda,
                         int stepsize, int depth, long numSteps, long printSteps, int earlyStoppingSteps, int batchSize,
                         int parallelSteps) {
        this(dataset, includeTime, learningRate, hidden, lambda, stepsize, depth, numSteps, printSteps,
                earlyStoppingSteps, batchSize, parallelSteps, Map.of(), Map.of());
    }

    /** R3's common settings with the per-dataset values of SPEC §4.3. */
    public static UeaExperiment r3(String dataset, boolean time, double lr, int hidden, double lambda, int stepsize,
                                   int depth) {
        return new UeaExperiment(dataset, time, lr, hidden, lambda, stepsize, depth, R3_NUM_STEPS, R3_PRINT_STEPS,
                R3_EARLY_STOPPING_STEPS, R3_BATCH, 128);
    }

    /** The four baselines' settings (SPEC §4.3's column order: LRU, S5, S6, Mamba). */
    private static Map<R3Baseline, SsmSettings> ssm(SsmSettings lru, SsmSettings s5, SsmSettings s6,
                                                    SsmSettings mamba) {
        return Map.of(R3Baseline.LRU, lru, R3Baseline.S5, s5, R3Baseline.S6, s6, R3Baseline.MAMBA, mamba);
    }

    /**
     * SPEC §4.3: the six datasets of the SLiCE UEA table, as in {@code experiment_configs/repeats}: the linear
     * NCDEs' values, and the baselines' {@code lr, time, num_blocks, hidden_dim, ssm_dim} (+ S5's
     * {@code ssm_blocks}, Mamba's {@code conv_dim, expansion}).
     */
    public static final List<UeaExperiment> PAPER = List.of(
            r3("EigenWorms", true, 1e-3, 128, 1e-3, 12, 2).withBaselines(ssm(
                    SsmSettings.of(1e-3, false, 4, 64, 64), SsmSettings.s5(1e-4, true, 2, 64, 16, 8),
                    SsmSettings.of(1e-3, false, 4, 16, 64), SsmSettings.mamba(1e-3, true, 6, 16, 64, 2, 1))),
            r3("EthanolConcentration", true, 1e-4, 64, 1e-6, 1, 1).withBaselines(ssm(
                    SsmSettings.of(1e-5, true, 6, 64, 16), SsmSettings.s5(1e-5, true, 2, 128, 16, 8),
                    SsmSettings.of(1e-5, true, 4, 16, 16), SsmSettings.mamba(1e-3, true, 4, 64, 256, 4, 4))),
            r3("Heartbeat", true, 1e-3, 16, 1e-6, 2, 2).withBaselines(ssm(
                    SsmSettings.of(1e-4, true, 2, 128, 256), SsmSettings.s5(1e-3, false, 4, 128, 16, 4),
                    SsmSettings.of(1e-3, true, 4, 16, 16), SsmSettings.mamba(1e-4, false, 4, 64, 256, 2, 4))),
            r3("MotorImagery", false, 1e-3, 16, 1e-3, 16, 2).withBaselines(ssm(
                    SsmSettings.of(1e-3, false, 6, 16, 256), SsmSettings.s5(1e-3, false, 6, 16, 64, 4),
                    SsmSettings.of(1e-3, true, 4, 16, 256), SsmSettings.mamba(1e-5, false, 2, 128, 64, 3, 1))),
            r3("SelfRegulationSCP1", false, 1e-4, 64, 0.0, 16, 2).withBaselines(ssm(
                    SsmSettings.of(1e-3, false, 2, 64, 16), SsmSettings.s5(1e-3, false, 6, 128, 16, 8),
                    SsmSettings.of(1e-4, false, 2, 64, 16), SsmSettings.mamba(1e-5, false, 2, 128, 16, 4, 1))),
            r3("SelfRegulationSCP2", false, 1e-4, 128, 1e-3, 4, 2).withBaselines(ssm(
                    SsmSettings.of(1e-3, true, 2, 64, 16), SsmSettings.s5(1e-4, true, 2, 16, 64, 2),
                    SsmSettings.of(1e-3, false, 2, 16, 256), SsmSettings.mamba(1e-4, true, 6, 64, 64, 2, 2))))
            .stream().map(e -> e.withNeuralCdes(NeuralCdeSettingsTable.paper(e.dataset()))).toList();

    private static final Map<R3Baseline, SsmSettings> MINI_BASELINES = ssm(SsmSettings.of(1e-3, true, 2, 64, 16),
            SsmSettings.s5(1e-3, true, 2, 64, 16, 2), SsmSettings.of(1e-3, true, 2, 16, 16),
            SsmSettings.mamba(1e-3, true, 2, 16, 16, 4, 2));

    /**
     * lincde's settings for the two small datasets lincde ships (docs/PAPER_RESULTS.md E; BasicMotions: 80 cases of
     * 100×6, 4 classes; JapaneseVowels: 640 cases of 7–29×12, 9 classes), not from any paper: R3's common
     * settings and values from R3's search grid (SPEC §4.3) sized for a CPU: time channel on, lr 1e−3,
     * h = 16, λ = 1e−3, depth 2, stepsize 4 (BasicMotions: 26 intervals) or 2 (JapaneseVowels: 15). The
     * baselines, likewise from R3's grid and CPU-sized, the same on both datasets: time channel, lr 1e−3,
     * 2 blocks, state 16; LRU and S5 H = 64 (S5: 2 HiPPO blocks), S6 and Mamba H = 16 (R3's usual S6 width;
     * Mamba: conv 4, expansion 2).
     */
    public static final List<UeaExperiment> MINI = List.of(
            r3("BasicMotions", true, 1e-3, 16, 1e-3, 4, 2).withBaselines(MINI_BASELINES)
                    .withNeuralCdes(NeuralCdeSettingsTable.mini("BasicMotions")),
            r3("JapaneseVowels", true, 1e-3, 16, 1e-3, 2, 2).withBaselines(MINI_BASELINES)
                    .withNeuralCdes(NeuralCdeSettingsTable.mini("JapaneseVowels")));

    /** The paper settings of {@code dataset}. */
    public static UeaExperiment paper(String dataset) {
        return find(PAPER, dataset);
    }

    /** The mini settings of {@code dataset}. */
    public static UeaExperiment mini(String dataset) {
        return find(MINI, dataset);
    }

    private static UeaExperiment find(List<UeaExperiment> list, String dataset) {
        return list.stream().filter(e -> e.dataset.equals(dataset)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no UEA settings for dataset '" + dataset + "' (have: "
                        + list.stream().map(UeaExperiment::dataset).toList() + ")"));
    }

    /** A copy with another step budget and evaluation period (the smoke and quick profiles). */
    public UeaExperiment withSteps(long steps, long print) {
        return new UeaExperiment(dataset, includeTime, learningRate, hidden, lambda, stepsize, depth, steps, print,
                earlyStoppingSteps, batchSize, parallelSteps, baselines, neuralCdes);
    }

    /** A copy with another hidden size for the linear NCDEs (the baselines keep theirs). */
    public UeaExperiment withHidden(int h) {
        return new UeaExperiment(dataset, includeTime, learningRate, h, lambda, stepsize, depth, numSteps, printSteps,
                earlyStoppingSteps, batchSize, parallelSteps, baselines, neuralCdes);
    }

    /** A copy with these baseline settings. */
    public UeaExperiment withBaselines(Map<R3Baseline, SsmSettings> settings) {
        return new UeaExperiment(dataset, includeTime, learningRate, hidden, lambda, stepsize, depth, numSteps,
                printSteps, earlyStoppingSteps, batchSize, parallelSteps, settings, neuralCdes);
    }

    /** A copy with these neural-CDE settings. */
    public UeaExperiment withNeuralCdes(Map<NeuralCdeModel, NeuralCdeSettings> settings) {
        return new UeaExperiment(dataset, includeTime, learningRate, hidden, lambda, stepsize, depth, numSteps,
                printSteps, earlyStoppingSteps, batchSize, parallelSteps, baselines, settings);
    }

    /** A copy with every neural-CDE model's settings mapped by {@code f} (the smoke and quick profiles' sizes). */
    public UeaExperiment mapNeuralCdes(java.util.function.BiFunction<NeuralCdeModel, NeuralCdeSettings,
            NeuralCdeSettings> f) {
        Map<NeuralCdeModel, NeuralCdeSettings> m = new EnumMap<>(NeuralCdeModel.class);
        neuralCdes.forEach((k, v) -> m.put(k, f.apply(k, v)));
        return withNeuralCdes(m);
    }

    /** The settings of {@code model} on this dataset. */
    public NeuralCdeSettings neuralCde(NeuralCdeModel model) {
        NeuralCdeSettings s = neuralCdes.get(model);
        if (s == null) {
            throw new IllegalArgumentException("no " + model.label() + " settings for dataset '" + dataset
                    + "' (have: " + neuralCdes.keySet().stream().map(NeuralCdeModel::label).toList() + ")");
        }
        return s;
    }

    /** A copy with every baseline's settings mapped by {@code f} (the smoke profile's sizes). */
    public UeaExperiment mapBaselines(UnaryOperator<SsmSettings> f) {
        Map<R3Baseline, SsmSettings> m = new EnumMap<>(R3Baseline.class);
        baselines.forEach((k, v) -> m.put(k, f.apply(v)));
        return withBaselines(m);
    }

    /** The settings of {@code model} on this dataset. */
    public SsmSettings baseline(R3Baseline model) {
        SsmSettings s = baselines.get(model);
        if (s == null) {
            throw new IllegalArgumentException("no " + model.label() + " settings for dataset '" + dataset
                    + "' (have: " + baselines.keySet().stream().map(R3Baseline::label).toList() + ")");
        }
        return s;
    }

    /** The settings every model shares, as R3's config keys (for a baseline's run key). */
    public Map<String, Object> commonConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset_name", dataset);
        m.put("num_steps", numSteps);
        m.put("print_steps", printSteps);
        m.put("early_stopping_steps", earlyStoppingSteps);
        m.put("batch_size", batchSize);
        return m;
    }

    /** The linear NCDEs' values as R3's config keys (for their run key). */
    public Map<String, Object> asConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset_name", dataset);
        m.put("time", includeTime);
        m.put("lr", learningRate);
        m.put("hidden_dim", hidden);
        m.put("lambd", lambda);
        m.put("stepsize", stepsize);
        m.put("logsig_depth", depth);
        m.put("num_steps", numSteps);
        m.put("print_steps", printSteps);
        m.put("early_stopping_steps", earlyStoppingSteps);
        m.put("batch_size", batchSize);
        m.put("parallel_steps", parallelSteps);
        return m;
    }
}
