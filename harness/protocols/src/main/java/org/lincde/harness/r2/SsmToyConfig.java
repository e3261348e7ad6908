package org.lincde.harness.r2;

import java.nio.file.Path;
import java.util.List;

/**
 * R2's {@code experiment_configs/ssm_toy.yaml} (SPEC §4.2): S4 and Mamba regressing the toy signature
 * labels, read strictly (the keyword arguments of {@code run_sm_toy_experiment}; {@code num_epochs} may
 * be left out, R2's default 400).
 *
 * @param source           where it was read from
 * @param runs             {@code runs} (5)
 * @param modelNames       {@code model_names} ({@code S4}, {@code Mamba})
 * @param inputDims        {@code input_dims} (2, 3)
 * @param depthNonlinears  {@code depth_nonlinears}: (depth, nonlinear) pairs
 * @param outputDim        {@code output_dim} (1)
 * @param hiddenDim        {@code hidden_dim} (256)
 * @param stateDim         {@code state_dim} (256)
 * @param batchSize        {@code batch_size} (32)
 * @param learningRate     {@code learning_rate} (1e−4, Adam)
 * @param numEpochs        {@code num_epochs} (401)
 */
public record SsmToyConfig(String source, int runs, List<String> modelNames, List<Integer> inputDims,
                           List<DepthNonlinear> depthNonlinears, int outputDim, int hiddenDim, int stateDim,
                           int batchSize, double learningRate, int numEpochs) {
    /** The file's name in {@code experiment_configs/}. */
    public static final String FILE = "ssm_toy.yaml";

    /** The values of the published file (SPEC §4.2). */
    public static final SsmToyConfig PAPER = new SsmToyConfig("ssm_toy.yaml (SPEC §4.2)", 5, List.of("S4", "Mamba"),
            List.of(2, 3), List.of(new DepthNonlinear(2, true), new DepthNonlinear(2, false),
            new DepthNonlinear(1, false)), 1, 256, 256, 32, 1e-4, 401);

    /** A {@code [depth, nonlinear]} pair. */
    public record DepthNonlinear(int depth, boolean nonlinear) {}

    /** Copies the lists. */
    public SsmToyConfig {
        modelNames = List.copyOf(modelNames);
        inputDims = List.copyOf(inputDims);
        depthNonlinears = List.copyOf(depthNonlinears);
    }

    /** Reads {@code path} strictly. */
    public static SsmToyConfig read(Path path) {
        return from(YamlFields.read(path));
    }

    /** Parses YAML text read from {@code source}. */
    public static SsmToyConfig parse(String source, String yaml) {
        return from(YamlFields.parse(source, yaml));
    }

    private static SsmToyConfig from(YamlFields f) {
        SsmToyConfig c = new SsmToyConfig(f.source(), f.positiveInt("runs"),
                f.stringList("model_names", SsmA5Config.MODEL_NAMES), f.positiveIntList("input_dims"),
                f.depthNonlinears("depth_nonlinears"), f.positiveInt("output_dim"), f.positiveInt("hidden_dim"),
                f.positiveInt("state_dim"), f.positiveInt("batch_size"), f.positiveDouble("learning_rate"),
                f.intOr("num_epochs", SsmA5Config.DEFAULT_EPOCHS));
        f.rejectUnknown();
        return c;
    }
}
