package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.model.Layers;

/**
 * R1's {@code CausalTransformer} (SPEC §2.7), names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                        embedding.weight (embedding2.weight for token pairs)
 *   x = PreNormDecoderLayer_i(x)                 decoder_layers.{i}.* ({@link PreNormDecoderLayer})
 *   out = Linear(LN(x)) per token                final_layer_norm.*, linear.*
 * </pre>
 * R1 also accepts a key-padding mask; with the causal mask it changes nothing at real (unpadded) positions,
 * which are the only ones scored, so lincde omits it. Learned absolute positions ({@code use_rope=false})
 * are not offered.
 */
public final class CausalTransformer extends R1Graph<TransformerSpec> {
    private final List<PreNormDecoderLayer> layers = new ArrayList<>();

    /** The graph of {@code spec}. */
    public CausalTransformer(TransformerSpec spec) {
        super(spec, spec.io(), spec.modelDim());
        int h = spec.modelDim();
        for (int i = 0; i < spec.numBlocks(); i++) {
            layers.add(new PreNormDecoderLayer(h, spec.numHeads(), spec.ffnDim(), spec.dropoutRate()));
        }
    }

    private static String layer(int i) {
        return "decoder_layers." + i + ".";
    }

    @Override
    void declare(List<ParameterShape> out) {
        input.declare(out);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).declare(out, layer(i));
        }
        Params.layerNorm(out, "final_layer_norm", spec.modelDim());
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).initialize(p, rng, layer(i));
        }
        Layers.initLayerNorm(p, "final_layer_norm", spec.modelDim());
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        T x = input.forward(ops, p, batch.inputs());
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(ops, p.scoped(layer(i)), x, Modes.scoped(mode, "decoder_layers", i));
        }
        x = ops.layerNorm(x, p.get("final_layer_norm.weight"), p.get("final_layer_norm.bias"), 1e-5);
        return readout.forward(ops, p, x);
    }
}
