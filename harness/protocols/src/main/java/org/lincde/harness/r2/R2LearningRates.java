package org.lincde.harness.r2;

/**
 * Which learning rate an SSM run of R2's A5 experiment uses. {@code ssm_a5.yaml} says 2e−4 for every
 * model, but the published runs' file names ({@code results/outputs_A5/<model>_<N>_<depth>_<lr>_…npy},
 * SPEC §4.2, docs/PAPER_RESULTS.md B.2) show the rates actually used: the authors edited the value per model.
 */
public enum R2LearningRates {
    /**
     * The rates of the published runs: Mamba 3e−4 at depths 1–2 and 1e−4 at depths 3–4, RNN 1e−4, S4
     * 1e−4, Transformer 2e−4 (the file's value).
     */
    PUBLISHED,
    /** The config's {@code learning_rate} for every model and depth (what the file says). */
    CONFIG;

    /** The rate for {@code model} (R2 name) at {@code depth}, given the config's value. */
    public double rate(String model, int depth, double configValue) {
        if (this == CONFIG) {
            return configValue;
        }
        return switch (model) {
            case "Mamba" -> depth <= 2 ? 3e-4 : 1e-4;
            case "RNN", "S4" -> 1e-4;
            case "Transformer" -> 2e-4;
            default -> throw new IllegalArgumentException("unknown R2 model name '" + model + "' (expected one of "
                    + SsmA5Config.MODEL_NAMES + ")");
        };
    }

    /** Parses {@code published|config}. */
    public static R2LearningRates parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown learning-rate policy '" + s + "' (expected published or config)");
        }
    }
}
