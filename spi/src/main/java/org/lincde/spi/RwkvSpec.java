package org.lincde.spi;

/**
 * R1's RWKV baselines (R1 {@code models/fla.py}, docs/models/rwkv.md): flash-linear-attention's
 * {@code RWKV7Attention} ({@code rwkv7}) or {@code RWKV6Attention} ({@code rwkv6}) built with
 * {@code mode="chunk", hidden_size=h, layer_idx=i} and every other argument at the library default, inside R1's
 * post-norm {@code StackedBlock}: {@code y = Layer(x) + x}; optionally {@code y = y + GLU(Lin_{h→2h}(y))};
 * {@code x = Drop(LN(y))}; RWKV-7's first block hands its values {@code v_first} to the later blocks.
 *
 * @param io          input and output kinds (R1: tokens, per token)
 * @param version     RWKV-7 or RWKV-6
 * @param modelDim    width {@code h} ({@code model_dim}, fla's {@code hidden_size})
 * @param numBlocks   blocks ({@code num_blocks})
 * @param numHeads    heads {@code H} (RWKV-7: {@code h / head_dim}, head_dim 64; RWKV-6: {@code num_heads} 4)
 * @param keyDim      {@code H·d_k} (RWKV-7: {@code h}; RWKV-6: {@code int(h·expand_k)}, expand_k 0.5)
 * @param valueDim    {@code H·d_v} (both: {@code h})
 * @param decayRank   low rank of the decay LoRA (RWKV-7 {@code decay_low_rank_dim} 64; RWKV-6
 *                    {@code gate_low_rank_dim} 64, the rank of {@code w_proj})
 * @param gateRank    RWKV-7 {@code gate_low_rank_dim} (128; RWKV-6 has no gate LoRA: 0)
 * @param aRank       RWKV-7 {@code a_low_rank_dim} (64; RWKV-6: 0)
 * @param vRank       RWKV-7 {@code v_low_rank_dim} (16; RWKV-6: 0)
 * @param mixRank     RWKV-6 {@code proj_low_rank_dim} (32) of the data-dependent token shift (RWKV-7: 0)
 * @param useGlu      R1's {@code use_glu}
 * @param dropoutRate R1's {@code dropout_rate} (after each block's LayerNorm)
 * @param bf16        emulate R1's {@code .bfloat16()} layers by rounding to bfloat16 where the library stores a
 *                    bfloat16 tensor ([QUIRK]; false: float32/float64 throughout)
 * @param form        the evaluation a recurrent-mode forward pass uses (a scan-mode pass always runs the chunked form)
 * @param chunkSize   chunk length of the chunked form
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record RwkvSpec(SequenceIo io, Version version, int modelDim, int numBlocks, int numHeads, int keyDim,
                       int valueDim, int decayRank, int gateRank, int aRank, int vRank, int mixRank, boolean useGlu,
                       double dropoutRate, boolean bf16, Form form, int chunkSize) implements SequenceIoSpec {

    /** How the recurrence is evaluated; both forms give the same outputs (Mamba2AndRwkvTest). */
    public enum Form {
        /** Chunks of {@code chunkSize} with matrix products inside (fla trains with {@code chunk_*} kernels). */
        CHUNKED,
        /** Token by token ({@code fused_recurrent_*}, the {@code naive} references). */
        RECURRENT
    }

    /**
     * lincde's chunk length: 16 keeps RWKV-7's within-chunk decay ratios inside {@code e^{±9.8}} (fla's kernels use
     * 16-step sub-chunks too); the result does not depend on it.
     */
    public static final int CHUNK_SIZE = 16;

    /** The two layers. */
    public enum Version {
        /** fla {@code RWKV7Attention} ({@code rwkv7}). */
        RWKV7("rwkv7"),
        /** fla {@code RWKV6Attention} ({@code rwkv6}). */
        RWKV6("rwkv6");

        private final String modelName;

        Version(String modelName) {
            this.modelName = modelName;
        }

        /** R1's {@code model_name}. */
        public String modelName() {
            return modelName;
        }
    }

    /** {@code RWKV7Attention} defaults (fla/layers/rwkv7.py at c72662cc, lines 27–39). */
    public static final int RWKV7_HEAD_DIM = 64;
    /** See {@link #RWKV7_HEAD_DIM}. */
    public static final int RWKV7_DECAY_RANK = 64;
    /** See {@link #RWKV7_HEAD_DIM}. */
    public static final int RWKV7_GATE_RANK = 128;
    /** See {@link #RWKV7_HEAD_DIM}. */
    public static final int RWKV7_A_RANK = 64;
    /** See {@link #RWKV7_HEAD_DIM}. */
    public static final int RWKV7_V_RANK = 16;
    /** {@code RWKV6Attention} defaults (fla/layers/rwkv6.py at c72662cc, lines 26–37). */
    public static final int RWKV6_HEADS = 4;
    /** See {@link #RWKV6_HEADS}. */
    public static final int RWKV6_MIX_RANK = 32;
    /** See {@link #RWKV6_HEADS}. */
    public static final int RWKV6_DECAY_RANK = 64;

    /** Validates sizes, naming the config key. */
    public RwkvSpec {
        SpecChecks.present("io", io);
        SpecChecks.present("model_name", version);
        io.checkWidth("model_dim", modelDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.positive("num_heads", numHeads);
        SpecChecks.positive("key_dim", keyDim);
        SpecChecks.positive("value_dim", valueDim);
        SpecChecks.positive("decay_low_rank_dim", decayRank);
        SpecChecks.rate("dropout_rate", dropoutRate);
        SpecChecks.present("form", form);
        SpecChecks.positive("chunk_size", chunkSize);
        if (keyDim % numHeads != 0 || valueDim % numHeads != 0) {
            throw new InvalidOptionException("model_dim", modelDim, version.modelName() + " splits key width " + keyDim
                    + " and value width " + valueDim + " into " + numHeads + " heads, which does not divide them");
        }
        if (version == Version.RWKV7) {
            SpecChecks.positive("gate_low_rank_dim", gateRank);
            SpecChecks.positive("a_low_rank_dim", aRank);
            SpecChecks.positive("v_low_rank_dim", vRank);
        } else {
            SpecChecks.positive("proj_low_rank_dim", mixRank);
        }
    }

    /**
     * R1's layer with the library defaults (docs/models/rwkv.md): RWKV-7 heads of 64 ({@code h} must be a multiple
     * of 64), RWKV-6 4 heads with key width {@code h/2}.
     */
    public static RwkvSpec r1(Version version, int vocab, int labels, int modelDim, int numBlocks, double dropoutRate,
                              boolean useGlu, boolean bf16) {
        SequenceIo io = SequenceIo.tokens(vocab, labels);
        if (version == Version.RWKV7) {
            if (modelDim < RWKV7_HEAD_DIM || modelDim % RWKV7_HEAD_DIM != 0) {
                throw new InvalidOptionException("model_dim", modelDim, "fla's RWKV7Attention splits the width into heads"
                        + " of head_dim = " + RWKV7_HEAD_DIM + " (num_heads = model_dim // 64), so model_dim must be a"
                        + " positive multiple of 64");
            }
            return new RwkvSpec(io, version, modelDim, numBlocks, modelDim / RWKV7_HEAD_DIM, modelDim, modelDim,
                    RWKV7_DECAY_RANK, RWKV7_GATE_RANK, RWKV7_A_RANK, RWKV7_V_RANK, 0, useGlu, dropoutRate, bf16, Form.CHUNKED, CHUNK_SIZE);
        }
        int key = modelDim / 2; // int(hidden_size * expand_k), expand_k = 0.5
        if (key % RWKV6_HEADS != 0 || modelDim % RWKV6_HEADS != 0) {
            throw new InvalidOptionException("model_dim", modelDim, "fla's RWKV6Attention splits key width model_dim/2 = "
                    + key + " and value width " + modelDim + " into num_heads = " + RWKV6_HEADS
                    + " heads, so model_dim must be a multiple of 8");
        }
        return new RwkvSpec(io, version, modelDim, numBlocks, RWKV6_HEADS, key, modelDim, RWKV6_DECAY_RANK, 0, 0, 0,
                RWKV6_MIX_RANK, useGlu, dropoutRate, bf16, Form.CHUNKED, CHUNK_SIZE);
    }

    /** This spec with bfloat16 emulation {@code on}. */
    public RwkvSpec withBf16(boolean on) {
        return new RwkvSpec(io, version, modelDim, numBlocks, numHeads, keyDim, valueDim, decayRank, gateRank, aRank,
                vRank, mixRank, useGlu, dropoutRate, on, form, chunkSize);
    }

    /** This spec evaluated by {@code f} in recurrent mode. */
    public RwkvSpec withForm(Form f) {
        return new RwkvSpec(io, version, modelDim, numBlocks, numHeads, keyDim, valueDim, decayRank, gateRank, aRank,
                vRank, mixRank, useGlu, dropoutRate, bf16, f, chunkSize);
    }

    /** This spec with chunk length {@code c}. */
    public RwkvSpec withChunkSize(int c) {
        return new RwkvSpec(io, version, modelDim, numBlocks, numHeads, keyDim, valueDim, decayRank, gateRank, aRank,
                vRank, mixRank, useGlu, dropoutRate, bf16, form, c);
    }

    /** Key width per head {@code d_k}. */
    public int headKDim() {
        return keyDim / numHeads;
    }

    /** Value width per head {@code d_v}. */
    public int headVDim() {
        return valueDim / numHeads;
    }

    /** R1's {@code model_name}. */
    @Override
    public String family() {
        return version.modelName();
    }
}
