package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Mamba2Spec;

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
public final class StackedMamba2 extends R1LayerStack {
    /** The graph of {@code spec}. */
    public StackedMamba2(Mamba2Spec spec) {
        super(spec, spec.io(), spec.modelDim(), spec.useGlu(), spec.dropoutRate(), layers(spec), "mamba.");
    }

    private static List<Mamba2Layer> layers(Mamba2Spec spec) {
        List<Mamba2Layer> out = new ArrayList<>();
        for (int i = 0; i < spec.numBlocks(); i++) {
            out.add(new Mamba2Layer(spec));
        }
        return out;
    }
}
