package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.TensorOps;

/**
 * R1's LSTM model (SPEC §2.1, {@code models/lstm.py}), names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                      embedding.weight (embedding2.weight for token pairs;
 *                                              encoder.* for real channels, which R1 does not use)
 *   x = LSTM_k(x), Dropout between layers      lstm.weight_ih_l{k}, lstm.weight_hh_l{k}, lstm.bias_ih_l{k}, lstm.bias_hh_l{k}
 *   out = Linear(x) per token (or of the mean) linear.*
 * </pre>
 */
public final class StackedLstm extends R1Graph<LstmSpec> {
    private final List<LstmLayer> layers = new ArrayList<>();

    /** The graph of {@code spec}. */
    public StackedLstm(LstmSpec spec) {
        super(spec, spec.io(), spec.modelDim());
        int h = spec.modelDim();
        for (int k = 0; k < spec.numBlocks(); k++) {
            layers.add(new LstmLayer(h, h, k));
        }
    }

    @Override
    void declare(List<ParameterShape> out) {
        input.declare(out);
        for (LstmLayer l : layers) {
            l.declare(out, "lstm.");
        }
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (LstmLayer l : layers) {
            l.initialize(p, rng, "lstm.");
        }
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        ParameterLookup<T> lp = p.scoped("lstm.");
        // the first layer of a token model from the embedding table's product (LstmLayer#forwardFromTable)
        Optional<T> first = Optional.empty();
        if (spec.io().input() == SequenceIo.Input.TOKENS && batch.inputs() instanceof Batch.TokenInputs tok
                && tok.perStep() == 1) {
            first = layers.get(0).forwardFromTable(ops, lp, p.get(input.embedding() + ".weight"), tok.ids(),
                    tok.batch(), tok.length());
        }
        T x = first.isPresent() ? first.get() : input.forward(ops, p, batch.inputs());
        for (int k = 0; k < layers.size(); k++) {
            if (k > 0 || first.isEmpty()) {
                x = layers.get(k).forward(ops, lp, x, mode);
            }
            if (k < layers.size() - 1) { // nn.LSTM: dropout on every layer's output but the last
                x = Modes.dropout(ops, x, spec.dropoutRate(), mode, "lstm", k);
            }
        }
        return readout.forward(ops, p, x);
    }
}
