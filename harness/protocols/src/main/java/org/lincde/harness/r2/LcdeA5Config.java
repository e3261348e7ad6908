package org.lincde.harness.r2;

import java.nio.file.Path;
import java.util.List;

/**
 * R2's {@code experiment_configs/lcde_a5.yaml} (SPEC §4.2): the Linear CDE on A5, read strictly (the
 * keyword arguments of R2's {@code run_lcde_A5_experiment}: every key required, no other key allowed;
 * the seed comes from the command line, default 2345).
 *
 * @param source       where it was read from (for messages; not part of any run key)
 * @param inputDim     {@code input_dim}: token vocabulary (60)
 * @param hiddenDim    {@code hidden_dim} (256)
 * @param outputDim    {@code output_dim} (60)
 * @param batchSize    {@code batch_size} (32); the length-2 batch is {@code batch_size // 10}
 * @param numSteps     {@code num_steps} (1 000 000)
 * @param printSteps   {@code print_steps}: evaluate every this many steps (10 000)
 * @param learningRate {@code learning_rate} (2e−4; AdamW, weight decay 0.01 on all parameters)
 * @param lengths      {@code lengths}: one run per sequence length
 * @param trainSplit   {@code train_split} (0.8)
 */
public record LcdeA5Config(String source, int inputDim, int hiddenDim, int outputDim, int batchSize, long numSteps,
                           int printSteps, double learningRate, List<Integer> lengths, double trainSplit) {
    /** The file's name in {@code experiment_configs/}. */
    public static final String FILE = "lcde_a5.yaml";

    /** The values of the published file (SPEC §4.2). */
    public static final LcdeA5Config PAPER = new LcdeA5Config("lcde_a5.yaml (SPEC §4.2)", 60, 256, 60, 32, 1_000_000,
            10_000, 2e-4, List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20), 0.8);

    /** Checks the values (as a file would be checked). */
    public LcdeA5Config {
        lengths = List.copyOf(lengths);
        for (int n : lengths) {
            if (n < 2) {
                throw new IllegalArgumentException(source + ": key 'lengths': A5 lengths must be >= 2, got " + n);
            }
        }
        if (!(trainSplit > 0 && trainSplit < 1)) {
            throw new IllegalArgumentException(source + ": key 'train_split' must be in (0, 1), got " + trainSplit);
        }
    }

    /** Reads {@code path} strictly. */
    public static LcdeA5Config read(Path path) {
        return from(YamlFields.read(path));
    }

    /** Parses YAML text read from {@code source}. */
    public static LcdeA5Config parse(String source, String yaml) {
        return from(YamlFields.parse(source, yaml));
    }

    private static LcdeA5Config from(YamlFields f) {
        LcdeA5Config c = new LcdeA5Config(f.source(), f.positiveInt("input_dim"), f.positiveInt("hidden_dim"),
                f.positiveInt("output_dim"), f.positiveInt("batch_size"), f.positiveLong("num_steps"),
                f.positiveInt("print_steps"), f.positiveDouble("learning_rate"), f.positiveIntList("lengths"),
                f.requiredDouble("train_split"));
        f.rejectUnknown();
        return c;
    }

    /** R2 JAX's length-2 batch size, {@code batch_size // 10} (3 for 32; at least 1). */
    public int auxBatchSize() {
        return Math.max(1, batchSize / 10);
    }

    /** This config with other lengths. */
    public LcdeA5Config withLengths(List<Integer> l) {
        return new LcdeA5Config(source, inputDim, hiddenDim, outputDim, batchSize, numSteps, printSteps, learningRate,
                l, trainSplit);
    }

    /** This config with another step budget; {@code print_steps} is capped at it. */
    public LcdeA5Config withSteps(long steps) {
        return new LcdeA5Config(source, inputDim, hiddenDim, outputDim, batchSize, steps,
                (int) Math.min(printSteps, steps), learningRate, lengths, trainSplit);
    }

    /** This config with another evaluation interval. */
    public LcdeA5Config withPrintSteps(int print) {
        return new LcdeA5Config(source, inputDim, hiddenDim, outputDim, batchSize, numSteps, print, learningRate,
                lengths, trainSplit);
    }

    /** This config with another width. */
    public LcdeA5Config withHidden(int hidden) {
        return new LcdeA5Config(source, inputDim, hidden, outputDim, batchSize, numSteps, printSteps, learningRate,
                lengths, trainSplit);
    }

    /** This config with another batch size and learning rate. */
    public LcdeA5Config withBatchAndLearningRate(int batch, double lr) {
        return new LcdeA5Config(source, inputDim, hiddenDim, outputDim, batch, numSteps, printSteps, lr, lengths,
                trainSplit);
    }
}
