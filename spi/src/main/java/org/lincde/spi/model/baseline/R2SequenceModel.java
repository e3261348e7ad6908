package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * R2's {@code SequenceModel} (SPEC §2.8, {@code torch_sequence_models.py}), names as its state dict:
 * <pre>
 *   x = InitLayer(input)                   init_layer.embedding.weight (tokens) or init_layer.* (channels)
 *   x = Drop_0.1(x + PE)                   Transformer core only (sinusoidal, no parameters)
 *   res = x; per layer i:
 *     x = Seq_i(x); x = Drop(x)            ssms.{i}.*  (S6: x_proj, dt_proj, A_log, D; S4D: log_dt, A_real_log,
 *                                          A_imag, B_re/B_im, C_re/C_im, D; RNN: rnn.*; Transformer: transformer_layer.*)
 *     x = act(Lin(x)); x = Drop(x)         linear_mixes.{i}.* (h→2h with GLU, else h→h; act GLU, GELU or none)
 *     x = x + res; [x = LN_i(x)]; res = x  layernorms.{i}.*
 *   out = Lin(x) per token or Lin(mean_t x)   linear_out.*
 * </pre>
 */
public final class R2SequenceModel extends BaselineGraph {
    private final SequenceModelSpec spec;
    private final InputLayer input;
    private final List<SequenceLayer> cores = new ArrayList<>();
    private final String coreScope;
    private final Readout readout;

    /** The graph of {@code spec}. */
    public R2SequenceModel(SequenceModelSpec spec) {
        this.spec = spec;
        int h = spec.hiddenDim();
        this.input = new InputLayer(spec.io(), h, "init_layer.embedding", "init_layer.embedding2", "init_layer");
        for (int i = 0; i < spec.depth(); i++) {
            cores.add(switch (spec.core()) {
                case S6 -> new S6Layer(h, spec.stateDim(), h);
                case S4D -> new S4dLayer(h, spec.stateDim());
                case RNN -> new TanhRnnLayer(h);
                case TRANSFORMER -> new PostNormEncoderLayer(h, spec.stateDim(), SequenceModelSpec.TRANSFORMER_FFN_DIM);
            });
        }
        this.coreScope = switch (spec.core()) {
            case RNN -> "rnn.";
            case TRANSFORMER -> "transformer_layer.";
            default -> "";
        };
        this.readout = new Readout(spec.io().output(), h, spec.io().outputDim(), "linear_out");
    }

    private String core(int i) {
        return "ssms." + i + "." + coreScope;
    }

    private int mixWidth() {
        return spec.mix() == SequenceModelSpec.Mix.GLU ? 2 * spec.hiddenDim() : spec.hiddenDim();
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    void declare(List<ParameterShape> out) {
        int h = spec.hiddenDim();
        input.declare(out);
        for (int i = 0; i < cores.size(); i++) {
            cores.get(i).declare(out, core(i));
        }
        for (int i = 0; i < cores.size(); i++) {
            Params.linear(out, "linear_mixes." + i, h, mixWidth(), true);
        }
        if (spec.layerNorm()) {
            for (int i = 0; i < cores.size(); i++) {
                Params.layerNorm(out, "layernorms." + i, h);
            }
        }
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        int h = spec.hiddenDim();
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < cores.size(); i++) {
            cores.get(i).initialize(p, rng, core(i));
        }
        for (int i = 0; i < cores.size(); i++) {
            Layers.initLinear(p, rng, "linear_mixes." + i, h, mixWidth(), true);
        }
        if (spec.layerNorm()) {
            for (int i = 0; i < cores.size(); i++) {
                Layers.initLayerNorm(p, "layernorms." + i, h);
            }
        }
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        int h = spec.hiddenDim();
        double rate = spec.dropoutRate();
        T x = input.forward(ops, p, batch.inputs());
        if (spec.core() == SequenceModelSpec.Core.TRANSFORMER) {
            int len = ops.shape(x)[1];
            x = ops.add(x, ops.constant(Attention.sinusoidal(len, h), len, h));
            x = Modes.dropout(ops, x, SequenceModelSpec.POSITIONAL_DROPOUT, mode, "positional");
        }
        T res = x;
        for (int i = 0; i < cores.size(); i++) {
            // the RNN core 0 of a token model from the embedding table's product (TanhRnnLayer#forwardFromTable)
            java.util.Optional<T> fromTable = i == 0 && cores.get(0) instanceof TanhRnnLayer rnn
                    && spec.io().input() == org.lincde.spi.SequenceIo.Input.TOKENS
                    && batch.inputs() instanceof Batch.TokenInputs tok && tok.perStep() == 1
                    ? rnn.forwardFromTable(ops, p.scoped(core(0)), p.get(input.embedding() + ".weight"), tok.ids(),
                            tok.batch(), tok.length())
                    : java.util.Optional.empty();
            x = fromTable.isPresent() ? fromTable.get()
                    : cores.get(i).forward(ops, p.scoped(core(i)), x, Modes.scoped(mode, "ssms", i));
            x = Modes.dropout(ops, x, rate, mode, "layers", i, "sequence");
            x = Layers.linear(ops, p, "linear_mixes." + i, x);
            x = switch (spec.mix()) {
                case GLU -> Activations.glu(ops, x);
                case GELU -> ops.gelu(x);
                case LINEAR -> x;
            };
            x = Modes.dropout(ops, x, rate, mode, "layers", i, "mix");
            x = ops.add(x, res);
            if (spec.layerNorm()) {
                x = ops.layerNorm(x, p.get("layernorms." + i + ".weight"), p.get("layernorms." + i + ".bias"), 1e-5);
            }
            res = x;
        }
        return readout.forward(ops, p, x);
    }
}
