package org.lincde.spi;

/**
 * R1's causal pre-norm Transformer (SPEC §2.7, {@code models/transformer.py}, {@code CausalTransformer}):
 * input layer; {@code numBlocks} layers {@code x = x + Drop(MHA(LN(x)))}, {@code x = x + Drop(FFN(LN(x)))}
 * with rotary embeddings on Q and K (half-split convention), a causal mask and attention dropout;
 * FFN {@code Lin_{h→ffn} → GELU → Dropout → Lin_{ffn→h}}; final LayerNorm; {@code Lin_{h→K}}.
 *
 * <p>R2's post-norm encoder layer (SPEC §2.7, second item) lives inside R2's wrapper: it is
 * {@link SequenceModelSpec.Core#TRANSFORMER}, since R2 never uses it outside that wrapper.
 *
 * @param io          input and output kinds (R1: tokens, per token)
 * @param modelDim    width {@code h} ({@code model_dim}); a multiple of {@code numHeads} with an even head dimension
 * @param numBlocks   decoder layers ({@code num_blocks})
 * @param numHeads    attention heads (R1: 16)
 * @param ffnDim      FFN hidden width (R1: 512, {@code ff_hidden_dim})
 * @param dropoutRate residual, FFN and attention-weight dropout ({@code dropout_rate})
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record TransformerSpec(SequenceIo io, int modelDim, int numBlocks, int numHeads, int ffnDim,
                              double dropoutRate) implements SequenceIoSpec {
    /** R1's head count. */
    public static final int R1_HEADS = 16;
    /** R1's FFN width. */
    public static final int R1_FFN_DIM = 512;

    /** Validates sizes and rates, naming the config key. */
    public TransformerSpec {
        SpecChecks.present("io", io);
        io.checkWidth("model_dim", modelDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.positive("num_heads", numHeads);
        SpecChecks.positive("ff_hidden_dim", ffnDim);
        SpecChecks.rate("dropout_rate", dropoutRate);
        if (modelDim % numHeads != 0) {
            throw new InvalidOptionException("model_dim", modelDim, "must be a multiple of num_heads = " + numHeads);
        }
        if ((modelDim / numHeads) % 2 != 0) {
            throw new InvalidOptionException("model_dim", modelDim, "gives head dimension " + (modelDim / numHeads)
                    + "; rotary embeddings need an even head dimension");
        }
    }

    /** R1's Transformer: 16 heads, FFN 512. */
    public static TransformerSpec r1(int vocab, int labels, int modelDim, int numBlocks, double dropoutRate) {
        return new TransformerSpec(SequenceIo.tokens(vocab, labels), modelDim, numBlocks, R1_HEADS, R1_FFN_DIM,
                dropoutRate);
    }

    /** Width of one head. */
    public int headDim() {
        return modelDim / numHeads;
    }

    @Override
    public String family() {
        return "transformer";
    }
}
