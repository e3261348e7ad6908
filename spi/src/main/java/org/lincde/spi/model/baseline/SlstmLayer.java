package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.XlstmSpec;

/**
 * NX-AI's {@code sLSTMLayer} with the {@code cuda} backend R1 selects (docs/models/xlstm.md §4;
 * {@code blocks/slstm/layer.py}, {@code cell.py}, {@code src/cuda/slstm_pointwise.cu}), names as its state dict,
 * {@code NH} heads of {@code DH = D/NH} units:
 * <pre>
 *   x_c = SiLU(causalConv(x))                         conv1d.conv.weight (D, 1, K), conv1d.conv.bias (D)
 *   w_i = F x_c, w_f = I x_c, w_z = Z x, w_o = O x    fgate/igate/zgate/ogate.weight (NH, DH, DH), block-diagonal
 *                                                     ([QUIRK] layer.py feeds fgate(x_c) to the input gate and
 *                                                     igate(x_c) to the forget gate)
 *   g̃_t = w_g,t + (R_g y_{t−1} + b_g)                 slstm_cell._recurrent_kernel_ (NH, DH, 4·DH) per head,
 *                                                     slstm_cell._bias_ (NH·4·DH), gate order i, f, z, o
 *   m_t = ĩ_t at t = 1 (n = 0), else max(ĩ_t, log σ(f̃_t) + m_{t−1})
 *   c_t = e^{log σ(f̃_t) + m_{t−1} − m_t} c_{t−1} + e^{ĩ_t − m_t} tanh(z̃_t),   n_t likewise with 1 for tanh(z̃_t)
 *   y_t = σ(õ_t) · (c_t / n_t)
 *   out = GroupNorm_NH(Drop(y))                       group_norm.weight (D), gain 1 + w
 * </pre>
 * The CUDA kernel's backward treats the stabiliser {@code m} as a constant (its state gradient is zeroed): here
 * {@code m} is computed on the host from the values and enters the graph as a constant, which gives the kernel's
 * gradients (and the exact ones: {@code y} does not depend on {@code m}). The kernel's {@code min(1, ·)} clamps of
 * the gates never bind ({@code e^{x − max(x, ·)} ≤ 1}) and are left out.
 *
 * <p>Initialisation: gate projections {@code small_init} with {@code D}; recurrent kernel 0
 * ({@code recurrent_weight_init="zeros"}); bias 0 except the forget gate's {@code powerlaw_blockdependent}
 * values {@code 5 − 12·(j/(DH−1))^{0.3 + 1.3·blockIdx/(numBlocks−1)}} for unit {@code j} of every head; conv
 * PyTorch's default; norm weight 0 (gain 1).
 */
final class SlstmLayer {
    private static final int GATES = 4;

    private final int d;
    private final int heads;
    private final int dh;
    private final int conv;
    private final int blockIdx;
    private final int numBlocks;
    private final boolean bf16;

    SlstmLayer(int modelDim, XlstmSpec.Slstm cfg, int blockIdx, int numBlocks) {
        this.d = modelDim;
        this.heads = cfg.numHeads();
        this.dh = modelDim / cfg.numHeads();
        this.conv = cfg.convKernel();
        this.blockIdx = blockIdx;
        this.numBlocks = numBlocks;
        this.bf16 = cfg.bf16();
    }

    /** {@code x} rounded to bfloat16 where the CUDA kernel casts, when the emulation is on. */
    private <T> T cast(TensorOps<T> ops, T x) {
        return bf16 ? XlstmParts.bf16(ops, x) : x;
    }

    void declare(List<ParameterShape> out, String prefix) {
        if (conv > 0) {
            Params.add(out, prefix + "conv1d.conv.weight", d, 1, conv);
            Params.add(out, prefix + "conv1d.conv.bias", d);
        }
        for (String g : new String[] {"fgate", "igate", "zgate", "ogate"}) {
            Params.add(out, prefix + g + ".weight", heads, dh, dh);
        }
        Params.add(out, prefix + "slstm_cell._recurrent_kernel_", heads, dh, GATES * dh);
        Params.add(out, prefix + "slstm_cell._bias_", heads * GATES * dh);
        Params.add(out, prefix + "group_norm.weight", d);
    }

