package org.lincde.harness.r2;

import java.nio.file.Path;
import java.util.List;

/**
 * R2's {@code experiment_configs/ssm_a5.yaml} (SPEC §4.2): the SSMs, the RNN and the Transformer on A5
 * with the minimum-depth search, read strictly (the keyword arguments of R2's
 * {@code run_sm_A5_experiment}: {@code num_epochs} may be left out (R2's default 400), every other key is
 * required, no other key allowed; the seed comes from the command line, default 2345).
 *
 * @param source       where it was read from (not part of any run key)
 * @param modelNames   {@code model_names}: {@code Transformer}, {@code Mamba} (the S6 core), {@code RNN},
 *                     {@code S4} (S4D)
 * @param lengths      {@code lengths}, searched in this order
 * @param depths       {@code depths} (1–4)
 * @param inputDim     {@code input_dim} (60)
 * @param outputDim    {@code output_dim} (60)
 * @param hiddenDim    {@code hidden_dim} (1024)
 * @param stateDim     {@code state_dim} (64; the Transformer's head count)
 * @param batchSize    {@code batch_size} (32, also the length-2 batch)
 * @param learningRate {@code learning_rate} (2e−4; the published runs used per-model rates, see
 *                     {@link R2LearningRates})
 * @param numEpochs    {@code num_epochs} (40)
 */
public record SsmA5Config(String source, List<String> modelNames, List<Integer> lengths, List<Integer> depths,
                          int inputDim, int outputDim, int hiddenDim, int stateDim, int batchSize, double learningRate,
                          int numEpochs) {
    /** The file's name in {@code experiment_configs/}. */
    public static final String FILE = "ssm_a5.yaml";
    /** R2's {@code model_name} choices. */
    public static final List<String> MODEL_NAMES = List.of("Transformer", "Mamba", "RNN", "S4");
    /** R2's default {@code num_epochs} when the file leaves it out. */
    public static final int DEFAULT_EPOCHS = 400;

    /** The values of the published file (SPEC §4.2). */
    public static final SsmA5Config PAPER = new SsmA5Config("ssm_a5.yaml (SPEC §4.2)", MODEL_NAMES,
            List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20), List.of(1, 2, 3, 4), 60, 60, 1024, 64, 32, 2e-4,
            40);

    /** Checks the values. */
    public SsmA5Config {
        modelNames = List.copyOf(modelNames);
        lengths = List.copyOf(lengths);
        depths = List.copyOf(depths);
        for (String m : modelNames) {
            if (!MODEL_NAMES.contains(m)) {
                throw new IllegalArgumentException(source + ": key 'model_names' lists '" + m + "', expected one of "
                        + MODEL_NAMES);
            }
        }
        for (int n : lengths) {
            if (n < 2) {
                throw new IllegalArgumentException(source + ": key 'lengths': A5 lengths must be >= 2, got " + n);
            }
        }
    }

    /** Reads {@code path} strictly. */
    public static SsmA5Config read(Path path) {
        return from(YamlFields.read(path));
    }

    /** Parses YAML text read from {@code source}. */
    public static SsmA5Config parse(String source, String yaml) {
        return from(YamlFields.parse(source, yaml));
    }

    private static SsmA5Config from(YamlFields f) {
        SsmA5Config c = new SsmA5Config(f.source(), f.stringList("model_names", MODEL_NAMES),
                f.positiveIntList("lengths"), f.positiveIntList("depths"), f.positiveInt("input_dim"),
                f.positiveInt("output_dim"), f.positiveInt("hidden_dim"), f.positiveInt("state_dim"),
                f.positiveInt("batch_size"), f.positiveDouble("learning_rate"), f.intOr("num_epochs", DEFAULT_EPOCHS));
        if (c.numEpochs() < 1) {
            throw new IllegalArgumentException(f.source() + ": key 'num_epochs' must be >= 1, got " + c.numEpochs());
        }
        f.rejectUnknown();
        return c;
    }

    /** This config with other model names. */
    public SsmA5Config withModels(List<String> models) {
        return new SsmA5Config(source, models, lengths, depths, inputDim, outputDim, hiddenDim, stateDim, batchSize,
                learningRate, numEpochs);
    }

    /** This config with other lengths. */
    public SsmA5Config withLengths(List<Integer> l) {
        return new SsmA5Config(source, modelNames, l, depths, inputDim, outputDim, hiddenDim, stateDim, batchSize,
                learningRate, numEpochs);
    }

    /** This config with other depths. */
    public SsmA5Config withDepths(List<Integer> d) {
        return new SsmA5Config(source, modelNames, lengths, d, inputDim, outputDim, hiddenDim, stateDim, batchSize,
                learningRate, numEpochs);
    }

    /** This config with another width and state size. */
    public SsmA5Config withSizes(int hidden, int state) {
        return new SsmA5Config(source, modelNames, lengths, depths, inputDim, outputDim, hidden, state, batchSize,
                learningRate, numEpochs);
    }

    /** This config with another batch size and learning rate. */
    public SsmA5Config withBatchAndLearningRate(int batch, double lr) {
        return new SsmA5Config(source, modelNames, lengths, depths, inputDim, outputDim, hiddenDim, stateDim, batch,
                lr, numEpochs);
    }
}
