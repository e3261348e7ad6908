package org.lincde.spi;

/**
 * How a baseline model reads its input and what it emits (SPEC §2): token ids through an embedding
 * ({@code N(0,1)}, PyTorch's default), two token streams through two half-width embeddings (R1's
 * {@code second_embedding}, SPEC §1.2), or real channels through {@code Lin_{d→h}} (PyTorch-default
 * init); per-token outputs {@code (B, L, K)} (A5, formal languages) or the mean over time read out
 * to {@code (B, K)} (R2 toy, R3 UEA).
 *
 * @param input     what the model reads
 * @param inputDim  vocabulary size {@code V} for tokens, channel count {@code d} for channels
 *                  ({@code data_dim} in R1, {@code input_dim} in R2)
 * @param output    per token or mean over time
 * @param outputDim number of classes or regression outputs {@code K} ({@code label_dim}, {@code output_dim})
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record SequenceIo(Input input, int inputDim, Output output, int outputDim) {

    /** What the model reads. */
    public enum Input {
        /** One token id per step ({@code Batch.TokenInputs} with {@code perStep = 1}). */
        TOKENS,
        /** Two token ids per step, embedded to {@code h/2} each and concatenated (R1 {@code second_embedding}). */
        TOKEN_PAIRS,
        /** Real-valued channels ({@code Batch.ChannelInputs}). */
        CHANNELS
    }

    /** What the model emits. */
    public enum Output {
        /** Logits at every position, {@code (B, L, K)}. */
        PER_TOKEN,
        /** The head applied to the mean of the last hidden states over time, {@code (B, K)}. */
        MEAN_OVER_TIME
    }

    /** Validates sizes, naming the config key. */
    public SequenceIo {
        SpecChecks.present("input", input);
        SpecChecks.present("output", output);
        SpecChecks.positive("input_dim", inputDim);
        SpecChecks.positive("output_dim", outputDim);
    }

    /** Token ids in, per-token logits out (A5, formal languages). */
    public static SequenceIo tokens(int vocabSize, int labels) {
        return new SequenceIo(Input.TOKENS, vocabSize, Output.PER_TOKEN, labels);
    }

    /** Real channels in, one output vector per sequence (mean over time; R2 toy, R3 UEA). */
    public static SequenceIo channels(int channels, int outputs) {
        return new SequenceIo(Input.CHANNELS, channels, Output.MEAN_OVER_TIME, outputs);
    }

    /** This with another output kind. */
    public SequenceIo withOutput(Output o) {
        return new SequenceIo(input, inputDim, o, outputDim);
    }

    /** Checks that a model width {@code h} suits the input kind (even for token pairs). */
    void checkWidth(String key, int h) {
        SpecChecks.positive(key, h);
        if (input == Input.TOKEN_PAIRS && h % 2 != 0) {
            throw new InvalidOptionException(key, h, "must be even with second_embedding (two h/2 embeddings)");
        }
    }
}
