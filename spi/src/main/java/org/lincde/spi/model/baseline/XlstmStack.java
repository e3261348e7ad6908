package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.model.Layers;

/**
 * R1's {@code xLSTM} model ({@code models/xlstm.py}) around NX-AI's {@code xLSTMBlockStack} (docs/models/xlstm.md
 * §1, {@code xlstm_block_stack.py}, {@code blocks/xlstm_block.py}, {@code components/feedforward.py}), names as its
 * state dict:
 * <pre>
 *   x = Embedding(tokens)                                 embedding.weight
 *   per block i:  x = x + mLSTM(LN(x))                    xlstm.blocks.{i}.xlstm_norm.weight, .xlstm.*  ({@link MlstmLayer})
 *           or    x = x + sLSTM(LN(x))                    same names ({@link SlstmLayer}), when i ∈ slstm_at
 *                 x = x + FFN(LN(x))                      .ffn_norm.weight, .ffn.proj_up/proj_down.weight
 *   x = LN(x)                                             xlstm.post_blocks_norm.weight
 *   out = Linear(x) per token                             linear.*
 * </pre>
 * Every LN is {@code components/ln.py LayerNorm}: gain {@code 1 + w} with {@code w} initialised to 0, no bias,
 * eps 1e-5. The FFN (sLSTM blocks only) is {@code GatedFeedForward}: {@code W_down(GELU(g) ⊙ u)} with
 * {@code [g; u] = W_up x}, width {@code ⌈1.3·D/64⌉·64}, no bias, {@code small_init}/{@code wang_init}, and no
 * dropout (the stack does not pass its dropout to the feed-forward).
 */
public final class XlstmStack extends R1Graph<XlstmSpec> {
    private final Object[] layers;

    /** The graph of {@code spec}. */
    public XlstmStack(XlstmSpec spec) {
        super(spec, spec.io(), spec.modelDim());
        int d = spec.modelDim();
        this.layers = new Object[spec.numBlocks()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = spec.isSlstm(i) ? new SlstmLayer(d, spec.slstm(), i, spec.numBlocks())
                    : new MlstmLayer(d, spec.mlstm(), spec.numBlocks());
        }
    }

    private static String block(int i) {
        return "xlstm.blocks." + i + ".";
    }

    private int ffnDim() {
        return spec.feedForward().innerDim(spec.modelDim());
    }

    @Override
    void declare(List<ParameterShape> out) {
        int d = spec.modelDim();
        input.declare(out);
        for (int i = 0; i < layers.length; i++) {
            Params.add(out, block(i) + "xlstm_norm.weight", d);
            if (layers[i] instanceof SlstmLayer s) {
                s.declare(out, block(i) + "xlstm.");
                Params.add(out, block(i) + "ffn_norm.weight", d);
                Params.linear(out, block(i) + "ffn.proj_up", d, 2 * ffnDim(), false);
                Params.linear(out, block(i) + "ffn.proj_down", ffnDim(), d, false);
            } else {
                ((MlstmLayer) layers[i]).declare(out, block(i) + "xlstm.");
            }
        }
        Params.add(out, "xlstm.post_blocks_norm.weight", d);
        readout.declare(out);
    }

    @Override
    public ParameterSet initialize(Rng rng) {
        int d = spec.modelDim();
        ParameterSet p = new ParameterSet();
        input.initialize(p, rng);
        for (int i = 0; i < layers.length; i++) {
            Params.constant(p, block(i) + "xlstm_norm.weight", 0.0, d);
            if (layers[i] instanceof SlstmLayer s) {
                s.initialize(p, rng, block(i) + "xlstm.");
                Params.constant(p, block(i) + "ffn_norm.weight", 0.0, d);
                XlstmParts.smallInit(p, rng, block(i) + "ffn.proj_up.weight", d, 2 * ffnDim(), d);
                XlstmParts.wangInit(p, rng, block(i) + "ffn.proj_down.weight", d, spec.numBlocks(), d, ffnDim());
            } else {
                ((MlstmLayer) layers[i]).initialize(p, rng, block(i) + "xlstm.");
            }
        }
        Params.constant(p, "xlstm.post_blocks_norm.weight", 0.0, d);
        readout.initialize(p, rng);
        return p;
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch batch, ForwardMode mode) {
        int len = batch.inputs().length();
        if (spec.slstmAt().size() < spec.numBlocks() && len > spec.contextLength()) {
            // parallel_stabilized_simple masks with the cell's (context_length × context_length) buffer
            throw new IllegalArgumentException("a sequence of length " + len + " is longer than the mLSTM's "
                    + "context_length " + spec.contextLength() + " (R1 sets it to the training pad length)");
        }
        T x = input.forward(ops, p, batch.inputs());
        for (int i = 0; i < layers.length; i++) {
            ParameterLookup<T> bp = p.scoped(block(i));
            ForwardMode bm = Modes.scoped(mode, "blocks", i);
            T normed = XlstmParts.layerNorm(ops, x, bp.get("xlstm_norm.weight"));
            ParameterLookup<T> lp = bp.scoped("xlstm.");
            if (layers[i] instanceof SlstmLayer s) {
                x = ops.add(x, s.forward(ops, lp, normed, bm, spec.dropoutRate()));
                T f = XlstmParts.layerNorm(ops, x, bp.get("ffn_norm.weight"));
                T up = Layers.linear(ops, f, bp.get("ffn.proj_up.weight"), null);
                int w = ffnDim();
                int[] us = ops.shape(up);
                List<T> halves = ops.unstack(ops.reshape(up, us[0], us[1], 2, w), 2); // split once (PERFORMANCE.md 2)
                T gated = ops.mul(ops.gelu(halves.get(0)), halves.get(1));
                x = ops.add(x, Layers.linear(ops, gated, bp.get("ffn.proj_down.weight"), null));
            } else {
                x = ops.add(x, ((MlstmLayer) layers[i]).forward(ops, lp, normed, bm, spec.dropoutRate()));
            }
        }
        x = XlstmParts.layerNorm(ops, x, p.get("xlstm.post_blocks_norm.weight"));
        return readout.forward(ops, p, x);
    }
}
