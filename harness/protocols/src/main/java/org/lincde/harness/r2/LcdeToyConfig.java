package org.lincde.harness.r2;

import java.nio.file.Path;
import java.util.List;

/**
 * R2's {@code experiment_configs/lcde_toy.yaml} (SPEC §4.2): the random Linear CDE feature map + OLS on
 * the toy signature data, read strictly (the keyword arguments of {@code run_lcde_toy_experiment}).
 *
 * @param source     where it was read from
 * @param runs       {@code runs} (5)
 * @param hiddenDim  {@code hidden_dim} (256)
 * @param outputDim  {@code output_dim} (1)
 * @param batchSize  {@code batch_size}: feature-extraction batch (4000)
 * @param inputDims  {@code input_dims}: path channels (2, 3)
 */
public record LcdeToyConfig(String source, int runs, int hiddenDim, int outputDim, int batchSize,
                            List<Integer> inputDims) {
    /** The file's name in {@code experiment_configs/}. */
    public static final String FILE = "lcde_toy.yaml";

    /** The values of the published file (SPEC §4.2). */
    public static final LcdeToyConfig PAPER = new LcdeToyConfig("lcde_toy.yaml (SPEC §4.2)", 5, 256, 1, 4000,
            List.of(2, 3));

    /** Copies the list. */
    public LcdeToyConfig {
        inputDims = List.copyOf(inputDims);
    }

    /** Reads {@code path} strictly. */
    public static LcdeToyConfig read(Path path) {
        return from(YamlFields.read(path));
    }

    /** Parses YAML text read from {@code source}. */
    public static LcdeToyConfig parse(String source, String yaml) {
        return from(YamlFields.parse(source, yaml));
    }

    private static LcdeToyConfig from(YamlFields f) {
        LcdeToyConfig c = new LcdeToyConfig(f.source(), f.positiveInt("runs"), f.positiveInt("hidden_dim"),
                f.positiveInt("output_dim"), f.positiveInt("batch_size"), f.positiveIntList("input_dims"));
        f.rejectUnknown();
        return c;
    }
}
