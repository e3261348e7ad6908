package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
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
        T x = input.forward(ops, p, batch.inputs());
        ParameterLookup<T> lp = p.scoped("lstm.");
        for (int k = 0; k < layers.size(); k++) {
            x = layers.get(k).forward(ops, lp, x, mode);
            if (k < layers.size() - 1) { // nn.LSTM: dropout on every layer's output but the last
                x = Modes.dropout(ops, x, spec.dropoutRate(), mode, "lstm", k);
            }
        }
        return readout.forward(ops, p, x);
    }
}