    void initialize(ParameterSet p, Rng rng, String prefix) {
        if (conv > 0) {
            double bound = 1.0 / Math.sqrt(conv);
            Params.uniform(p, rng, prefix + "conv1d.conv.weight", -bound, bound, d, 1, conv);
            Params.uniform(p, rng, prefix + "conv1d.conv.bias", -bound, bound, d);
        }
        for (String g : new String[] {"fgate", "igate", "zgate", "ogate"}) {
            XlstmParts.smallInit(p, rng, prefix + g + ".weight", d, heads, dh, dh);
        }
        Params.constant(p, prefix + "slstm_cell._recurrent_kernel_", 0.0, heads, dh, GATES * dh);
        Params.values(p, prefix + "slstm_cell._bias_", powerlawBias(heads, dh, blockIdx, numBlocks),
                heads * GATES * dh);
        Params.constant(p, prefix + "group_norm.weight", 0.0, d);
    }

    /**
     * {@code sLSTMCellBase.reset_parameters} with {@code bias_init="powerlaw_blockdependent"}, laid out
     * {@code (NH, gate, DH)}: forget-gate unit {@code j} gets {@code −(−5 + 12·(j/(DH−1))^{0.3 + 1.3·r})} with
     * {@code r = blockIdx/(numBlocks−1)} (0 for a single block), the other gates 0.
     */
    /** The stabiliser as the kernel stores it for the next step (bfloat16 under the emulation). */
    private double[] mState(double[] m) {
        if (!bf16) {
            return m;
        }
        double[] out = new double[m.length]; // a copy: m backs a constant already in the graph
        for (int i = 0; i < m.length; i++) {
            out[i] = XlstmParts.bf16(m[i]);
        }
        return out;
    }

    /** The per-step slices of a head-major projection {@code (NH, B·S, DH)}: {@code S × (NH, B, DH)}. */
    private <T> List<T> steps(TensorOps<T> ops, T headMajor, int b, int len) {
        return ops.unstack(ops.reshape(headMajor, heads, b, len, dh), 2);
    }

