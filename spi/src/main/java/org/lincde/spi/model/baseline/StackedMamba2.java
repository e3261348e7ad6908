package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * R1's {@code StackedMamba} (R1 {@code models/mamba.py}, docs/models/mamba2.md) with its {@code Mamba2(d_model=h)}
 * layer, names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                               embedding.weight (embedding2.weight for token pairs)
 *   per block i:  y = Mamba2(x) + x                     blocks.{i}.mamba.*  ({@link Mamba2Layer})
 *                 [y = y + GLU(Lin_{h→2h}(y))]          blocks.{i}.post_linear.*  (use_glu)
 *                 x = Drop(LN(y))                       blocks.{i}.norm.*
 *   out = Linear(x) per token                           linear.*
 * </pre>
 */
public final class StackedMamba2 extends BaselineGraph {
    private final Mamba2Spec spec;
    private final InputLayer input;
    private final List<Mamba2Layer> layers = new ArrayList<>();
    private final Readout readout;

    /** The graph of {@code spec}. */
    public StackedMamba2(Mamba2Spec spec) {
        this.spec = spec;
        int h = spec.modelDim();
        this.input = new InputLayer(spec.io(), h, "embedding", "embedding2", "encoder");
        for (int i = 0; i < spec.numBlocks(); i++) {
            layers.add(new Mamba2Layer(spec));
        }
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
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).declare(out, block(i) + "mamba.");
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
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).initialize(p, rng, block(i) + "mamba.");
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
        for (int i = 0; i < layers.size(); i++) {
            ParameterLookup<T> bp = p.scoped(block(i));
            T y = ops.add(layers.get(i).forward(ops, bp.scoped("mamba."), x, mode), x);
            if (spec.useGlu()) {
                y = ops.add(y, Activations.glu(ops, Layers.linear(ops, bp, "post_linear", y)));
            }
            y = ops.layerNorm(y, bp.get("norm.weight"), bp.get("norm.bias"), 1e-5);
            x = Modes.dropout(ops, y, spec.dropoutRate(), mode, "blocks", i);
        }
        return readout.forward(ops, p, x);
    }
}
