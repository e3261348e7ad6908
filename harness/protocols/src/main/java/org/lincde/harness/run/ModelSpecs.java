package org.lincde.harness.run;

import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.RwkvSpec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.XlstmSpec;

/**
 * Maps an R1 config's {@code model_name} and sizes to a {@link ModelSpec}: {@code lcde} (the stacked
 * SLiCE, SPEC §1.2), and R1's baselines {@code lstm} (§2.1), {@code mamba} ({@code mamba_ssm.Mamba2} with the
 * library defaults, docs/models/mamba2.md), {@code transformer} / {@code transformer_causal} (§2.7, pre-norm with
 * rotary embeddings), the fla layers {@code rwkv7}, {@code rwkv6} (docs/models/rwkv.md) and the delta-rule layers
 * {@code deltanet}, {@code deltanet2}, {@code gateddeltanet}, {@code deltaproduct} ({@link DeltaNetSpecs}), and
 * {@code xlstm} (docs/models/xlstm.md). {@code mamba1} is the Mamba v1 block (§2.3) in R1's block, which stood in
 * for Mamba2 before Mamba2 existed here.
 *
 * <p>The other baselines of SPEC §2, which R1 does not run, are reachable under the same keys so
 * that {@code train}, {@code bench} and {@code reproduce} can compare them on R1's tasks: {@code rnn},
 * {@code s4} (S4D) and {@code s6} in R2's {@code SequenceModel} wrapper (§2.8: GLU mixing, LayerNorm,
 * per-token head, state size {@value #SSM_STATE}; R1 has no key for a state size). R3's LRU and S5 are
 * not offered: their BatchNorm normalises over batch and time, so a per-token prediction would see
 * later tokens (ModelSpecsTest shows it); they run in R3's UEA pipeline ({@code org.lincde.harness.uea.R3Baseline})
 * and {@code lincde bench --r3-model}, and the error for them here says so.
 */
public final class ModelSpecs {
    private ModelSpecs() {}

    /** The model names this factory understands. */
    public static final java.util.List<String> NAMES =
            java.util.List.of("lcde", "lstm", "mamba", "transformer", "transformer_causal", "rnn", "s4", "s6", "mamba1",
                    "rwkv7", "rwkv6", "xlstm", "deltanet", "deltanet2", "gateddeltanet", "deltaproduct");

    /** State size {@code N} of the {@code s4} and {@code s6} cores (Mamba's default {@code d_state}). */
    public static final int SSM_STATE = 16;

    /** The model of {@code c} for a task with {@code vocab} input tokens and {@code labels} classes. */
    public static ModelSpec fromR1(R1Config c, int vocab, int labels) {
        switch (c.modelName()) {
            case "lcde":
                return new LinearCdeSpec(vocab, labels, c.modelDim(), c.numBlocks(), c.structure(), c.useGlu(),
                        c.dropoutRate(), c.initStd(), c.secondEmbedding(), LinearCdeSpec.R1_DT,
                        LinearCdeSpec.R1_TANH_CLIP);
            case "lstm":
                // R1 models/lstm.py: nn.LSTM(..., dropout=dropout_rate) between layers
                return new LstmSpec(SequenceIo.tokens(vocab, labels), c.modelDim(), c.numBlocks(), c.dropoutRate());
            case "mamba": // R1 models/mamba.py: mamba_ssm.Mamba2(d_model=h)
                return checked(c, () -> Mamba2Spec.r1(vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate(),
                        c.useGlu()));
            case "mamba1": // the Mamba v1 block in R1's block
                return MambaSpec.r1(vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate(), c.useGlu());
            case "rwkv7":
            case "rwkv6": // R1 models/fla.py
                return checked(c, () -> RwkvSpec.r1(c.modelName().equals("rwkv7") ? RwkvSpec.Version.RWKV7
                        : RwkvSpec.Version.RWKV6, vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate(),
                        c.useGlu(), c.flaBf16()));
            case "transformer":
            case "transformer_causal": // R1 train.py's name; "transformer" kept as lincde's earlier spelling
                return TransformerSpec.r1(vocab, labels, c.modelDim(), c.numBlocks(), c.dropoutRate());
            case "xlstm":
                return xlstm(c, vocab, labels);
            case "rnn":
                return wrapped(SequenceModelSpec.Core.RNN, c, vocab, labels);
            case "s4":
                return wrapped(SequenceModelSpec.Core.S4D, c, vocab, labels);
            case "s6":
                return wrapped(SequenceModelSpec.Core.S6, c, vocab, labels);
            case "lru":
            case "s5":
                throw new ConfigException(c.source() + ": key 'model_name' = \"" + c.modelName()
                        + "\" is R3's UEA classifier and is not offered for R1's per-token tasks: its BatchNorm "
                        + "normalises over time, so a prediction would see later tokens. It runs in the UEA "
                        + "artifacts (uea-mini, slice-uea) and in 'lincde bench --r3-model " + c.modelName()
                        + "' (supported here: " + NAMES + ")");
            case "deltanet":
            case "deltanet2":
            case "gateddeltanet":
            case "deltaproduct":
                return DeltaNetSpecs.fromR1(c, vocab, labels);
            default:
                throw new UnknownModelException(c.source() + ": key 'model_name' = \"" + c.modelName()
                        + "\" is not supported (supported: " + NAMES + ")");
        }
    }

