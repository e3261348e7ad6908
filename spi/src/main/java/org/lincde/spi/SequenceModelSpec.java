package org.lincde.spi;

/**
 * R2's {@code SequenceModel} wrapper (SPEC §2.8, {@code torch_sequence_models.py}), the model of the
 * A5 layers figure and the toy RMSE figure. Not to be confused with the backend-side
 * {@link SequenceModel}: this record is the spec of a graph.
 * <pre>
 *   x = InitLayer(input)                 (embedding, or Lin_{d→h})
 *   x = Drop_0.1(x + PE)                 (Transformer core only: sinusoidal positions)
 *   res = x
 *   per layer i:  x = Seq_i(x); x = Drop(x); x = Mix_i(x); x = Drop(x); x = x + res;
 *                 [x = LN_i(x)]; res = x
 *   out = Lin_{h→K}(x) per token, or Lin_{h→K}(mean_t x)
 * </pre>
 *
 * @param io          input and output kinds (A5: tokens per token; toy: channels, mean over time)
 * @param core        the sequence layer {@code Seq_i}
 * @param hiddenDim   width {@code h} ({@code hidden_dim})
 * @param stateDim    SSM state size {@code N} for S6/S4D; number of heads for the Transformer core;
 *                    unused by the RNN core ({@code state_dim})
 * @param depth       number of layers ({@code depth})
 * @param mix         the mixing stage after each layer
 * @param layerNorm   LayerNorm after each residual ({@code use_layernorm})
 * @param dropoutRate {@code dropout}
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public record SequenceModelSpec(SequenceIo io, Core core, int hiddenDim, int stateDim, int depth, Mix mix,
                                boolean layerNorm, double dropoutRate) implements SequenceIoSpec {

    /** R2's encoder-layer FFN width (the {@code nn.TransformerEncoderLayer} default). */
    public static final int TRANSFORMER_FFN_DIM = 2048;
    /** Dropout after the positional encoding (fixed in R2's {@code SinusoidalPositionalEncoding}). */
    public static final double POSITIONAL_DROPOUT = 0.1;

    /** The sequence layer {@code Seq_i}, with R2's {@code model_name}. */
    public enum Core {
        /** The selective SSM core (SPEC §2.2), R2's {@code MambaRecurrence}. */
        S6("mamba"),
        /** Diagonal complex time-invariant SSM (SPEC §2.4), R2's {@code S4Recurrence}. */
        S4D("s4"),
        /** Single-layer tanh RNN {@code h_t = tanh(W x_t + b + U h_{t−1} + c)}. */
        RNN("rnn"),
        /** Post-norm causal encoder layer (SPEC §2.7, FFN 2048 ReLU, dropout 0.1). */
        TRANSFORMER("transformer");

        private final String modelName;

        Core(String modelName) {
            this.modelName = modelName;
        }

        /** R2's {@code model_name}, lower case. */
        public String modelName() {
            return modelName;
        }
    }

    /**
     * The mixing stage {@code Mix_i} (R2 {@code activation} × {@code nonlinear}).
     */
    public enum Mix {
        /** {@code nonlinear=true, activation=GLU}: {@code Lin_{h→2h}} then GLU (first half ⊙ σ(second half)). */
        GLU,
        /** {@code nonlinear=true, activation=GELU}: {@code GELU(Lin_{h→h})}. */
        GELU,
        /** {@code nonlinear=false}: {@code Lin_{h→h}} alone. */
        LINEAR
    }

    /** Validates sizes and rates, naming the R2 config key. */
    public SequenceModelSpec {
        SpecChecks.present("io", io);
        SpecChecks.present("model_name", core);
        SpecChecks.present("activation", mix);
        io.checkWidth("hidden_dim", hiddenDim);
        SpecChecks.positive("state_dim", stateDim);
        SpecChecks.positive("depth", depth);
        SpecChecks.rate("dropout", dropoutRate);
        if (core == Core.TRANSFORMER && hiddenDim % stateDim != 0) {
            throw new InvalidOptionException("hidden_dim", hiddenDim, "must be a multiple of the head count "
                    + "state_dim = " + stateDim + " for the Transformer core");
        }
    }

    /** R2's A5 setting (SPEC §4.2): embedding of 60 tokens, hidden 1024, state 64, GLU, LayerNorm, dropout 0.1. */
    public static SequenceModelSpec a5(Core core, int depth) {
        return new SequenceModelSpec(SequenceIo.tokens(60, 60), core, 1024, 64, depth, Mix.GLU, true, 0.1);
    }

    /**
     * R2's toy setting (SPEC §4.2): {@code Lin_{d→256}}, state 256, GELU (nonlinear) or linear mixing, no
     * LayerNorm, no dropout, mean over time to one output.
     */
    public static SequenceModelSpec toy(Core core, int inputDim, int depth, boolean nonlinear) {
        return new SequenceModelSpec(SequenceIo.channels(inputDim, 1), core, 256, 256, depth,
                nonlinear ? Mix.GELU : Mix.LINEAR, false, 0.0);
    }

    @Override
    public String family() {
        return core.modelName();
    }
}
