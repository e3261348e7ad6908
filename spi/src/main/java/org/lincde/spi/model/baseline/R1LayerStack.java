package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.TensorOps;

/**
 * R1's stack of {@code StackedBlock}s around one kind of sequence layer (R1 {@code models/mamba.py},
 * {@code models/fla.py}), names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                               embedding.weight (embedding2.weight for token pairs)
 *   per block i:  x = {@link R1PostNormBlock}(layer_i(x), x)   blocks.{i}.{layerName}*, blocks.{i}.norm.*, post_linear.*
 *   out = Linear(x) per token                           linear.*
 * </pre>
 * The Mamba, Mamba2 and DeltaNet stacks differ only in their layers and the layers' state-dict name.
 */
abstract class R1LayerStack extends R1Graph<ModelSpec> {
    private final int width;
    private final boolean glu;
    private final double dropout;
    private final String layerName;
    private final List<? extends SequenceLayer> layers;

    /**
     * @param layers    block i's layer (the same instance may serve several blocks: parameters are by name)
     * @param layerName the layer's state-dict scope inside a block, e.g. {@code "mamba."}
     */
    R1LayerStack(ModelSpec spec, SequenceIo io, int width, boolean glu, double dropout,
                 List<? extends SequenceLayer> layers, String layerName) {
        super(spec, io, width);
        this.width = width;
        this.glu = glu;
        this.dropout = dropout;
        this.layerName = layerName;
        this.layers = List.copyOf(layers);
    }

    @Override
    final void declare(List<ParameterShape> out) {
        input.declare(out);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).declare(out, R1PostNormBlock.prefix(i) + layerName);
            R1PostNormBlock.declare(out, i, width, glu);
        }
        readout.declare(out);
    }

    @Override
    public final ParameterSet initialize(Rng rng) {
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).initialize(p, rng, R1PostNormBlock.prefix(i) + layerName);
            R1PostNormBlock.initialize(p, rng, i, width, glu);
        }
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public final <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        T x = input.forward(ops, p, batch.inputs());
        for (int i = 0; i < layers.size(); i++) {
            ParameterLookup<T> bp = p.scoped(R1PostNormBlock.prefix(i));
            T o = layers.get(i).forward(ops, bp.scoped(layerName), x, mode);
            x = R1PostNormBlock.close(ops, bp, o, x, i, glu, dropout, mode);
        }
        return readout.forward(ops, p, x);
    }
}