    /** {@code spec.get()}, with a rejected size reported as one config error naming the file and key. */
    private static ModelSpec checked(R1Config c, java.util.function.Supplier<ModelSpec> spec) {
        try {
            return spec.get();
        } catch (org.lincde.spi.InvalidOptionException e) {
            throw new ConfigException(c.source() + ": key '" + e.option() + "' = " + e.value() + " with model_name \""
                    + c.modelName() + "\": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
    }

    /**
     * R1's xLSTM (docs/models/xlstm.md): {@code slstm_at} places the sLSTM blocks ({@code []} mLSTM, every block
     * sLSTM, alternate xLSTM[1:1]). The mLSTM's {@code context_length} is R1's training pad length (the A5 length;
     * 256 for the formal languages, or lincde's {@code train_padding}), raised to the longest validation sequence
     * when lincde's {@code validation_lengths} go beyond it: the library fails on longer sequences and the value
     * has no other effect.
     */
    private static ModelSpec xlstm(R1Config c, int vocab, int labels) {
        int context = c.isA5() ? c.length() : c.trainPadding().orElse(256);
        if (!c.isA5()) {
            // formal-language validation batches are padded to 256 whatever the lengths (SPEC §3.2)
            context = Math.max(context, Math.max(256, Math.max(c.validationLengths()[1], c.trainLengths()[1])));
        }
        SequenceIo io = c.secondEmbedding()
                ? new SequenceIo(SequenceIo.Input.TOKEN_PAIRS, vocab, SequenceIo.Output.PER_TOKEN, labels)
                : SequenceIo.tokens(vocab, labels);
        try {
            return XlstmSpec.r1(io, c.modelDim(), c.numBlocks(), c.slstmAt(), context, c.dropoutRate());
        } catch (InvalidOptionException e) {
            throw new ConfigException(c.source() + ": key '" + e.option() + "' = " + e.value() + " (model_name "
                    + "\"xlstm\"): " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
        }
    }

    /**
     * Whether {@code modelName} names a model this factory builds (asked by artifacts, so a row whose model is
     * not built yet shows "not reproduced" and trains as soon as the name is known).
     */
    public static boolean isKnown(String modelName) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("task", "parity");
        m.put("model_name", modelName);
        m.put("num_blocks", 1);
        m.put("model_dim", 128);
        m.put("batch_size", 1);
        m.put("num_steps", 1);
        m.put("print_steps", 1);
        m.put("learning_rate", 1e-3);
        m.put("rank", 1);
        try {
            fromR1(R1Config.fromMap("ModelSpecs.isKnown", m), 4, 2);
            return true;
        } catch (UnknownModelException e) {
            return false;
        } catch (RuntimeException e) {
            return true; // known, but these probe sizes do not suit it
        }
    }

    /** {@code model_name} names no model of this factory. */
    public static final class UnknownModelException extends ConfigException {
        private static final long serialVersionUID = 1L;

        UnknownModelException(String message) {
            super(message);
        }
    }

    private static ModelSpec wrapped(SequenceModelSpec.Core core, R1Config c, int vocab, int labels) {
        return new SequenceModelSpec(SequenceIo.tokens(vocab, labels), core, c.modelDim(), SSM_STATE, c.numBlocks(),
                SequenceModelSpec.Mix.GLU, true, c.dropoutRate());
    }
}
