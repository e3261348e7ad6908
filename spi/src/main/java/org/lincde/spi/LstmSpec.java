package org.lincde.spi;

/**
 * R1's LSTM baseline (SPEC §2.1, {@code models/lstm.py}): input layer, a {@code numBlocks}-layer
 * unidirectional LSTM of width {@code h} (PyTorch {@code nn.LSTM}: gate order i, f, g, o, two bias
 * vectors per layer, zero initial state), dropout between layers (not after the last), then
 * {@code Lin_{h→K}}.
 *
 * @param io          input and output kinds (R1: tokens, per token)
 * @param modelDim    hidden size {@code h} ({@code model_dim})
 * @param numBlocks   number of stacked LSTM layers ({@code num_blocks})
 * @param dropoutRate inter-layer dropout (R1 {@code models/lstm.py} passes the config's {@code dropout_rate} to
 *                    {@code nn.LSTM(dropout=...)})
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record LstmSpec(SequenceIo io, int modelDim, int numBlocks, double dropoutRate) implements SequenceIoSpec {
    /** A fixed inter-layer dropout of 0.1 ({@link #r1(int, int, int, int)}); R1 itself uses {@code dropout_rate}. */
    public static final double R1_DROPOUT = 0.1;

    /** Validates sizes and rates, naming the config key. */
    public LstmSpec {
        SpecChecks.present("io", io);
        io.checkWidth("model_dim", modelDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.rate("dropout_rate", dropoutRate);
    }

    /** An LSTM on token tasks with inter-layer dropout 0.1 (R1 configs go through {@code dropout_rate} instead). */
    public static LstmSpec r1(int vocab, int labels, int modelDim, int numBlocks) {
        return new LstmSpec(SequenceIo.tokens(vocab, labels), modelDim, numBlocks, R1_DROPOUT);
    }

    @Override
    public String family() {
        return "lstm";
    }
}
