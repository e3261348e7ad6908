package org.lincde.spi.model.baseline;

import org.lincde.spi.DeltaNetSpec;

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
public final class StackedDeltaNet extends R1LayerStack {
    /** The graph of {@code spec}. */
    public StackedDeltaNet(DeltaNetSpec spec) {
        super(spec, spec.io(), spec.modelDim(), spec.useGlu(), spec.dropoutRate(),
                java.util.Collections.nCopies(spec.numBlocks(), new DeltaNetLayer(spec)), "layer.");
    }
}
