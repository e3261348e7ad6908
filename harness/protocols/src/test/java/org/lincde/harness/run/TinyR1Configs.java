package org.lincde.harness.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The keys of a small R1 config, for tests that build models or runs from one (print_steps 1). */
final class TinyR1Configs {
    private TinyR1Configs() {}

    /** {@code task}, {@code model_name} and the sizes, steps and learning rate given; callers add the rest. */
    static Map<String, Object> of(String task, String model, int numBlocks, int modelDim, int batchSize,
                                  int numSteps, double learningRate) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", task);
        c.put("model_name", model);
        c.put("num_blocks", numBlocks);
        c.put("model_dim", modelDim);
        c.put("batch_size", batchSize);
        c.put("num_steps", numSteps);
        c.put("print_steps", 1);
        c.put("learning_rate", learningRate);
        return c;
    }
}
