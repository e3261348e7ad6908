package org.lincde.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * R1's xLSTM baseline ({@code models/xlstm.py}, docs/models/xlstm.md): embedding, NX-AI's {@code xLSTMBlockStack}
 * of pre-LayerNorm residual blocks (an mLSTM block, or an sLSTM block followed by a gated feed-forward block) at
 * the positions {@code slstmAt}, the stack's post-blocks LayerNorm, then {@code Lin_{h→K}} per token.
 * {@code slstm_at = []} is "mLSTM", every block "sLSTM", alternate blocks "xLSTM[1:1]".
 *
 * @param io            input and output kinds (R1: tokens, per token)
 * @param modelDim      width {@code D} ({@code model_dim}, the stack's {@code embedding_dim})
 * @param numBlocks     blocks ({@code num_blocks})
 * @param slstmAt       0-based positions of the sLSTM blocks, sorted, each in {@code [0, numBlocks)}
 * @param contextLength the mLSTM's {@code context_length}: the longest sequence it accepts (R1: the training
 *                      pad length)
 * @param dropoutRate   the stack's {@code dropout} (R1's {@code dropout_rate}): after the mLSTM's down-projection
 *                      and on the sLSTM's hidden states before its group norm
 * @param mlstm         the mLSTM layer's settings (R1: {@link Mlstm#r1()})
 * @param slstm         the sLSTM layer's settings (R1: {@link Slstm#r1()})
 * @param feedForward   the feed-forward of the sLSTM blocks (R1: {@link FeedForward#r1()})
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record XlstmSpec(SequenceIo io, int modelDim, int numBlocks, List<Integer> slstmAt, int contextLength,
                        double dropoutRate, Mlstm mlstm, Slstm slstm, FeedForward feedForward)
        implements SequenceIoSpec {

    /** How the mLSTM cell is evaluated; both give the same outputs (docs/models/xlstm.md §3). */
    public enum Form {
        /** The stabilised parallel form the library trains with ({@code parallel_stabilized_simple}). */
        PARALLEL,
        /** The token-by-token recurrence (the library's {@code recurrent_step_stabilized_simple}, m₀ = −∞). */
        RECURRENT
    }

    /**
     * {@code mLSTMLayerConfig}: {@code num_heads} cell heads, a causal depth-wise conv of {@code conv1d_kernel_size},
     * q/k/v projections block-diagonal in blocks of {@code qkv_proj_blocksize}, inner width
     * {@code ⌈projFactor·D / roundTo⌉·roundTo}.
     *
     * @param numHeads     {@code num_heads} (R1: 4)
     * @param convKernel   {@code conv1d_kernel_size} (R1: 4)
     * @param qkvBlocksize {@code qkv_proj_blocksize} (R1: 4)
     * @param projFactor   {@code proj_factor} (library default 2.0)
     * @param roundTo      {@code round_proj_up_to_multiple_of} (library default 64)
     * @param form         which evaluation of the cell a forward pass uses
     */
    public record Mlstm(int numHeads, int convKernel, int qkvBlocksize, double projFactor, int roundTo, Form form) {
        /** Validates sizes, naming the library's keys. */
        public Mlstm {
            SpecChecks.positive("mlstm num_heads", numHeads);
            SpecChecks.positive("mlstm conv1d_kernel_size", convKernel);
            SpecChecks.positive("qkv_proj_blocksize", qkvBlocksize);
            SpecChecks.positive("round_proj_up_to_multiple_of", roundTo);
            SpecChecks.present("form", form);
            if (!(projFactor > 0) || Double.isInfinite(projFactor)) {
                throw new InvalidOptionException("mlstm proj_factor", projFactor, "must be > 0");
            }
        }

        /** R1's {@code mLSTMLayerConfig(conv1d_kernel_size=4, qkv_proj_blocksize=4, num_heads=4)}, library defaults else. */
        public static Mlstm r1() {
            return new Mlstm(4, 4, 4, 2.0, 64, Form.PARALLEL);
        }

        /** This with another form. */
        public Mlstm withForm(Form f) {
            return new Mlstm(numHeads, convKernel, qkvBlocksize, projFactor, roundTo, f);
        }

        /** The inner width {@code ⌈projFactor·D / roundTo⌉·roundTo} ({@code UpProjConfigMixin._set_proj_up_dim}). */
        public int innerDim(int modelDim) {
            return roundedUp(projFactor, modelDim, roundTo);
        }
    }

    /**
     * {@code sLSTMLayerConfig}: {@code num_heads} heads of {@code D/num_heads} units with block-diagonal gate
     * projections and recurrent matrix, a causal conv feeding the input and forget gates, and the
     * {@code powerlaw_blockdependent} forget-gate bias.
     *
     * @param numHeads   {@code num_heads} (R1: 4)
     * @param convKernel {@code conv1d_kernel_size} (R1: 4; 0 = no convolution)
     * @param bf16       emulate the CUDA kernel's bfloat16 ([QUIRK], docs/models/xlstm.md §4.5: R1's
     *                   {@code backend="cuda"} keeps {@code dtype="bfloat16"}): round to bfloat16 where the kernel
     *                   casts (gate inputs, recurrent kernel, {@code R y}, the stored states); false (default): the
     *                   backend's precision throughout
     */
    public record Slstm(int numHeads, int convKernel, boolean bf16) {
        /** Without the bfloat16 emulation. */
        public Slstm(int numHeads, int convKernel) {
            this(numHeads, convKernel, false);
        }

        /** Validates sizes, naming the library's keys. */
        public Slstm {
            SpecChecks.positive("slstm num_heads", numHeads);
            if (convKernel < 0) {
                throw new InvalidOptionException("slstm conv1d_kernel_size", convKernel, "must be >= 0");
            }
        }

        /** R1's {@code sLSTMLayerConfig(num_heads=4, conv1d_kernel_size=4, bias_init="powerlaw_blockdependent")}. */
        public static Slstm r1() {
            return new Slstm(4, 4);
        }
    }

    /**
     * {@code FeedForwardConfig} of the sLSTM blocks: {@code GatedFeedForward} with GELU and inner width
     * {@code ⌈projFactor·D / roundTo⌉·roundTo}.
     *
     * @param projFactor {@code proj_factor} (R1: 1.3)
     * @param roundTo    {@code round_proj_up_to_multiple_of} (library default 64)
     */
    public record FeedForward(double projFactor, int roundTo) {
        /** Validates sizes. */
        public FeedForward {
            SpecChecks.positive("feedforward round_proj_up_to_multiple_of", roundTo);
            if (!(projFactor > 0) || Double.isInfinite(projFactor)) {
                throw new InvalidOptionException("feedforward proj_factor", projFactor, "must be > 0");
            }
        }

        /** R1's {@code FeedForwardConfig(proj_factor=1.3, act_fn="gelu")}. */
        public static FeedForward r1() {
            return new FeedForward(1.3, 64);
        }

        /** The inner width {@code ⌈projFactor·D / roundTo⌉·roundTo}. */
        public int innerDim(int modelDim) {
            return roundedUp(projFactor, modelDim, roundTo);
        }
    }

    /** Validates sizes and positions, naming the config key. */
    public XlstmSpec {
        SpecChecks.present("io", io);
        SpecChecks.present("mlstm", mlstm);
        SpecChecks.present("slstm", slstm);
        SpecChecks.present("feedforward", feedForward);
        io.checkWidth("model_dim", modelDim);
        SpecChecks.positive("num_blocks", numBlocks);
        SpecChecks.positive("context_length", contextLength);
        SpecChecks.rate("dropout_rate", dropoutRate);
        SpecChecks.present("slstm_at", slstmAt);
        TreeSet<Integer> at = new TreeSet<>();
        for (Integer i : slstmAt) {
            if (i == null || i < 0 || i >= numBlocks) {
                throw new InvalidOptionException("slstm_at", slstmAt, "position " + i + " is outside the "
                        + numBlocks + " blocks (num_blocks): positions count from 0");
            }
            at.add(i);
        }
        slstmAt = List.copyOf(at);
        if (!slstmAt.isEmpty()) {
            if (modelDim % slstm.numHeads() != 0) {
                throw new InvalidOptionException("model_dim", modelDim, "the sLSTM splits the width into "
                        + slstm.numHeads() + " heads (num_heads), so with slstm_at = " + slstmAt
                        + " model_dim must be a multiple of " + slstm.numHeads());
            }
            if (modelDim / slstm.numHeads() < 2) {
                throw new InvalidOptionException("model_dim", modelDim, "the sLSTM's powerlaw forget-gate bias "
                        + "divides by head_dim − 1, so each of its " + slstm.numHeads() + " heads needs >= 2 units");
            }
        }
        if (slstmAt.size() < numBlocks) {
            int inner = mlstm.innerDim(modelDim);
            if (inner % mlstm.qkvBlocksize() != 0) {
                throw new InvalidOptionException("qkv_proj_blocksize", mlstm.qkvBlocksize(), "must divide the mLSTM's "
                        + "inner width " + inner);
            }
            if (inner % mlstm.numHeads() != 0) {
                throw new InvalidOptionException("mlstm num_heads", mlstm.numHeads(), "must divide the mLSTM's inner "
                        + "width " + inner);
            }
        }
    }

    /**
     * R1's {@code xLSTM(num_blocks, data_dim, model_dim, label_dim, dropout_rate, context_length, slstm_at)} with the
     * block configuration of {@code models/xlstm.py}.
     *
     * @param slstmAt positions as R1's config gives them: Python list indices, so {@code −1} is the last block
     */
    public static XlstmSpec r1(SequenceIo io, int modelDim, int numBlocks, List<Integer> slstmAt, int contextLength,
                               double dropoutRate) {
        return new XlstmSpec(io, modelDim, numBlocks, pythonIndices(slstmAt, numBlocks), contextLength, dropoutRate,
                Mlstm.r1(), Slstm.r1(), FeedForward.r1());
    }

    /**
     * {@code slstm_at} resolved as the library does ({@code block_map[idx] = 1} on a Python list): an index
     * {@code −n ≤ i < 0} counts from the end; anything else outside {@code [0, n)} is an error naming the key.
     */
    public static List<Integer> pythonIndices(List<Integer> slstmAt, int numBlocks) {
        SpecChecks.present("slstm_at", slstmAt);
        List<Integer> out = new ArrayList<>();
        for (Integer i : slstmAt) {
            if (i == null || i >= numBlocks || i < -numBlocks) {
                throw new InvalidOptionException("slstm_at", slstmAt, "position " + i + " is outside the " + numBlocks
                        + " blocks (num_blocks): positions count from 0 (negative ones from the end, as in Python)");
            }
            out.add(i < 0 ? i + numBlocks : i);
        }
        return out;
    }

    /** This spec with the mLSTM evaluated by {@code f}. */
    public XlstmSpec withForm(Form f) {
        return new XlstmSpec(io, modelDim, numBlocks, slstmAt, contextLength, dropoutRate, mlstm.withForm(f), slstm,
                feedForward);
    }

    /** This spec with the sLSTM's bfloat16 emulation on or off. */
    public XlstmSpec withSlstmBf16(boolean on) {
        return new XlstmSpec(io, modelDim, numBlocks, slstmAt, contextLength, dropoutRate, mlstm,
                new Slstm(slstm.numHeads(), slstm.convKernel(), on), feedForward);
    }

    /** Whether block {@code i} is an sLSTM block. */
    public boolean isSlstm(int i) {
        return slstmAt.contains(i);
    }

    /** The paper's name of this block pattern: mLSTM, sLSTM, xLSTM[1:1] (alternating) or xLSTM with positions. */
    public String variantName() {
        if (slstmAt.isEmpty()) {
            return "mLSTM";
        }
        if (slstmAt.size() == numBlocks) {
            return "sLSTM";
        }
        boolean alternating = true;
        for (int i = 1; i < numBlocks; i++) {
            alternating &= isSlstm(i) != isSlstm(i - 1);
        }
        return alternating ? "xLSTM[1:1]" : "xLSTM" + slstmAt;
    }

    static int roundedUp(double factor, int dim, int multiple) {
        // UpProjConfigMixin: math.ceil(proj_factor * embedding_dim / multiple) * multiple, in float64 as Python does
        return (int) (Math.ceil(factor * dim / multiple) * multiple);
    }

    /** R1's {@code model_name}. */
    @Override
    public String family() {
        return "xlstm";
    }
}
