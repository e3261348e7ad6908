package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * One fla delta-rule layer (docs/models/deltanet.md §1–§4), names as its state dict. With {@code H} heads,
 * {@code d_k}, {@code d_v}, {@code n} Householder steps per token (1 except DeltaProduct):
 * <pre>
 *   q = SiLU(conv(x W_qᵀ))                            q_proj.weight (H d_k, h), q_conv1d.weight (H d_k, 1, 4)
 *   k_j = SiLU(conv(x W_kjᵀ)),  v_j = SiLU(conv(x W_vjᵀ))  k_proj / v_proj (+ _conv1d), DeltaProduct: k_projs.j …
 *   β_j = s·σ(x W_bjᵀ)   (s = 1, or 2 for [-1,1])        b_proj.weight (H, h) / b_projs.j.weight
 *   g = −e^{A_log} · softplus(x W_aᵀ + dt_bias)          a_proj.weight (H, h), A_log (H), dt_bias (H)  (gated)
 *   q, k ← q/√(Σq² + 1e−6), k/√(Σk² + 1e−6) per head   (fla l2norm, eps 1e−6)
 *   o = DeltaRule(q, k, v, β, g)                        (the n steps of a token interleaved, q and g on one of them)
 *   o ← RMSNorm_{1e−5}(o) · w   [· SiLU(x W_gᵀ)]         o_norm.weight (d_v), g_proj.weight (H d_v, h) (gated output)
 *   out = o W_oᵀ                                         o_proj.weight (h, H d_v)
 * </pre>
 * No biases; the short convolutions are depth-wise and causal (kernel 4, no bias). With {@code spec.bf16()} values
 * are rounded to bfloat16 where the library's bf16 ops would round them ({@link Bfloat16}).
 */
public final class DeltaNetLayer implements SequenceLayer {
    /** fla's l2norm epsilon ({@code l2norm_fwd(eps=1e-6)}). */
    static final double L2_EPS = 1e-6;
    /** {@code norm_eps} of every layer here. */
    static final double NORM_EPS = 1e-5;
    /** The layer's own initialisation gain ({@code nn.init.xavier_uniform_(w, gain=2 ** -2.5)}). */
    static final double XAVIER_GAIN = Math.pow(2, -2.5);

    private final DeltaNetSpec spec;

    /** The layer {@code spec} describes. */
    public DeltaNetLayer(DeltaNetSpec spec) {
        this.spec = spec;
    }

    @Override
    public int width() {
        return spec.modelDim();
    }

    private boolean product() {
        return spec.variant() == DeltaNetSpec.Variant.GATED_DELTAPRODUCT;
    }

    /** Name of the j-th key/value/beta projection: {@code k_proj} or DeltaProduct's {@code k_projs.j}. */
    private String name(String base, int j) {
        return product() ? base + "s." + j : base;
    }

    /** A bias-free {@code nn.Linear(in, out)} of the layer. */
    private record Lin(String name, int in, int out) {}

    /** A {@code ShortConvolution} over {@code channels}. */
    private record Conv(String name, int channels) {}

    /** Every linear layer, in declaration order. */
    private List<Lin> linears() {
        int h = spec.modelDim();
        List<Lin> l = new ArrayList<>();
        l.add(new Lin("q_proj", h, spec.keyDim()));
        for (int j = 0; j < spec.numHouseholder(); j++) {
            l.add(new Lin(name("k_proj", j), h, spec.keyDim()));
            l.add(new Lin(name("v_proj", j), h, spec.valueDim()));
            l.add(new Lin(name("b_proj", j), h, spec.numHeads()));
        }
        if (spec.forgetGate()) {
            l.add(new Lin("a_proj", h, spec.numHeads()));
        }
        if (spec.variant().outputGate()) {
            l.add(new Lin("g_proj", h, spec.valueDim()));
        }
        l.add(new Lin("o_proj", spec.valueDim(), h));
        return l;
    }

