package org.lincde.spi;

import java.util.Locale;

/**
 * The delta-rule baselines of R1's {@code models/fla.py} and {@code models/deltanet2.py} (docs/models/deltanet.md):
 * a flash-linear-attention layer inside R1's post-norm {@code StackedBlock}
 * ({@code y = Layer(x) + x}; optionally {@code y = y + GLU(Lin_{h→2h}(y))}; {@code x = Drop(LN(y))}).
 *
 * <p>Per head, with unit-norm keys {@code k_t}, values {@code v_t}, writing strength {@code β_t} and decay
 * {@code α_t} (1 without a forget gate), the state {@code S ∈ R^{d_k×d_v}} evolves as
 * {@code S_t = (I − β_t k_t k_tᵀ) α_t S_{t−1} + β_t k_t v_tᵀ} and the layer reads {@code o_t = S_tᵀ q_t / √d_k}.
 *
 * @param io             input and output kinds (R1: tokens, per token)
 * @param variant        which layer (and so which library defaults: β scale, initialisation, gates)
 * @param modelDim       width {@code h} ({@code model_dim}, fla's {@code hidden_size})
 * @param numBlocks      blocks ({@code num_blocks})
 * @param numHeads       heads {@code H}
 * @param headKDim       key/query width per head {@code d_k}
 * @param headVDim       value width per head {@code d_v}
 * @param convSize       short-convolution kernel ({@code conv_size}, 4)
 * @param numHouseholder Householder factors per token ({@code num_householder}; R1's {@code rank}); 1 unless
 *                       {@link Variant#GATED_DELTAPRODUCT}
 * @param forgetGate     whether a forget gate {@code α_t = exp(−e^{A_log}·softplus(a_t + dt_bias))} scales the
 *                       state ({@code gateddeltanet} always; {@code deltaproduct}: R1's {@code gated})
 * @param useGlu         R1's {@code use_glu}
 * @param dropoutRate    R1's {@code dropout_rate} (after each block's LayerNorm)
 * @param form           which evaluation of the delta rule a recurrent-mode forward pass uses
 * @param chunkSize      chunk length of the chunked form, a power of two, or 0 for the cheapest one for each
 *                       sequence length (the default; fla fixes 64, and chunk boundaries do not change the numbers)
 * @param bf16           emulate R1's {@code .bfloat16()} layers by rounding to bfloat16 where the library casts
 *                       ([QUIRK]; false: float32/float64 throughout)
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record DeltaNetSpec(SequenceIo io, Variant variant, int modelDim, int numBlocks, int numHeads, int headKDim,
                           int headVDim, int convSize, int numHouseholder, boolean forgetGate, boolean useGlu,
                           double dropoutRate, Form form, int chunkSize, boolean bf16) implements SequenceIoSpec {

    /** The four layers. */
    public enum Variant {
        /** fla {@code DeltaNet}: {@code β = σ(·)}, PyTorch-default initialisation, no gate ({@code deltanet}). */
        DELTANET("deltanet"),
        /**
         * The unlocking_state_tracking fork's {@code DeltaNet(sigmoid_scale=2)}: {@code β = 2σ(·)}, Xavier-uniform
         * initialisation with gain {@code 2^−2.5} ({@code deltanet2}, "DeltaNet[-1,1]").
         */
        DELTANET_NEG("deltanet2"),
        /** fla {@code GatedDeltaNet}: forget gate, gated RMSNorm output, PyTorch-default init ({@code gateddeltanet}). */
        GATED_DELTANET("gateddeltanet"),
        /**
         * fla {@code GatedDeltaProduct(allow_neg_eigval=True)}: {@code numHouseholder} delta steps per token,
         * {@code β = 2σ(·)}, optional forget gate, Xavier init with gain {@code 2^−2.5} ({@code deltaproduct},
         * "Gated DeltaProduct[-1,1]").
         */
        GATED_DELTAPRODUCT("deltaproduct");

        private final String modelName;

        Variant(String modelName) {
            this.modelName = modelName;
        }

        /** R1's {@code model_name}. */
        public String modelName() {
            return modelName;
        }

        /** The variant R1 builds for {@code model_name}, if any. */
        public static java.util.Optional<Variant> ofModelName(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            for (Variant v : values()) {
                if (v.modelName.equals(n)) {
                    return java.util.Optional.of(v);
                }
            }
            return java.util.Optional.empty();
        }

        /** {@code β = scale·σ(b_t)}: 2 when negative eigenvalues are allowed. */
        public double betaScale() {
            return this == DELTANET || this == GATED_DELTANET ? 1.0 : 2.0;
        }

        /** Whether the layer's own {@code _initialize_weights} (Xavier, gain {@code 2^−2.5}) replaces PyTorch's. */
        public boolean xavierInit() {
            return this == DELTANET_NEG || this == GATED_DELTAPRODUCT;
        }

        /** Whether the output passes a gated RMSNorm {@code RMSNorm(o)·w ⊙ SiLU(g)} ({@code use_gate}). */
        public boolean outputGate() {
            return this == GATED_DELTANET || this == GATED_DELTAPRODUCT;
        }
    }

    /** How the per-head recurrence is evaluated; both forms give the same outputs (DeltaRuleFormsTest). */
    public enum Form {
        /** The chunked WY/UT-transform form fla trains with ({@code chunk_delta_rule}, {@code chunk_gated_delta_rule}). */
        CHUNKED,
        /** The token-by-token recurrence ({@code fused_recurrent_*}, the {@code naive} reference). */
        RECURRENT
    }

    /** fla's chunk length (BT = 64 in {@code chunk_delta_rule} and {@code chunk_gated_delta_rule}). */
    public static final int FLA_CHUNK = 64;
    /** {@link #chunkSize} for "the cheapest chunk length for each sequence length". */
    public static final int AUTO_CHUNK = 0;
    /** fla {@code DeltaNet}'s default head count ({@code num_heads=4}). */
    public static final int DELTANET_HEADS = 4;
    /** fla {@code GatedDeltaNet}/{@code GatedDeltaProduct} defaults: {@code num_heads=6}, {@code head_dim=256}, {@code expand_v=2}. */
    public static final int GATED_HEADS = 6;
    /** See {@link #GATED_HEADS}. */
    public static final int GATED_HEAD_DIM = 256;
    /** See {@link #GATED_HEADS}. */
    public static final int GATED_EXPAND_V = 2;
    /** {@code conv_size} default of every fla layer here. */
    public static final int CONV_SIZE = 4;

    /** Validates sizes, naming the config key. */
    public DeltaNetSpec {
        SpecChecks.present("io", io);
        SpecChecks.present("model_name", variant);
        SpecChecks.present("form", form);
        io.checkWidth("model_dim", modelDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.positive("num_heads", numHeads);
        SpecChecks.positive("head_k_dim", headKDim);
        SpecChecks.positive("head_v_dim", headVDim);
        SpecChecks.positive("conv_size", convSize);
        SpecChecks.rate("dropout_rate", dropoutRate);
        if (numHouseholder < 1) {
            throw new InvalidOptionException("rank", numHouseholder,
                    "is the number of Householder factors per token (num_householder) and must be >= 1");
        }
        if (variant != Variant.GATED_DELTAPRODUCT && numHouseholder != 1) {
            throw new InvalidOptionException("rank", numHouseholder, variant.modelName() + " takes one delta step per token");
        }
        if (variant == Variant.GATED_DELTANET && !forgetGate) {
            throw new InvalidOptionException("gated", false, "Gated DeltaNet always has its forget gate");
        }
        if ((variant == Variant.DELTANET || variant == Variant.DELTANET_NEG) && forgetGate) {
            throw new InvalidOptionException("gated", true, variant.modelName() + " has no forget gate");
        }
        if (chunkSize < 0 || (chunkSize > 0 && Integer.bitCount(chunkSize) != 1)) {
            throw new InvalidOptionException("chunk_size", chunkSize, "must be a power of two, or 0 (automatic)");
        }
    }

    /**
     * R1's layer for {@code variant} with the library defaults (docs/models/deltanet.md): DeltaNet 4 heads of
     * {@code h/4}; the gated layers 6 heads of key width 256 and value width 512 whatever {@code h} is.
     *
     * @param rank  R1's {@code rank} ({@code num_householder}, {@code deltaproduct} only)
     * @param gated R1's {@code gated} ({@code use_forget_gate}, {@code deltaproduct} only)
     */
    public static DeltaNetSpec r1(Variant variant, int vocab, int labels, int modelDim, int numBlocks,
                                  double dropoutRate, boolean useGlu, int rank, boolean gated, boolean bf16) {
        SequenceIo io = SequenceIo.tokens(vocab, labels);
        return switch (variant) {
            case DELTANET, DELTANET_NEG -> {
                if (modelDim % DELTANET_HEADS != 0) {
                    throw new InvalidOptionException("model_dim", modelDim, "fla's DeltaNet splits the width into "
                            + DELTANET_HEADS + " heads (num_heads=4), so model_dim must be a multiple of 4");
                }
                int d = modelDim / DELTANET_HEADS;
                yield new DeltaNetSpec(io, variant, modelDim, numBlocks, DELTANET_HEADS, d, d, CONV_SIZE, 1, false,
                        useGlu, dropoutRate, Form.CHUNKED, AUTO_CHUNK, bf16);
            }
            case GATED_DELTANET -> new DeltaNetSpec(io, variant, modelDim, numBlocks, GATED_HEADS, GATED_HEAD_DIM,
                    GATED_HEAD_DIM * GATED_EXPAND_V, CONV_SIZE, 1, true, useGlu, dropoutRate, Form.CHUNKED, AUTO_CHUNK,
                    bf16);
            case GATED_DELTAPRODUCT -> new DeltaNetSpec(io, variant, modelDim, numBlocks, GATED_HEADS, GATED_HEAD_DIM,
                    GATED_HEAD_DIM * GATED_EXPAND_V, CONV_SIZE, rank, gated, useGlu, dropoutRate, Form.CHUNKED,
                    AUTO_CHUNK, bf16);
        };
    }

    /** This spec evaluated by {@code f} in recurrent mode. */
    public DeltaNetSpec withForm(Form f) {
        return new DeltaNetSpec(io, variant, modelDim, numBlocks, numHeads, headKDim, headVDim, convSize, numHouseholder,
                forgetGate, useGlu, dropoutRate, f, chunkSize, bf16);
    }

    /** This spec with {@code heads} heads of key width {@code dk} and value width {@code dv}. */
    public DeltaNetSpec withHeads(int heads, int dk, int dv) {
        return new DeltaNetSpec(io, variant, modelDim, numBlocks, heads, dk, dv, convSize, numHouseholder, forgetGate,
                useGlu, dropoutRate, form, chunkSize, bf16);
    }

    /** This spec with chunk length {@code c}. */
    public DeltaNetSpec withChunkSize(int c) {
        return new DeltaNetSpec(io, variant, modelDim, numBlocks, numHeads, headKDim, headVDim, convSize, numHouseholder,
                forgetGate, useGlu, dropoutRate, form, c, bf16);
    }

    /** {@code H·d_k}. */
    public int keyDim() {
        return numHeads * headKDim;
    }

    /** {@code H·d_v}. */
    public int valueDim() {
        return numHeads * headVDim;
    }

    /** R1's {@code model_name}. */
    @Override
    public String family() {
        return variant.modelName();
    }
}
