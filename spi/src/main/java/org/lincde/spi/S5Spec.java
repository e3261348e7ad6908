package org.lincde.spi;

/**
 * R3's S5 classifier (SPEC §2.6, {@code models/S5.py}): the LRU skeleton ({@link LruSpec}) with the S5 layer:
 * {@code P = ssm_dim} complex states in {@code ssm_blocks} blocks, each initialised from the eigen-decomposition
 * of the normal part of HiPPO-LegS, conjugate symmetry ({@code P/2} states kept, output {@code 2·Re(C̃x)}),
 * LeCun-normal {@code B} and {@code C}, zero-order-hold discretisation with per-state learnt steps in
 * {@code [1e−3, 1e−1]}, eigenvalue real parts clipped to {@code ≤ −1e−4}. The block's BatchNorm is
 * {@link LruSpec}'s (running statistics through {@link BatchNormState}).
 *
 * @param io          input and output kinds (R3: channels, mean over time)
 * @param hiddenDim   width {@code H} ({@code hidden_dim})
 * @param stateDim    {@code P} ({@code ssm_dim}); {@code P / ssmBlocks} must be even
 * @param ssmBlocks   number of HiPPO blocks ({@code ssm_blocks})
 * @param numBlocks   number of model blocks ({@code num_blocks})
 * @param dropoutRate block dropout (R3: 0.05)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record S5Spec(SequenceIo io, int hiddenDim, int stateDim, int ssmBlocks, int numBlocks, double dropoutRate)
        implements SequenceIoSpec {

    /** Validates sizes, naming the config key. */
    public S5Spec {
        SpecChecks.present("io", io);
        io.checkWidth("hidden_dim", hiddenDim);
        SpecChecks.positive("ssm_dim", stateDim);
        SpecChecks.positive("ssm_blocks", ssmBlocks);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.rate("drop_rate", dropoutRate);
        if (stateDim % ssmBlocks != 0 || (stateDim / ssmBlocks) % 2 != 0) {
            throw new InvalidOptionException("ssm_dim", stateDim, "must split into ssm_blocks = " + ssmBlocks
                    + " blocks of even size (conjugate symmetry keeps half of each block)");
        }
    }

    /** R3's S5 (dropout 0.05). */
    public static S5Spec r3(int channels, int classes, int numBlocks, int hiddenDim, int stateDim, int ssmBlocks) {
        return new S5Spec(SequenceIo.channels(channels, classes), hiddenDim, stateDim, ssmBlocks, numBlocks, 0.05);
    }

    /** Size of one HiPPO block before conjugate symmetry. */
    public int blockSize() {
        return stateDim / ssmBlocks;
    }

    /** Number of complex states kept ({@code P/2}). */
    public int keptStates() {
        return stateDim / 2;
    }

    @Override
    public String family() {
        return "s5";
    }
}
