package org.lincde.spi;

/**
 * R3's Linear Recurrent Unit classifier (SPEC §2.5, {@code models/LRU.py}): {@code Lin_{d→H}}; blocks
 * {@code skip = x; x = BatchNorm(x); x = LRU(x); x = Drop(GELU(x)); x = GLU(x); x = Drop(x); x += skip};
 * mean over time; {@code Lin_{H→K}} (logits; R3's softmax belongs to the loss). The BatchNorm keeps
 * running statistics for inference when the forward mode carries a {@link BatchNormState} (the UEA
 * pipeline passes one; without it, batch statistics in both modes).
 *
 * @param io          input and output kinds (R3: channels, mean over time)
 * @param hiddenDim   width {@code H} ({@code hidden_dim})
 * @param stateDim    complex state size {@code N} ({@code ssm_dim})
 * @param numBlocks   number of blocks ({@code num_blocks})
 * @param dropoutRate block dropout (R3: 0.1)
 * @param rMin        smallest initial eigenvalue modulus ({@code r_min}, R3: 0)
 * @param rMax        largest initial eigenvalue modulus ({@code r_max}, R3: 1)
 * @param maxPhase    largest initial eigenvalue phase ({@code max_phase}, R3: 6.28)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record LruSpec(SequenceIo io, int hiddenDim, int stateDim, int numBlocks, double dropoutRate, double rMin,
                      double rMax, double maxPhase) implements SequenceIoSpec {

    /** Validates sizes and ranges, naming the config key. */
    public LruSpec {
        SpecChecks.present("io", io);
        io.checkWidth("hidden_dim", hiddenDim);
        SpecChecks.positive("ssm_dim", stateDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.rate("drop_rate", dropoutRate);
        if (!(rMin >= 0 && rMin < 1)) {
            throw new InvalidOptionException("r_min", rMin, "must be in [0, 1)");
        }
        if (!(rMax > rMin && rMax <= 1)) {
            throw new InvalidOptionException("r_max", rMax, "must be in (r_min, 1] with r_min = " + rMin);
        }
        if (!(maxPhase > 0) || Double.isInfinite(maxPhase)) {
            throw new InvalidOptionException("max_phase", maxPhase, "must be finite and > 0");
        }
    }

    /** R3's LRU (r_min 0, r_max 1, max phase 6.28, dropout 0.1). */
    public static LruSpec r3(int channels, int classes, int numBlocks, int hiddenDim, int stateDim) {
        return new LruSpec(SequenceIo.channels(channels, classes), hiddenDim, stateDim, numBlocks, 0.1, 0.0, 1.0, 6.28);
    }

    @Override
    public String family() {
        return "lru";
    }
}
