package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.MambaSpec;

/**
 * R1's {@code StackedMamba} (SPEC §2.11, {@code models/mamba.py}) for {@link MambaSpec.Template#R1_POSTNORM},
 * names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                               embedding.weight
 *   per block i:  y = Mamba(x) + x                      blocks.{i}.mamba.* ({@link MambaV1Layer} or {@link S6Layer})
 *                 [y = y + GLU(Lin_{h→2h}(y))]          blocks.{i}.post_linear.*  (use_glu)
 *                 x = Drop(LN(y))                       blocks.{i}.norm.*
 *   out = Linear(x) per token                           linear.*
 * </pre>
 * R1 runs {@code Mamba2(d_model=h)}; this graph substitutes the Mamba v1 block (SPEC §2.3 allows it):
 * no per-head scalar decay, head dimension or gated RMSNorm, and the spec's {@code d_state/d_conv/expand}.
 */
public final class StackedMamba extends R1LayerStack {
    /** The graph of {@code spec}, whose template must be {@link MambaSpec.Template#R1_POSTNORM}. */
    public StackedMamba(MambaSpec spec) {
        super(spec, spec.io(), spec.modelDim(), spec.useGlu(), spec.dropoutRate(), layers(spec), "mamba.");
    }

    private static List<SequenceLayer> layers(MambaSpec spec) {
        if (spec.template() != MambaSpec.Template.R1_POSTNORM) {
            throw new IllegalArgumentException("StackedMamba realises R1's post-norm template, got " + spec.template());
        }
        List<SequenceLayer> out = new ArrayList<>();
        for (int i = 0; i < spec.numBlocks(); i++) {
            out.add(R3SsmModel.mambaCore(spec));
        }
        return out;
    }
}
