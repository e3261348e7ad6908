package org.lincde.spi;

/**
 * The selective-SSM baselines built on S6 (SPEC §2.2) or the Mamba v1 block (SPEC §2.3), in one of two
 * block templates:
 * <ul>
 *   <li>{@link Template#R1_POSTNORM} (SPEC §2.11, R1 {@code models/mamba.py}): {@code y = Layer(x) + x};
 *       optionally {@code y = y + GLU(Lin_{h→2h}(y))}; {@code y = LN(y)}; {@code y = Drop(y)}.
 *       R1 uses {@code Mamba2}; lincde substitutes the v1 block (documented gap: no per-head scalar
 *       decay, no gated RMSNorm).</li>
 *   <li>{@link Template#R3_PRENORM} (SPEC §2.9, R3 {@code torch_experiments/train.py}):
 *       {@code skip = x; x = LN(x); x = Layer(x); x = Drop(GELU(x)); x = GLU(x); x = Drop(x); x += skip}.
 *       The model emits logits; R3's double softmax [QUIRK] belongs to the loss.</li>
 * </ul>
 *
 * @param io          input and output kinds (R1: tokens per token; R3: channels, mean over time)
 * @param template    the block template
 * @param core        S6 alone or the full Mamba v1 block
 * @param modelDim    width {@code D} ({@code model_dim} in R1, {@code hidden_dim} in R3)
 * @param stateDim    SSM state size {@code N} ({@code d_state}, {@code state_dim})
 * @param numBlocks   number of blocks ({@code num_blocks})
 * @param convKernel  causal depth-wise conv kernel ({@code d_conv}, {@code conv_dim}; Mamba v1 only)
 * @param expand      expansion {@code E = expand·D} ({@code expand}, {@code expansion}; Mamba v1 only)
 * @param useGlu      R1: add the GLU stage ({@code use_glu}); R3: always true
 * @param dropoutRate block dropout (R1 {@code dropout_rate}; R3: 0.1)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record MambaSpec(SequenceIo io, Template template, Core core, int modelDim, int stateDim, int numBlocks,
                        int convKernel, int expand, boolean useGlu, double dropoutRate) implements SequenceIoSpec {

    /** Block template. */
    public enum Template {
        /** R1's post-norm residual block (SPEC §2.11). */
        R1_POSTNORM,
        /** R3's pre-LayerNorm GELU/GLU block (SPEC §2.9). */
        R3_PRENORM
    }

    /** The sequence layer inside each block. */
    public enum Core {
        /** The S6 selective SSM alone (SPEC §2.2; R3 {@code S6Layer}). */
        S6,
        /** The Mamba v1 block (SPEC §2.3; {@code mamba_ssm.Mamba}). */
        MAMBA_V1
    }

    /** Validates sizes and rates, naming the config key. */
    public MambaSpec {
        SpecChecks.present("io", io);
        SpecChecks.present("template", template);
        SpecChecks.present("model_name", core);
        String dimKey = template == Template.R1_POSTNORM ? "model_dim" : "hidden_dim";
        io.checkWidth(dimKey, modelDim);
        SpecChecks.positive("state_dim", stateDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.positive("conv_dim", convKernel);
        SpecChecks.positive("expansion", expand);
        SpecChecks.rate("dropout_rate", dropoutRate);
        if (template == Template.R3_PRENORM && !useGlu) {
            throw new InvalidOptionException("use_glu", false, "R3's block always has its GLU stage");
        }
    }

    /**
     * R1's Mamba baseline with the v1 block substituted for Mamba2, at {@code mamba_ssm.Mamba}'s defaults
     * ({@code d_state 16, d_conv 4, expand 2}).
     */
    public static MambaSpec r1(int vocab, int labels, int modelDim, int numBlocks, double dropoutRate, boolean useGlu) {
        return new MambaSpec(SequenceIo.tokens(vocab, labels), Template.R1_POSTNORM, Core.MAMBA_V1, modelDim, 16,
                numBlocks, 4, 2, useGlu, dropoutRate);
    }

    /** R3's S6 classifier (SPEC §2.9, §4.3). */
    public static MambaSpec r3S6(int channels, int classes, int numBlocks, int hiddenDim, int stateDim) {
        return new MambaSpec(SequenceIo.channels(channels, classes), Template.R3_PRENORM, Core.S6, hiddenDim,
                stateDim, numBlocks, 4, 2, true, 0.1);
    }

    /** R3's Mamba classifier (SPEC §2.9, §4.3). */
    public static MambaSpec r3Mamba(int channels, int classes, int numBlocks, int hiddenDim, int stateDim,
                                    int convKernel, int expand) {
        return new MambaSpec(SequenceIo.channels(channels, classes), Template.R3_PRENORM, Core.MAMBA_V1, hiddenDim,
                stateDim, numBlocks, convKernel, expand, true, 0.1);
    }

    /** Inner width {@code E} of the selective scan: {@code expand·D} for Mamba v1, {@code D} for S6. */
    public int innerDim() {
        return core == Core.MAMBA_V1 ? expand * modelDim : modelDim;
    }

    /** R3's {@code model_name}: {@code s6} for the S6 core, {@code mamba} for the v1 block. */
    @Override
    public String family() {
        return core == Core.S6 ? "s6" : "mamba";
    }
}