    /** Every short convolution. */
    private List<Conv> convs() {
        List<Conv> l = new ArrayList<>();
        l.add(new Conv("q_conv1d", spec.keyDim()));
        for (int j = 0; j < spec.numHouseholder(); j++) {
            l.add(new Conv(product() ? "k_conv1ds." + j : "k_conv1d", spec.keyDim()));
            l.add(new Conv(product() ? "v_conv1ds." + j : "v_conv1d", spec.valueDim()));
        }
        return l;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        for (Lin l : linears()) {
            Params.linear(out, prefix + l.name(), l.in(), l.out(), false);
        }
        for (Conv c : convs()) {
            Params.add(out, prefix + c.name() + ".weight", c.channels(), 1, spec.convSize());
        }
        if (spec.forgetGate()) {
            Params.add(out, prefix + "A_log", spec.numHeads());
            Params.add(out, prefix + "dt_bias", spec.numHeads());
        }
        Params.add(out, prefix + "o_norm.weight", spec.headVDim());
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        for (Lin l : linears()) {
            String n = prefix + l.name();
            int in = l.in();
            int o = l.out();
            if (spec.variant().xavierInit()) {
                // the layer's _initialize_weights: xavier_uniform_(gain=2^-2.5), U(±gain·√(6/(in+out)))
                double bound = XAVIER_GAIN * Math.sqrt(6.0 / (in + o));
                Params.uniform(out, rng, n + ".weight", -bound, bound, o, in);
            } else {
                Layers.initLinear(out, rng, n, in, o, false); // PyTorch's nn.Linear default, U(±1/√in)
            }
        }
        double bound = 1.0 / Math.sqrt(spec.convSize()); // nn.Conv1d default with groups = channels: fan_in = K
        for (Conv c : convs()) {
            Params.uniform(out, rng, prefix + c.name() + ".weight", -bound, bound, c.channels(), 1, spec.convSize());
        }
        if (spec.forgetGate()) {
            int heads = spec.numHeads();
            double[] alog = new double[heads];
            Rng ra = rng.stream(prefix + "A_log");
            for (int i = 0; i < heads; i++) {
                alog[i] = StrictMath.log(16.0 * Params.openUniform(ra)); // A ~ U(0, 16), A_log = log A
            }
            Params.values(out, prefix + "A_log", alog, heads);
            Rng rd = rng.stream(prefix + "dt_bias");
            double[] dt = new double[heads];
            for (int i = 0; i < heads; i++) {
                double tau = Params.logUniformStep(rd, S6Layer.DT_MIN, S6Layer.DT_MAX, S6Layer.DT_FLOOR);
                dt[i] = tau + StrictMath.log(-StrictMath.expm1(-tau)); // inverse softplus
            }
            Params.values(out, prefix + "dt_bias", dt, heads);
        }
        Params.constant(out, prefix + "o_norm.weight", 1.0, spec.headVDim());
    }

