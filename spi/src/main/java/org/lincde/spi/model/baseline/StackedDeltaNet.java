package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * R1's {@code StackedBlock} of {@code models/fla.py} and {@code models/deltanet2.py} around a {@link DeltaNetLayer}
 * (docs/models/deltanet.md §1), names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                                 embedding.weight (embedding2.weight: token pairs)
 *   per block i:  y = Layer(x) + x                        blocks.{i}.layer.*
 *                 [y = y + GLU(Lin_{h→2h}(y))]            blocks.{i}.post_linear.*  (use_glu)
 *                 x = Drop(LN(y))                         blocks.{i}.norm.*
 *   out = Linear(x) per token                             linear.*
 * </pre>
 * Only the layer runs in bfloat16 in R1 ({@code .bfloat16()} on the layer, {@code out[0].float()} after it); the
 * residual, GLU, LayerNorm and head are float32, here in the session's precision.
 */
public final class StackedDeltaNet extends BaselineGraph {
    private final DeltaNetSpec spec;
    private final InputLayer input;
    private final DeltaNetLayer layer;
    private final Readout readout;

    /** The graph of {@code spec}. */
    public StackedDeltaNet(DeltaNetSpec spec) {
        this.spec = spec;
        int h = spec.modelDim();
        this.input = new InputLayer(spec.io(), h, "embedding", "embedding2", "encoder");
        this.layer = new DeltaNetLayer(spec);
        this.readout = new Readout(spec.io().output(), h, spec.io().outputDim(), "linear");
    }

    private static String block(int i) {
        return "blocks." + i + ".";
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    void declare(List<ParameterShape> out) {
        int h = spec.modelDim();
        input.declare(out);
        for (int i = 0; i < spec.numBlocks(); i++) {
            layer.declare(out, block(i) + "layer.");
            Params.layerNorm(out, block(i) + "norm", h);
            if (spec.useGlu()) {
                Params.linear(out, block(i) + "post_linear", h, 2 * h, true);
            }
        }
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        int h = spec.modelDim();
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < spec.numBlocks(); i++) {
            layer.initialize(p, rng, block(i) + "layer.");
            Layers.initLayerNorm(p, block(i) + "norm", h);
            if (spec.useGlu()) {
                Layers.initLinear(p, rng, block(i) + "post_linear", h, 2 * h, true);
            }
        }
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        T x = input.forward(ops, p, batch.inputs());
        for (int i = 0; i < spec.numBlocks(); i++) {
            ParameterLookup<T> bp = p.scoped(block(i));
            T y = ops.add(layer.forward(ops, bp.scoped("layer."), x, mode), x);
            if (spec.useGlu()) {
                y = ops.add(y, Activations.glu(ops, Layers.linear(ops, bp, "post_linear", y)));
            }
            y = ops.layerNorm(y, bp.get("norm.weight"), bp.get("norm.bias"), 1e-5);
            x = Modes.dropout(ops, y, spec.dropoutRate(), mode, "blocks", i);
        }
        return readout.forward(ops, p, x);
    }
}