    static double[] powerlawBias(int heads, int dh, int blockIdx, int numBlocks) {
        double ratio = numBlocks > 1 ? (double) blockIdx / (numBlocks - 1) : 0.0;
        double[] b = new double[heads * GATES * dh];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < dh; j++) {
                b[(h * GATES + 1) * dh + j] = -(-5.0 + 12.0 * Math.pow((double) j / (dh - 1), 0.3 + 1.3 * ratio));
            }
        }
        return b;
    }

    /** The layer output for {@code x (B, S, D)}; {@code mode} supplies this layer's dropout stream. */
    <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode, double dropout) {
        int[] s = ops.shape(x);
        int b = s[0];
        int len = s[1];
        T xc = conv > 0
                ? ops.silu(XlstmParts.causalConv(ops, x, p.get("conv1d.conv.weight"), p.get("conv1d.conv.bias")))
                : x;
        java.util.Optional<org.lincde.spi.SlstmKernel<T>> fused = bf16 ? java.util.Optional.empty() : ops.fusedSlstm();
        if (fused.isPresent()) {
            // a backend's fused cell (docs/models/xlstm.md §"Fused sLSTM cell"): the same map as the loop below, fed
            // the pre-activations of all steps at once, (NH, B, S, gate, DH) in gate order i, f, z, o
            T pre = ops.add(ops.reshape(ops.stack(List.of(
                            XlstmParts.headMajor(ops, xc, p.get("fgate.weight")),
                            XlstmParts.headMajor(ops, xc, p.get("igate.weight")),
                            XlstmParts.headMajor(ops, x, p.get("zgate.weight")),
                            XlstmParts.headMajor(ops, x, p.get("ogate.weight"))), 2), heads, b, len, GATES, dh),
                    ops.reshape(p.get("slstm_cell._bias_"), heads, 1, 1, GATES, dh));
            T ysF = fused.get().outputs(pre, p.get("slstm_cell._recurrent_kernel_")); // (NH, B, S, DH)
            T allF = ops.transpose(ops.transpose(ysF, 0, 1), 1, 2);
            allF = Modes.dropout(ops, allF, dropout, mode, "dropout");
            return ops.reshape(XlstmParts.multiHeadLayerNorm(ops, allF, p.get("group_norm.weight")), b, len, d);
        }
        // layer.py: i, f, z, o = fgate(x_conv), igate(x_conv), zgate(x), ogate(x); kept head-major, (NH, B, S, DH),
        // so each step's recurrent product is one batched product over the heads
        List<List<T>> wx = List.of(
                steps(ops, cast(ops, XlstmParts.headMajor(ops, xc, p.get("fgate.weight"))), b, len),
                steps(ops, cast(ops, XlstmParts.headMajor(ops, xc, p.get("igate.weight"))), b, len),
                steps(ops, cast(ops, XlstmParts.headMajor(ops, x, p.get("zgate.weight"))), b, len),
                steps(ops, cast(ops, XlstmParts.headMajor(ops, x, p.get("ogate.weight"))), b, len));
        List<T> bias = ops.unstack(ops.reshape(p.get("slstm_cell._bias_"), heads, GATES, 1, dh), 1); // 4 × (NH, 1, DH)
        T r = cast(ops, p.get("slstm_cell._recurrent_kernel_")); // the bias stays float32 (dtype_b)
        List<T> ys = new ArrayList<>(len);
        T y = null;
        T c = null;
        T n = null;
        double[] m = null;
        for (int t = 0; t < len; t++) {
            List<T> raw = new ArrayList<>(GATES);
            List<T> ry = y == null ? null // R y_{t−1} = 0 at t = 1
                    : ops.unstack(ops.reshape(cast(ops, ops.matmul(y, r)), heads, b, GATES, dh), 2); // 4 × (NH, B, DH)
            for (int g = 0; g < GATES; g++) {
                T rb = ry == null ? bias.get(g) : ops.add(ry.get(g), bias.get(g));
                raw.add(ops.add(wx.get(g).get(t), rb));
            }
            T iRaw = raw.get(0);
            T zVal = ops.tanh(raw.get(2));
            T oGate = ops.sigmoid(raw.get(3));
            double[] iv = ops.value(iRaw).data();
            if (m == null) {
                m = iv.clone(); // n = 0: m_new = iraw
                T iGate = ops.exp(ops.sub(iRaw, ops.constant(m, heads, b, dh)));
                c = ops.mul(iGate, zVal);
                n = iGate;
                m = mState(m);
            } else {
                T logFPlusM = ops.add(MlstmCell.logSigmoid(ops, raw.get(1)), ops.constant(m, heads, b, dh));
                double[] fv = ops.value(logFPlusM).data();
                double[] mNew = new double[iv.length];
                for (int i = 0; i < iv.length; i++) {
                    mNew[i] = Math.max(iv[i], fv[i]);
                }
                T mc = ops.constant(mNew, heads, b, dh);
                T iGate = ops.exp(ops.sub(iRaw, mc));
                T fGate = ops.exp(ops.sub(logFPlusM, mc));
                c = ops.add(ops.mul(fGate, c), ops.mul(iGate, zVal));
                n = ops.add(ops.mul(fGate, n), iGate);
                m = mState(mNew);
            }
            y = cast(ops, ops.mul(oGate, ops.div(c, n))); // (NH, B, DH); from the unrounded c, n
            c = cast(ops, c); // the kernel stores every state in its dtype_s
            n = cast(ops, n);
            ys.add(y);
        }
        T all = ops.transpose(ops.transpose(ops.stack(ys, 2), 0, 1), 1, 2); // (NH, B, S, DH) → (B, S, NH, DH)
        all = Modes.dropout(ops, all, dropout, mode, "dropout");
        return ops.reshape(XlstmParts.multiHeadLayerNorm(ops, all, p.get("group_norm.weight")), b, len, d);
    }
}
