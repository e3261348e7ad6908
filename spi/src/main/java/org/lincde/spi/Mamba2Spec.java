package org.lincde.spi;

/**
 * R1's Mamba baseline (R1 {@code models/mamba.py}: {@code MambaBlock} around {@code mamba_ssm.Mamba2(d_model=h)},
 * docs/models/mamba2.md): the Mamba2 layer with the library defaults inside R1's post-norm block
 * {@code y = Mamba2(x) + x}; optionally {@code y = y + GLU(Lin_{h→2h}(y))}; {@code x = Drop(LN(y))}.
 *
 * <p>Per head {@code h} (head dimension {@code P}, state {@code N}, one group: B and C shared by the heads), with
 * {@code Δ_t = softplus(dt_t + dt_bias)} and a scalar decay {@code A_h = −exp(A_log_h)}:
 * {@code H_t = exp(Δ_t A_h) H_{t−1} + Δ_t x_t B_tᵀ}, {@code y_t = H_t C_t + D_h x_t}.
 *
 * @param io          input and output kinds (R1: tokens, per token)
 * @param modelDim    width {@code D} ({@code model_dim}, {@code d_model})
 * @param numBlocks   blocks ({@code num_blocks})
 * @param stateDim    {@code d_state} (library default 128)
 * @param headDim     {@code headdim} (64); must divide {@code expand·modelDim}
 * @param expand      {@code expand} (2): inner width {@code E = expand·D}
 * @param convKernel  {@code d_conv} (4)
 * @param chunkSize   {@code chunk_size} of the SSD chunked form (256)
 * @param useGlu      R1's {@code use_glu}
 * @param dropoutRate R1's {@code dropout_rate} (after each block's LayerNorm)
 * @param form        the evaluation a recurrent-mode forward pass uses (a scan-mode pass always runs
 *                    the chunked form)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record Mamba2Spec(SequenceIo io, int modelDim, int numBlocks, int stateDim, int headDim, int expand,
                         int convKernel, int chunkSize, boolean useGlu, double dropoutRate, Form form)
        implements SequenceIoSpec {

    /** {@code Mamba2.__init__} defaults (mamba_ssm/modules/mamba2.py lines 41–59). */
    public static final int D_STATE = 128;
    /** See {@link #D_STATE}. */
    public static final int HEADDIM = 64;
    /** See {@link #D_STATE}. */
    public static final int EXPAND = 2;
    /** See {@link #D_STATE}. */
    public static final int D_CONV = 4;
    /** See {@link #D_STATE}. */
    public static final int CHUNK_SIZE = 256;

    /** How the per-head recurrence is evaluated; both forms give the same outputs (Mamba2FormsTest). */
    public enum Form {
        /** The SSD chunked form the library trains with ({@code mamba_chunk_scan_combined}, {@code ssd_minimal_discrete}). */
        CHUNKED,
        /** The token-by-token recurrence ({@code Mamba2.step}). */
        RECURRENT
    }

    /** Validates sizes, naming the config key. */
    public Mamba2Spec {
        SpecChecks.present("io", io);
        SpecChecks.present("form", form);
        io.checkWidth("model_dim", modelDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.positive("d_state", stateDim);
        SpecChecks.positive("headdim", headDim);
        SpecChecks.positive("expand", expand);
        SpecChecks.positive("d_conv", convKernel);
        SpecChecks.positive("chunk_size", chunkSize);
        SpecChecks.rate("dropout_rate", dropoutRate);
        if ((expand * modelDim) % headDim != 0) {
            throw new InvalidOptionException("model_dim", modelDim, "Mamba2 splits its inner width expand·model_dim = "
                    + expand + "·" + modelDim + " = " + expand * modelDim + " into heads of headdim = " + headDim
                    + ", which does not divide it (mamba_ssm asserts d_ssm % headdim == 0); use a model_dim whose "
                    + expand + "-fold is a multiple of " + headDim);
        }
    }

    /** R1's {@code Mamba2(d_model=h)}: every other argument at the library default. */
    public static Mamba2Spec r1(int vocab, int labels, int modelDim, int numBlocks, double dropoutRate, boolean useGlu) {
        return new Mamba2Spec(SequenceIo.tokens(vocab, labels), modelDim, numBlocks, D_STATE, HEADDIM, EXPAND, D_CONV,
                CHUNK_SIZE, useGlu, dropoutRate, Form.CHUNKED);
    }

    /** This spec evaluated by {@code f} in recurrent mode. */
    public Mamba2Spec withForm(Form f) {
        return new Mamba2Spec(io, modelDim, numBlocks, stateDim, headDim, expand, convKernel, chunkSize, useGlu,
                dropoutRate, f);
    }

    /** This spec with SSD chunk length {@code c}. */
    public Mamba2Spec withChunkSize(int c) {
        return new Mamba2Spec(io, modelDim, numBlocks, stateDim, headDim, expand, convKernel, c, useGlu, dropoutRate,
                form);
    }

    /** Inner width {@code E = expand·D} ({@code d_inner = d_ssm}). */
    public int innerDim() {
        return expand * modelDim;
    }

    /** Heads {@code E / headdim}. */
    public int numHeads() {
        return innerDim() / headDim;
    }

    /** R1's {@code model_name}. */
    @Override
    public String family() {
        return "mamba";
    }
}
