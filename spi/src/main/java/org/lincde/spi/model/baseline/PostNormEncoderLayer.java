package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * PyTorch's {@code nn.TransformerEncoderLayer(h, heads)} with a causal mask (SPEC §2.7, R2
 * {@code TransformerLayer}): post-norm, ReLU FFN, dropout 0.1 everywhere; names as its state dict.
 * <pre>
 *   x = LN₁(x + Drop(out_proj(Attn(x))))            self_attn.in_proj_weight (3h, h), in_proj_bias (3h),
 *                                                    self_attn.out_proj.*, norm1.*
 *   x = LN₂(x + Drop(Lin₂(Drop(ReLU(Lin₁(x))))))     linear1 (ffn, h), linear2 (h, ffn), norm2.*
 * </pre>
 * Init as {@code nn.MultiheadAttention}: {@code in_proj_weight} Xavier-uniform, {@code in_proj_bias} and
 * {@code out_proj.bias} zero, {@code out_proj.weight} PyTorch-default; the FFN Linears PyTorch-default.
 */
public final class PostNormEncoderLayer implements SequenceLayer {
    private static final double DROPOUT = 0.1;

    private final int width;
    private final int heads;
    private final int ffnDim;

    /**
     * @param width  {@code h}
     * @param heads  number of heads (divides {@code h})
     * @param ffnDim FFN width (2048 in PyTorch's default)
     */
    public PostNormEncoderLayer(int width, int heads, int ffnDim) {
        if (heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " must split into " + heads + " heads");
        }
        this.width = width;
        this.heads = heads;
        this.ffnDim = ffnDim;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.add(out, prefix + "self_attn.in_proj_weight", 3 * width, width);
        Params.add(out, prefix + "self_attn.in_proj_bias", 3 * width);
        Params.linear(out, prefix + "self_attn.out_proj", width, width, true);
        Params.linear(out, prefix + "linear1", width, ffnDim, true);
        Params.linear(out, prefix + "linear2", ffnDim, width, true);
        Params.layerNorm(out, prefix + "norm1", width);
        Params.layerNorm(out, prefix + "norm2", width);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        double xavier = Math.sqrt(6.0 / (width + 3 * width));
        Params.uniform(out, rng, prefix + "self_attn.in_proj_weight", -xavier, xavier, 3 * width, width);
        Params.constant(out, prefix + "self_attn.in_proj_bias", 0.0, 3 * width);
        double k = 1.0 / Math.sqrt(width);
        Params.uniform(out, rng, prefix + "self_attn.out_proj.weight", -k, k, width, width);
        Params.constant(out, prefix + "self_attn.out_proj.bias", 0.0, width);
        Layers.initLinear(out, rng, prefix + "linear1", width, ffnDim, true);
        Layers.initLinear(out, rng, prefix + "linear2", ffnDim, width, true);
        Layers.initLayerNorm(out, prefix + "norm1", width);
        Layers.initLayerNorm(out, prefix + "norm2", width);
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        int h = width;
        T qkv = Layers.linear(ops, x, p.get("self_attn.in_proj_weight"), p.get("self_attn.in_proj_bias"));
        T att = Attention.causalSelfAttention(ops, ops.slice(qkv, 2, 0, h), ops.slice(qkv, 2, h, 2 * h),
                ops.slice(qkv, 2, 2 * h, 3 * h), heads, false, DROPOUT, mode);
        T sa = Modes.dropout(ops, Layers.linear(ops, p, "self_attn.out_proj", att), DROPOUT, mode, "dropout1");
        x = ops.layerNorm(ops.add(x, sa), p.get("norm1.weight"), p.get("norm1.bias"), 1e-5);
        T f = Modes.dropout(ops, ops.relu(Layers.linear(ops, p, "linear1", x)), DROPOUT, mode, "dropout");
        T ff = Modes.dropout(ops, Layers.linear(ops, p, "linear2", f), DROPOUT, mode, "dropout2");
        return ops.layerNorm(ops.add(x, ff), p.get("norm2.weight"), p.get("norm2.bias"), 1e-5);
    }
}
