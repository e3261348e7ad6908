package org.lincde.harness.run;

import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;

/** Maps an R1 config's {@code model_name} and sizes to a {@link ModelSpec}. */
public final class ModelSpecs {
    private ModelSpecs() {}

    /** The model of {@code c} for a task with {@code vocab} input tokens and {@code labels} classes. */
    public static ModelSpec fromR1(R1Config c, int vocab, int labels) {
        switch (c.modelName()) {
            case "lcde":
            case "slcde":
            case "linear_cde":
                return new LinearCdeSpec(vocab, labels, c.modelDim(), c.numBlocks(), c.structure(), c.useGlu(),
                        c.dropoutRate(), c.initStd(), c.secondEmbedding(), LinearCdeSpec.R1_DT,
                        LinearCdeSpec.R1_TANH_CLIP);
            default:
                throw new ConfigException(c.source() + ": key 'model_name' = \"" + c.modelName()
                        + "\" is not supported (supported: lcde)");
        }
    }
}