    /**
     * Elements (float32: 16 MB) of the largest {@code (rows, n·L, H·d_v)} tensor one pass of the layer makes; a larger
     * batch runs in equal groups of rows ({@link #rowGroups}). libtorch allocates each tensor with glibc's
     * {@code malloc}, which serves a request above 32 MB (64 MB on a thread's own arena) with a fresh {@code mmap}
     * and returns it on free: every op over such a tensor then page-faults its whole output. fla's gated heads at
     * batch 256 make 126 MB tensors, and a step cost 36× the CPU time of batch 32 for 8× the rows, most of it in
     * page faults (docs/models/deltanet.md §8). Rows are independent, so the groups give the same outputs.
     */
    public static final long ROW_GROUP_ELEMENTS = 1L << 22;

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        return forward(ops, p, x, mode, ROW_GROUP_ELEMENTS);
    }

    /** {@link #forward} with another bound on a row group's tensors (the tests force groups with a small one). */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode, long rowGroupElements) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != spec.modelDim()) {
            throw new IllegalArgumentException(spec.family() + " input must be (B, L, " + spec.modelDim() + "), got "
                    + java.util.Arrays.toString(s));
        }
        int groups = rowGroups(s[0], (long) s[1] * spec.numHouseholder() * spec.valueDim(), rowGroupElements);
        if (groups == 1) {
            return forwardRows(ops, p, x, mode);
        }
        int rows = s[0] / groups;
        // one unstack (one backward step for all groups, docs/PERFORMANCE.md item 2), one stack back
        List<T> parts = ops.unstack(ops.reshape(x, groups, rows, s[1], s[2]), 0);
        List<T> outs = new ArrayList<>(groups);
        for (T part : parts) {
            outs.add(forwardRows(ops, p, part, mode));
        }
        return ops.reshape(ops.stack(outs, 0), s[0], s[1], s[2]);
    }

    /** The fewest equal groups of a batch's rows whose {@code perRow}-element tensors stay within {@code limit}. */
    public static int rowGroups(int batch, long perRow, long limit) {
        for (int g = 1; g < batch; g++) {
            if (batch % g == 0 && (batch / g) * perRow <= limit) {
                return g;
            }
        }
        return Math.max(1, batch);
    }

    /** The layer on a batch of rows, in one pass. */
    <T> T forwardRows(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        int[] s = ops.shape(x);
        boolean bf = spec.bf16();
        int b = s[0];
        int len = s[1];
        int heads = spec.numHeads();
        int dk = spec.headKDim();
        int dv = spec.headVDim();
        int n = spec.numHouseholder();
        T xr = Bfloat16.round(ops, x, bf); // Block.forward: self.layer(x.bfloat16())
        T q = heads(ops, l2norm(ops, heads(ops, projConv(ops, p, xr, "q_proj", "q_conv1d"), b, len, heads, dk), bf),
                b, len, heads, dk);
        List<T> ks = new ArrayList<>(n);
        List<T> vs = new ArrayList<>(n);
        List<T> betas = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            T kj = projConv(ops, p, xr, name("k_proj", j), product() ? "k_conv1ds." + j : "k_conv1d");
            ks.add(heads(ops, l2norm(ops, heads(ops, kj, b, len, heads, dk), bf), b, len, heads, dk));
            T vj = projConv(ops, p, xr, name("v_proj", j), product() ? "v_conv1ds." + j : "v_conv1d");
            vs.add(heads(ops, heads(ops, vj, b, len, heads, dv), b, len, heads, dv));
            T bj = ops.sigmoid(linear(ops, p, xr, name("b_proj", j)));          // (B, L, H)
            bj = Bfloat16.round(ops, bj, bf);
            if (spec.variant().betaScale() != 1.0) {
                bj = ops.scale(bj, spec.variant().betaScale());                  // exact in bf16
            }
            betas.add(ops.transpose(bj, 1, 2));                                   // (B, H, L)
        }
        T g = null;
        if (spec.forgetGate()) {
            // g = -A_log.float().exp() * softplus(a_proj(x).float() + dt_bias): float32 in the library
            T a = ops.add(linear(ops, p, xr, "a_proj"), Bfloat16.round(ops, p.get("dt_bias"), bf));
            T decay = ops.neg(ops.exp(Bfloat16.round(ops, p.get("A_log"), bf)));
            g = ops.transpose(ops.mul(ops.softplus(a), decay), 1, 2);            // (B, H, L)
        }
        T qq;
        T kk;
        T vv;
        T bb;
        T gg = g;
        if (n == 1) {
            qq = q;
            kk = ks.get(0);
            vv = vs.get(0);
            bb = betas.get(0);
        } else {
            // DeltaProduct interleaves the n steps of a token: q only on the last, the gate only on the first
            List<T> qsteps = new ArrayList<>();
            for (int j = 0; j < n - 1; j++) {
                qsteps.add(ops.full(0.0, b, heads, len, dk));
            }
            qsteps.add(q);
            qq = interleave(ops, qsteps);
            kk = interleave(ops, ks);
            vv = interleave(ops, vs);
            bb = interleave(ops, betas);
            if (g != null) {
                List<T> gsteps = new ArrayList<>();
                gsteps.add(g);
                for (int j = 1; j < n; j++) {
                    gsteps.add(ops.full(0.0, b, heads, len));
                }
                gg = interleave(ops, gsteps);
            }
        }
        boolean chunked = spec.form() == DeltaNetSpec.Form.CHUNKED
                || mode.evaluation() == ForwardMode.Evaluation.SCAN;
        // a backend's fused kernel when it offers one: the same map as both generic forms
        // (docs/models/deltanet.md §8)
        java.util.Optional<org.lincde.spi.DeltaRuleKernel<T>> fused = ops.fusedDeltaRule();
        T o = fused.isPresent() ? fused.get().outputs(qq, kk, vv, bb, gg)
                : chunked ? DeltaRule.chunked(ops, qq, kk, vv, bb, gg, spec.chunkSize())
                : DeltaRule.recurrent(ops, qq, kk, vv, bb, gg);                   // (B, H, nL, d_v)
        if (n > 1) {
            o = ops.reshape(ops.slice(ops.reshape(o, b, heads, len, n, dv), 3, n - 1, n), b, heads, len, dv);
        }
        // (B, L, H, d_v), kernel output, copied once into that layout: the norm, the gate and their gradients then
        // run over contiguous memory (on a transposed view libtorch's element-wise backward ops ran strided, the
        // largest cost of a Gated DeltaNet step; docs/models/deltanet.md §8)
        o = ops.reshape(ops.reshape(Bfloat16.round(ops, ops.transpose(o, 1, 2), bf), b, len, heads * dv),
                b, len, heads, dv);
        T normed = ops.mul(rmsNorm(ops, o), Bfloat16.round(ops, p.get("o_norm.weight"), bf));
        if (spec.variant().outputGate()) {
            T gate = ops.reshape(linear(ops, p, xr, "g_proj"), b, len, heads, dv);
            normed = ops.mul(normed, ops.silu(gate));
        }
        normed = Bfloat16.round(ops, ops.reshape(normed, b, len, heads * dv), bf);
        return linear(ops, p, normed, "o_proj"); // rounded: the block then calls .float() on it
    }

    /** {@code x Wᵀ} with bf16 weights and output when emulating. */
    private <T> T linear(TensorOps<T> ops, ParameterLookup<T> p, T x, String name) {
        boolean bf = spec.bf16();
        return Bfloat16.round(ops, Layers.linear(ops, x, Bfloat16.round(ops, p.get(name + ".weight"), bf), null), bf);
    }

    /** {@code SiLU(causalConv(x Wᵀ))}: a projection through its ShortConvolution. */
    private <T> T projConv(TensorOps<T> ops, ParameterLookup<T> p, T x, String proj, String conv) {
        boolean bf = spec.bf16();
        T y = linear(ops, p, x, proj);
        T w = Bfloat16.round(ops, p.get(conv + ".weight"), bf);
        // the convolution as one backend op when it offers one (docs/models/deltanet.md §8)
        java.util.Optional<org.lincde.spi.CausalConvKernel<T>> fused = ops.fusedCausalConv();
        T a = ops.silu(fused.isPresent() ? fused.get().outputs(y, w, null) : causalConv(ops, y, w));
        return Bfloat16.round(ops, a, bf);
    }

    /** {@code (B, L, H·d)} → {@code (B, L, H, d)}, or {@code (B, L, H, d)} → {@code (B, H, L, d)}. */
    private static <T> T heads(TensorOps<T> ops, T x, int b, int len, int heads, int d) {
        int[] s = ops.shape(x);
        return s.length == 3 ? ops.reshape(x, b, len, heads, d) : ops.transpose(x, 1, 2);
    }

    /**
     * fla's l2norm over the last axis: {@code x / √(Σx² + 1e−6)}, as {@code x · (1/√(Σx² + 1e−6))}: the division
     * happens on the small per-row tensor, so the backward has one product over {@code x}'s size for each input
     * (a division's backward makes four: the quotient, a negation and two products).
     */
    private static <T> T l2norm(TensorOps<T> ops, T x, boolean bf) {
        T ss = ops.sum(ops.square(x), -1, true);
        return Bfloat16.round(ops, ops.mul(x, ops.div(ops.scalar(1.0), ops.sqrt(ops.addScalar(ss, L2_EPS)))), bf);
    }

    /** fla's RMSNorm without its weight: {@code x / √(mean(x²) + 1e−5)} over the last axis (a product, as {@link #l2norm}). */
    private static <T> T rmsNorm(TensorOps<T> ops, T x) {
        T ms = ops.mean(ops.square(x), -1, true);
        return ops.mul(x, ops.div(ops.scalar(1.0), ops.sqrt(ops.addScalar(ms, NORM_EPS))));
    }

    /** Stacks {@code n} tensors {@code (B, H, L, ...)} step-major: {@code (B, H, n·L, ...)}, token t's steps adjacent. */
    private static <T> T interleave(TensorOps<T> ops, List<T> steps) {
        int[] s = ops.shape(steps.get(0));
        T st = ops.stack(steps, 3);                                              // (B, H, L, n, ...)
        int[] out = new int[s.length];
        System.arraycopy(s, 0, out, 0, s.length);
        out[2] = s[2] * steps.size();
        return ops.reshape(st, out);
    }

    /**
     * fla's {@code ShortConvolution} without bias: depth-wise causal {@code out_t[e] = Σ_k w[e, 0, k] x_{t−(K−1)+k}[e]}
     * with zeros before the sequence start ({@code nn.Conv1d(groups=E, padding=K−1)} cut to the first L outputs).
     */
    static <T> T causalConv(TensorOps<T> ops, T x, T weight) {
        int[] s = ops.shape(x);
        int b = s[0];
        int len = s[1];
        int e = s[2];
        int k = ops.shape(weight)[2];
        List<T> taps = ops.unstack(ops.transpose(ops.reshape(weight, e, k), 0, 1), 0); // K × (E)
        // one zero-padded copy, then a slice per tap (tap j reads x_{t−(K−1)+j}); taps that see only padding skipped
        T padded = k > 1 ? ops.concat(List.of(ops.full(0.0, b, k - 1, e), x), 1) : x;
        T acc = null;
        for (int j = 0; j < k; j++) {
            if (k - 1 - j >= len) {
                continue;
            }
            T term = ops.mul(ops.slice(padded, 1, j, j + len), taps.get(j));
            acc = acc == null ? term : ops.add(acc, term);
        }
        return acc;
    }
}
