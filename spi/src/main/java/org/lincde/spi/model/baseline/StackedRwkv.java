package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.RwkvSpec;
import org.lincde.spi.TensorOps;

/**
 * R1's {@code StackedBlock} (R1 {@code models/fla.py}, docs/models/rwkv.md) around fla's RWKV-7 or RWKV-6 layer,
 * names as its state dict:
 * <pre>
 *   x = Embedding(tokens)                                  embedding.weight (embedding2.weight for token pairs)
 *   per block i:  (o, v_first) = Layer_i(x, v_first)       blocks.{i}.layer.*  ({@link Rwkv7Layer}, {@link Rwkv6Layer})
 *                 y = o + x
 *                 [y = y + GLU(Lin_{h→2h}(y))]             blocks.{i}.post_linear.*  (use_glu)
 *                 x = Drop(LN(y))                          blocks.{i}.norm.*
 *   out = Linear(x) per token                              linear.*
 * </pre>
 * Under the bfloat16 quirk the layer sees {@code x.bfloat16()} and its output is cast back ({@code out[0].float()});
 * the residual, GLU, LayerNorm and head stay in float32, as in R1.
 */
public final class StackedRwkv extends R1Graph<RwkvSpec> {
    private final List<Rwkv7Layer> rwkv7 = new ArrayList<>();
    private final List<Rwkv6Layer> rwkv6 = new ArrayList<>();

    /** The graph of {@code spec}. */
    public StackedRwkv(RwkvSpec spec) {
        super(spec, spec.io(), spec.modelDim());
        for (int i = 0; i < spec.numBlocks(); i++) {
            if (spec.version() == RwkvSpec.Version.RWKV7) {
                rwkv7.add(new Rwkv7Layer(spec, i));
            } else {
                rwkv6.add(new Rwkv6Layer(spec));
            }
        }
    }

    @Override
    void declare(List<ParameterShape> out) {
        int h = spec.modelDim();
        input.declare(out);
        for (int i = 0; i < spec.numBlocks(); i++) {
            if (spec.version() == RwkvSpec.Version.RWKV7) {
                rwkv7.get(i).declare(out, R1PostNormBlock.prefix(i) + "layer.");
            } else {
                rwkv6.get(i).declare(out, R1PostNormBlock.prefix(i) + "layer.");
            }
            R1PostNormBlock.declare(out, i, h, spec.useGlu());
        }
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        int h = spec.modelDim();
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < spec.numBlocks(); i++) {
            if (spec.version() == RwkvSpec.Version.RWKV7) {
                rwkv7.get(i).initialize(p, rng, R1PostNormBlock.prefix(i) + "layer.");
            } else {
                rwkv6.get(i).initialize(p, rng, R1PostNormBlock.prefix(i) + "layer.");
            }
            R1PostNormBlock.initialize(p, rng, i, h, spec.useGlu());
        }
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        T x = input.forward(ops, p, batch.inputs());
        T vFirst = null;
        boolean chunked = mode.evaluation() == ForwardMode.Evaluation.SCAN || spec.form() == RwkvSpec.Form.CHUNKED;
        for (int i = 0; i < spec.numBlocks(); i++) {
            ParameterLookup<T> bp = p.scoped(R1PostNormBlock.prefix(i));
            T o;
            if (spec.version() == RwkvSpec.Version.RWKV7) {
                Rwkv7Layer.Output<T> r = rwkv7.get(i).forward(ops, bp.scoped("layer."), x, vFirst, chunked);
                o = r.out();
                vFirst = r.vFirst();
            } else {
                // where the backend's fused recurrence splits the backward into phases, cut the graph at the block's
                // input (layer and residual), so that each phase walks one block once (the same values)
                java.util.Optional<org.lincde.spi.Wkv6Kernel<T>> fused = ops.fusedWkv6();
                if (fused.isPresent()) {
                    x = fused.get().blockInput(x);
                }
                o = rwkv6.get(i).forward(ops, bp.scoped("layer."), x, chunked);
            }
            x = R1PostNormBlock.close(ops, bp, o, x, i, spec.useGlu(), spec.dropoutRate(), mode);
        }
        return readout.forward(ops, p, x);
    }
}
