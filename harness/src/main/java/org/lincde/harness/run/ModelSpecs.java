package org.lincde.harness.run;

import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.TransformerSpec;

/**
 * Maps an R1 config's {@code model_name} and sizes to a {@link ModelSpec}: {@code lcde} (the stacked
 * SLiCE, SPEC §1.2), and R1's baselines {@code lstm} (§2.1), {@code mamba} (§2.3; the Mamba v1 block
 * stands in for Mamba2) and {@code transformer} (§2.7, pre-norm with rotary embeddings).
 */
public final class ModelSpecs {
    private ModelSpecs() {}

    /** The model names this factory understands. */
    public static final java.util.List<String> NAMES = java.util.List.of("lcde", "lstm", "mamba", "transformer");

    /** The model of {@code c} for a task with {@code vocab} input tokens and {@code labels} classes. */
    public static ModelSpec fromR1(R1Config c, int vocab, int labels) {
        switch (c.modelName()) {
            case "lcde":
                return new LinearCdeSpec(vocab, labels, c.modelDim(), c.numBlocks(), c.structure(), c.useGlu(),
                        c.dropoutRate(), c.initStd(), c.secondEmbedding(), LinearCdeSpec.R1_DT,
                        LinearCdeSpec.R1_TANH_CLIP);
            case "lstm":
                return LstmSpec.r1(vocab, labels, c.modelDim(), c.numBlocks());
            case "mamba":
                return MambaSpec.r1(vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate(), c.useGlu());
            case "transformer":
                return TransformerSpec.r1(vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate());
            default:
                throw new ConfigException(c.source() + ": key 'model_name' = \"" + c.modelName()
                        + "\" is not supported (supported: " + NAMES + ")");
        }
    }
}
