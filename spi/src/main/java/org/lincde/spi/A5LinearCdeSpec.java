package org.lincde.spi;

/**
 * R2's {@code A5LinearCDE} (SPEC §1.4, {@code linear_cde.py} of the deep selective SSM code base): one
 * Linear CDE layer, solved with R2's fixed-step scan, in a residual block with a ReLU mixing layer.
 * <pre>
 *   E = Embedding(tokens)                       N(0,1), V×h
 *   Y = LCDE_scan(E)                            d = h, dω = dξ = h + 1, all states y_0 … y_{L−1}
 *   Y = Drop(Y); Y = ReLU(Lin_mix(Y)); Y = Drop(Y)
 *   Y = LayerNorm(Y + E)
 *   logits = Lin_out(Y)  per token             (R2 applies softmax here; the loss takes log(p + 1e−10))
 * </pre>
 * The model emits logits so that every loss of the project can consume it; R2's probabilities are
 * {@code softmax(logits)} and its loss is {@code LossSpec.CrossEntropy(1e-10)} on them.
 *
 * @param vocabSize   number of input tokens ({@code input_dim}, 60 for A5)
 * @param outputDim   number of classes ({@code output_dim}, 60 for A5)
 * @param hiddenDim   width {@code h} of the embedding and the Linear CDE state ({@code hidden_dim}, 256)
 * @param dropoutRate dropout after the Linear CDE and after the mixing layer (0.1, fixed in R2)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record A5LinearCdeSpec(int vocabSize, int outputDim, int hiddenDim, double dropoutRate) implements ModelSpec {

    /** R2's dropout rate ({@code eqx.nn.Dropout(p=0.1)}). */
    public static final double R2_DROPOUT = 0.1;

    /** Validates sizes and the rate, naming R2's config key. */
    public A5LinearCdeSpec {
        SpecChecks.positive("input_dim", vocabSize);
        SpecChecks.positive("output_dim", outputDim);
        SpecChecks.positive("hidden_dim", hiddenDim);
        SpecChecks.rate("dropout", dropoutRate);
    }

    /** R2's A5 model ({@code lcde_a5.yaml}): 60 tokens, 60 classes, hidden 256, dropout 0.1. */
    public static A5LinearCdeSpec r2() {
        return new A5LinearCdeSpec(60, 60, 256, R2_DROPOUT);
    }

    /** R2's model with another width (for small profiles). */
    public static A5LinearCdeSpec r2(int hiddenDim) {
        return new A5LinearCdeSpec(60, 60, hiddenDim, R2_DROPOUT);
    }

    @Override
    public String family() {
        return "r2-lcde";
    }
}
