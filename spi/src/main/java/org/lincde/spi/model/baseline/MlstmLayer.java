package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.model.Layers;

/**
 * NX-AI's {@code mLSTMLayer} (docs/models/xlstm.md §2, {@code blocks/mlstm/layer.py}), names as its state dict,
 * inner width {@code I = ⌈2D/64⌉·64}, {@code NH} cell heads of {@code DH = I/NH}:
 * <pre>
 *   [x_m; z] = W_up x                                   proj_up.weight (2I, D), no bias
 *   x_c = SiLU(causalConv(x_m))                         conv1d.conv.weight (I, 1, K), conv1d.conv.bias (I)
 *   q = Q x_c, k = K x_c, v = V x_m                     q_proj/k_proj/v_proj.weight (I/bs, bs, bs): block-diagonal
 *   ĩ, f̃ = W_i [q; k; v] + b_i, W_f [q; k; v] + b_f     mlstm_cell.igate/fgate.weight (NH, 3I), .bias (NH)
 *   h̃ = GroupNorm_NH(cell(q, k, v, ĩ, f̃))              mlstm_cell.outnorm.weight (I), gain 1 + w
 *   y = Drop(W_down ((h̃ + s ⊙ x_c) ⊙ SiLU(z)))          learnable_skip (I), proj_down.weight (D, I)
 * </pre>
 * Initialisation ({@code reset_parameters}): {@code proj_up} and q/k/v {@code small_init} with the model width
 * {@code D}; {@code proj_down} {@code wang_init}; conv PyTorch's default {@code U(±1/√K)}; gate weights 0, forget
 * bias {@code linspace(3, 6, NH)}, input bias {@code N(0, 0.1²)}; norm weights 0 (gain 1); skip 1.
 */
final class MlstmLayer {
    private final int d;
    private final int inner;
    private final int heads;
    private final int conv;
    private final int block;
    private final int numBlocks;
    private final XlstmSpec.Form form;

    MlstmLayer(int modelDim, XlstmSpec.Mlstm cfg, int numBlocks) {
        this.d = modelDim;
        this.inner = cfg.innerDim(modelDim);
        this.heads = cfg.numHeads();
        this.conv = cfg.convKernel();
        this.block = cfg.qkvBlocksize();
        this.numBlocks = numBlocks;
        this.form = cfg.form();
    }

    void declare(List<ParameterShape> out, String prefix) {
        Params.linear(out, prefix + "proj_up", d, 2 * inner, false);
        for (String proj : new String[] {"q_proj", "k_proj", "v_proj"}) {
            Params.add(out, prefix + proj + ".weight", inner / block, block, block);
        }
        Params.add(out, prefix + "conv1d.conv.weight", inner, 1, conv);
        Params.add(out, prefix + "conv1d.conv.bias", inner);
        Params.linear(out, prefix + "mlstm_cell.igate", 3 * inner, heads, true);
        Params.linear(out, prefix + "mlstm_cell.fgate", 3 * inner, heads, true);
        Params.add(out, prefix + "mlstm_cell.outnorm.weight", inner);
        Params.add(out, prefix + "learnable_skip", inner);
        Params.linear(out, prefix + "proj_down", inner, d, false);
    }

    void initialize(ParameterSet p, Rng rng, String prefix) {
        XlstmParts.smallInit(p, rng, prefix + "proj_up.weight", d, 2 * inner, d);
        for (String proj : new String[] {"q_proj", "k_proj", "v_proj"}) {
            // layer.py _init_qkv_proj: "use the embedding dim instead of the inner embedding dim"
            XlstmParts.smallInit(p, rng, prefix + proj + ".weight", d, inner / block, block, block);
        }
        double bound = 1.0 / Math.sqrt(conv); // nn.Conv1d default: fan_in = in_channels/groups · K = K
        Params.uniform(p, rng, prefix + "conv1d.conv.weight", -bound, bound, inner, 1, conv);
        Params.uniform(p, rng, prefix + "conv1d.conv.bias", -bound, bound, inner);
        Params.constant(p, prefix + "mlstm_cell.igate.weight", 0.0, heads, 3 * inner);
        Layers.initNormal(p, rng, prefix + "mlstm_cell.igate.bias", 0.1, heads);
        Params.constant(p, prefix + "mlstm_cell.fgate.weight", 0.0, heads, 3 * inner);
        Params.values(p, prefix + "mlstm_cell.fgate.bias", XlstmParts.linspace(3.0, 6.0, heads), heads);
        Params.constant(p, prefix + "mlstm_cell.outnorm.weight", 0.0, inner);
        Params.constant(p, prefix + "learnable_skip", 1.0, inner);
        XlstmParts.wangInit(p, rng, prefix + "proj_down.weight", d, numBlocks, d, inner);
    }

    /** The layer output for {@code x (B, S, D)}; {@code mode} supplies this layer's dropout stream. */
    <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode, double dropout) {
        int[] s = ops.shape(x);
        int b = s[0];
        int len = s[1];
        T up = Layers.linear(ops, x, p.get("proj_up.weight"), null);
        // split once: each of two slices' backward would write a zero-filled (B, S, 2I) copy (docs/PERFORMANCE.md
        // item 2); the same values and gradients
        List<T> halves = ops.unstack(ops.reshape(up, b, len, 2, inner), 2);
        T xm = halves.get(0);
        T z = halves.get(1);
        T xc = ops.silu(XlstmParts.causalConv(ops, xm, p.get("conv1d.conv.weight"), p.get("conv1d.conv.bias")));
        T q = XlstmParts.headwise(ops, xc, p.get("q_proj.weight"));
        T k = XlstmParts.headwise(ops, xc, p.get("k_proj.weight"));
        T v = XlstmParts.headwise(ops, xm, p.get("v_proj.weight"));
        T h = cell(ops, p, q, k, v, b, len);
        T skip = ops.add(h, ops.mul(p.get("learnable_skip"), xc));
        T y = Layers.linear(ops, ops.mul(skip, ops.silu(z)), p.get("proj_down.weight"), null);
        return Modes.dropout(ops, y, dropout, mode, "dropout");
    }

    /** {@code mLSTMCell.forward}: gates from {@code [q; k; v]}, the core per head, the per-head group norm. */
    private <T> T cell(TensorOps<T> ops, ParameterLookup<T> p, T q, T k, T v, int b, int len) {
        int dh = inner / heads;
        T gateIn = ops.concat(List.of(q, k, v), 2);
        T ig = ops.transpose(Layers.linear(ops, p, "mlstm_cell.igate", gateIn), 1, 2); // (B, NH, S)
        T fg = ops.transpose(Layers.linear(ops, p, "mlstm_cell.fgate", gateIn), 1, 2);
        T qh = heads(ops, q, b, len, dh);
        T kh = heads(ops, k, b, len, dh);
        T vh = heads(ops, v, b, len, dh);
        T h = form == XlstmSpec.Form.PARALLEL ? MlstmCell.parallel(ops, qh, kh, vh, ig, fg)
                : MlstmCell.recurrent(ops, qh, kh, vh, ig, fg, false);
        T normed = XlstmParts.multiHeadLayerNorm(ops, ops.transpose(h, 1, 2), p.get("mlstm_cell.outnorm.weight"));
        return ops.reshape(normed, b, len, inner);
    }

    private <T> T heads(TensorOps<T> ops, T x, int b, int len, int dh) {
        return ops.transpose(ops.reshape(x, b, len, heads, dh), 1, 2);
    }
}
