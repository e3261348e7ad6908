package org.lincde.spi.model.baseline;

import java.util.List;
import java.util.Optional;
import org.lincde.spi.AttentionKernel;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * R1's {@code PreNormTransformerDecoderLayer} (SPEC §2.7) with RoPE, names as its state dict:
 * <pre>
 *   x = x + Drop(W_o · Attn(RoPE(W_q n), RoPE(W_k n), W_v n)),  n = LN₁(x)   norm1.*, attention.attention.W_{q,k,v,o}.*
 *   x = x + Drop(Lin₂(Drop(GELU(Lin₁(LN₂(x))))))                            norm2.*, ffn.0.*, ffn.3.*
 * </pre>
 * Causal mask; attention-weight dropout at the same rate; all Linear layers with bias and PyTorch-default init.
 */
public final class PreNormDecoderLayer implements SequenceLayer {
    private static final String ATT = "attention.attention.";

    private final int width;
    private final int heads;
    private final int ffnDim;
    private final double dropout;

    /**
     * @param width   {@code h}
     * @param heads   number of heads (divides {@code h}, even head dimension)
     * @param ffnDim  FFN hidden width
     * @param dropout dropout rate
     */
    public PreNormDecoderLayer(int width, int heads, int ffnDim, double dropout) {
        if (width % heads != 0 || (width / heads) % 2 != 0) {
            throw new IllegalArgumentException("width " + width + " must split into " + heads
                    + " heads of even dimension");
        }
        this.width = width;
        this.heads = heads;
        this.ffnDim = ffnDim;
        this.dropout = dropout;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.layerNorm(out, prefix + "norm1", width);
        for (String w : new String[] {"W_q", "W_k", "W_v", "W_o"}) {
            Params.linear(out, prefix + ATT + w, width, width, true);
        }
        Params.layerNorm(out, prefix + "norm2", width);
        Params.linear(out, prefix + "ffn.0", width, ffnDim, true);
        Params.linear(out, prefix + "ffn.3", ffnDim, width, true);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        Layers.initLayerNorm(out, prefix + "norm1", width);
        for (String w : new String[] {"W_q", "W_k", "W_v", "W_o"}) {
            Layers.initLinear(out, rng, prefix + ATT + w, width, width, true);
        }
        Layers.initLayerNorm(out, prefix + "norm2", width);
        Layers.initLinear(out, rng, prefix + "ffn.0", width, ffnDim, true);
        Layers.initLinear(out, rng, prefix + "ffn.3", ffnDim, width, true);
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        Optional<AttentionKernel<T>> fused = ops.fusedAttention();
        if (fused.isPresent()) {
            return forwardFused(ops, fused.get(), p, x, mode);
        }
        T n = ops.layerNorm(x, p.get("norm1.weight"), p.get("norm1.bias"), 1e-5);
        T q = Layers.linear(ops, p, ATT + "W_q", n);
        T k = Layers.linear(ops, p, ATT + "W_k", n);
        T v = Layers.linear(ops, p, ATT + "W_v", n);
        T att = Attention.causalSelfAttention(ops, q, k, v, heads, true, dropout, mode);
        x = ops.add(x, Modes.dropout(ops, Layers.linear(ops, p, ATT + "W_o", att), dropout, mode, "residual1"));
        T m = ops.layerNorm(x, p.get("norm2.weight"), p.get("norm2.bias"), 1e-5);
        T f = Modes.dropout(ops, ops.gelu(Layers.linear(ops, p, "ffn.0", m)), dropout, mode, "ffn");
        return ops.add(x, Modes.dropout(ops, Layers.linear(ops, p, "ffn.3", f), dropout, mode, "residual2"));
    }

    /**
     * The same layer on the backend's fused path (docs/models/transformer.md, "Fused path"): every affine map
     * is one engine op, Q, K and V come from one product of the stacked weights {@code [W_q; W_k; W_v]} and
     * biases, and the scale {@code 1/√dh} rides in the query's rotary tables instead of a pass over the
     * {@code (B, nh, L, L)} scores. The same values up to float rounding; the dropout draws are the generic
     * path's (same streams, same shapes, same order).
     */
    private <T> T forwardFused(TensorOps<T> ops, AttentionKernel<T> lin, ParameterLookup<T> p, T x,
                               ForwardMode mode) {
        T n = ops.layerNorm(x, p.get("norm1.weight"), p.get("norm1.bias"), 1e-5);
        List<T> qkv = lin.linears(n, List.of(p.get(ATT + "W_q.weight"), p.get(ATT + "W_k.weight"),
                p.get(ATT + "W_v.weight")), List.of(p.get(ATT + "W_q.bias"), p.get(ATT + "W_k.bias"),
                p.get(ATT + "W_v.bias")));                                                  // 3 × (B, L, h)
        T att = Attention.causalSelfAttention(ops, qkv.get(0), qkv.get(1), qkv.get(2), heads, true, true, dropout,
                mode);
        T o = lin.linear(att, p.get(ATT + "W_o.weight"), p.get(ATT + "W_o.bias"));
        x = ops.add(x, Modes.dropout(ops, o, dropout, mode, "residual1"));
        T m = ops.layerNorm(x, p.get("norm2.weight"), p.get("norm2.bias"), 1e-5);
        T f = Modes.dropout(ops, ops.gelu(lin.linear(m, p.get("ffn.0.weight"), p.get("ffn.0.bias"))), dropout, mode,
                "ffn");
        T y = lin.linear(f, p.get("ffn.3.weight"), p.get("ffn.3.bias"));
        return ops.add(x, Modes.dropout(ops, y, dropout, mode, "residual2"));
    }
}
