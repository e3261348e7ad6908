package org.lincde.harness.toy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained regressor of R2's toy figure (SPEC §4.2 {@code ssm_toy.yaml}, §2.8): the {@code SequenceModel}
 * wrapper around a sequence layer, with GELU or linear mixing, mean over time and one output.
 *
 * @param model     R2's {@code model_name}: {@code mamba} (the S6 core) or {@code s4} (S4D)
 * @param inputDim  d
 * @param depth     number of layers
 * @param nonlinear GELU mixing (true) or a linear mixing layer (false)
 * @param hidden    width (R2: 256)
 * @param state     SSM state size (R2: 256)
 */
public record ToyModelKey(String model, int inputDim, int depth, boolean nonlinear, int hidden, int state) {
    /** R2's toy configuration of {@code model}. */
    public static ToyModelKey r2(String model, int inputDim, int depth, boolean nonlinear) {
        return new ToyModelKey(model, inputDim, depth, nonlinear, 256, 256);
    }

    /** "Mamba depth 2 (nonlinear)". */
    public String label() {
        String name = switch (model) {
            case "mamba" -> "Mamba";
            case "s4" -> "S4";
            default -> model;
        };
        return name + " depth " + depth + (nonlinear ? " + non-linearity" : "");
    }

    /** Config entries for a run key. */
    public Map<String, Object> asConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_name", model);
        m.put("depth", depth);
        m.put("nonlinear", nonlinear);
        m.put("hidden_dim", hidden);
        m.put("state_dim", state);
        return m;
    }
}
