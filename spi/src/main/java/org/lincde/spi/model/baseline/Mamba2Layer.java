package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.Mamba2MixerKernel;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * The {@code mamba_ssm.Mamba2} layer (docs/models/mamba2.md; mamba_ssm/modules/mamba2.py), names as its state
 * dict; {@code D} model width, {@code E = expand·D}, {@code H = E/P} heads of dimension {@code P}, state
 * {@code N}, one group:
 * <pre>
 *   [z; xBC; dt] = W_in u                         in_proj.weight (2E+2N+H, D), no bias
 *   [x; B; C] = SiLU(causalConv(xBC))             conv1d.weight (E+2N, 1, K), conv1d.bias (E+2N)
 *   Δ = softplus(dt + dt_bias),  A = −exp(A_log)  dt_bias (H), A_log (H)
 *   y = SSD(x·Δ, ΔA, B, C) + D ⊙ x                D (H), per head
 *   y = RMSNorm(y ⊙ SiLU(z)) ⊙ w                  norm.weight (E), eps 1e−5 (norm_before_gate=False)
 *   out = W_out y                                 out_proj.weight (D, E), no bias
 * </pre>
 * The scan is evaluated token by token ({@link Mamba2Spec.Form#RECURRENT}) or in the SSD chunked form
 * ({@link Mamba2Spec.Form#CHUNKED}, chunks of {@code chunk_size}); Mamba2FormsTest proves them equal.
 */
public final class Mamba2Layer implements SequenceLayer {
    /** {@code dt_min}, {@code dt_max}, {@code dt_init_floor}, {@code A_init_range} (mamba2.py lines 48, 52–54). */
    static final double DT_MIN = 1e-3;
    static final double DT_MAX = 1e-1;
    static final double DT_FLOOR = 1e-4;
    static final double A_MIN = 1;
    static final double A_MAX = 16;
    /** {@code RMSNormGated(..., eps=1e-5)} (mamba2.py line 144). */
    static final double NORM_EPS = 1e-5;
    /** Added to the masked (future) entries of the segment sums before {@code exp}: {@code exp(−1e4) = 0}. */
    private static final double MASKED = -1e4;
    /**
     * The longest sequence given to the backend's fused mixer, which evaluates the whole sequence as one SSD chunk
     * ({@code L²} work per head): the library's own chunk length, {@code chunk_size = 256}.
     */
    static final int MAX_FUSED_LENGTH = 256;

    private final Mamba2Spec spec;
    private final int d;
    private final int e;
    private final int n;
    private final int h;
    private final int p;

    /** The layer of {@code spec} (its sizes, chunk length and form). */
    public Mamba2Layer(Mamba2Spec spec) {
        this.spec = spec;
        this.d = spec.modelDim();
        this.e = spec.innerDim();
        this.n = spec.stateDim();
        this.h = spec.numHeads();
        this.p = spec.headDim();
    }

    @Override
    public int width() {
        return d;
    }

    private int projDim() {
        return 2 * e + 2 * n + h;
    }

    private int convDim() {
        return e + 2 * n;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.linear(out, prefix + "in_proj", d, projDim(), false);
        Params.add(out, prefix + "conv1d.weight", convDim(), 1, spec.convKernel());
        Params.add(out, prefix + "conv1d.bias", convDim());
        Params.add(out, prefix + "dt_bias", h);
        Params.add(out, prefix + "A_log", h);
        Params.add(out, prefix + "D", h);
        Params.add(out, prefix + "norm.weight", e);
        Params.linear(out, prefix + "out_proj", e, d, false);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        Layers.initLinear(out, rng, prefix + "in_proj", d, projDim(), false); // nn.Linear default
        double bound = 1.0 / Math.sqrt(spec.convKernel()); // nn.Conv1d default: fan_in = (in/groups)·K = K
        Params.uniform(out, rng, prefix + "conv1d.weight", -bound, bound, convDim(), 1, spec.convKernel());
        Params.uniform(out, rng, prefix + "conv1d.bias", -bound, bound, convDim());
        Rng r = rng.stream(prefix + "dt_bias");
        double[] dtBias = new double[h];
        for (int i = 0; i < h; i++) { // mamba2.py lines 120–126
            double dt = Params.logUniformStep(r, DT_MIN, DT_MAX, DT_FLOOR);
            dtBias[i] = dt + StrictMath.log(-StrictMath.expm1(-dt)); // inverse softplus
        }
        Params.values(out, prefix + "dt_bias", dtBias, h);
        Rng ra = rng.stream(prefix + "A_log");
        double[] aLog = new double[h];
        for (int i = 0; i < h; i++) { // mamba2.py lines 133–134
            aLog[i] = StrictMath.log(A_MIN + (A_MAX - A_MIN) * ra.nextDouble());
        }
        Params.values(out, prefix + "A_log", aLog, h);
        Params.constant(out, prefix + "D", 1.0, h);
        Params.constant(out, prefix + "norm.weight", 1.0, e);
        Layers.initLinear(out, rng, prefix + "out_proj", e, d, false);
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> prm, T u, ForwardMode mode) {
        int[] s = ops.shape(u);
        if (s.length != 3 || s[2] != d) {
            throw new IllegalArgumentException("Mamba2 input must be (B, L, " + d + "), got " + java.util.Arrays.toString(s));
        }
        int b = s[0];
        int len = s[1];
        T zxbcdt = Layers.linear(ops, u, prm.get("in_proj.weight"), null);
        boolean chunked = mode.evaluation() == ForwardMode.Evaluation.SCAN || spec.form() == Mamba2Spec.Form.CHUNKED;
        Optional<Mamba2MixerKernel<T>> fused = chunked && len <= MAX_FUSED_LENGTH ? ops.fusedMamba2Mixer() : Optional.empty();
        if (fused.isPresent()) {
            // the same map as the graph below, one chunk, without its intermediates (docs/models/mamba2.md §"Fused mixer")
            T y = fused.get().outputs(zxbcdt, prm.get("conv1d.weight"), prm.get("conv1d.bias"), prm.get("dt_bias"),
                    prm.get("A_log"), prm.get("D"), prm.get("norm.weight"), NORM_EPS);
            return Layers.linear(ops, y, prm.get("out_proj.weight"), null);
        }
        T z = ops.slice(zxbcdt, 2, 0, e);
        T xbc = ops.slice(zxbcdt, 2, e, 2 * e + 2 * n);
        T dtRaw = ops.slice(zxbcdt, 2, 2 * e + 2 * n, projDim());
        xbc = ops.silu(MambaV1Layer.causalConv(ops, xbc, prm.get("conv1d.weight"), prm.get("conv1d.bias")));
        T x = ops.reshape(ops.slice(xbc, 2, 0, e), b, len, h, p);
        T bm = ops.slice(xbc, 2, e, e + n);
        T cm = ops.slice(xbc, 2, e + n, e + 2 * n);
        T dt = ops.softplus(ops.add(dtRaw, prm.get("dt_bias")));          // (B, L, H)
        T a = ops.neg(ops.exp(prm.get("A_log")));                          // (H)
        T y = chunked ? chunked(ops, x, dt, a, bm, cm, spec.chunkSize()) : recurrent(ops, x, dt, a, bm, cm);
        y = ops.add(y, ops.mul(x, ops.reshape(prm.get("D"), h, 1)));       // D skip per head
        y = ops.reshape(y, b, len, e);
        y = gatedRmsNorm(ops, y, z, prm.get("norm.weight"), NORM_EPS);
        return Layers.linear(ops, y, prm.get("out_proj.weight"), null);
    }

    /**
     * {@code RMSNorm(y ⊙ SiLU(z)) ⊙ w} over the last axis, {@code norm_before_gate=False}
     * (mamba_ssm/ops/triton/layernorm_gated.py {@code rms_norm_ref}, lines 26–34; one group).
     */
    public static <T> T gatedRmsNorm(TensorOps<T> ops, T y, T z, T weight, double eps) {
        T g = ops.mul(y, ops.silu(z));
        T ms = ops.mean(ops.square(g), -1, true);
        return ops.mul(ops.div(g, ops.sqrt(ops.addScalar(ms, eps))), weight);
    }

    /**
     * Token by token ({@code Mamba2.step}, mamba2.py lines 313–319): {@code H_t = exp(Δ_t A) H_{t−1} + Δ_t x_t B_tᵀ},
     * {@code y_t = H_t C_t}, with {@code H_t} of shape {@code (B, H, P, N)}.
     *
     * @param x  (B, L, H, P)
     * @param dt (B, L, H), already through softplus
     * @param a  (H), negative
     * @param bm (B, L, N)
     * @param cm (B, L, N)
     * @return y without the D skip, (B, L, H, P)
     */
    public static <T> T recurrent(TensorOps<T> ops, T x, T dt, T a, T bm, T cm) {
        int[] s = ops.shape(x);
        int b = s[0];
        int len = s[1];
        int hh = s[2];
        int pp = s[3];
        int nn = ops.shape(bm)[2];
        // split along time first, then add the unit axes per step (ND4J's interval get mis-shapes views
        // with several unit axes)
        List<T> decay = ops.unstack(ops.exp(ops.mul(dt, a)), 1);                        // (B, H) each
        List<T> drive = ops.unstack(ops.mul(x, ops.reshape(dt, b, len, hh, 1)), 1);      // (B, H, P) each
        List<T> bs = ops.unstack(bm, 1);
        List<T> cs = ops.unstack(cm, 1);
        List<T> ys = new ArrayList<>(len);
        T state = null;
        for (int t = 0; t < len; t++) {
            T write = ops.mul(ops.reshape(drive.get(t), b, hh, pp, 1), ops.reshape(bs.get(t), b, 1, 1, nn)); // Δ_t x_t B_tᵀ
            state = state == null ? write : ops.add(ops.mul(ops.reshape(decay.get(t), b, hh, 1, 1), state), write);
            ys.add(ops.reshape(ops.matmul(state, ops.reshape(cs.get(t), b, 1, nn, 1)), b, hh, pp));
        }
        return ops.stack(ys, 1);
    }

    /**
     * The SSD chunked form ({@code ssd_minimal_discrete}, mamba_ssm/modules/ssd_minimal.py lines 34–78), chunks of
     * {@code chunk} steps (a shorter last chunk allowed). With {@code a_t = Δ_t A} and {@code c_l} its cumulative
     * sum inside the chunk: the intra-chunk output {@code Σ_{s≤l} (C_l·B_s) e^{c_l − c_s} Δ_s x_s}, plus the
     * carried state read out as {@code e^{c_l} C_l·S}, and the state passed on
     * {@code S' = e^{c_last} S + Σ_s e^{c_last − c_s} Δ_s x_s B_sᵀ}.
     */
    public static <T> T chunked(TensorOps<T> ops, T x, T dt, T a, T bm, T cm, int chunk) {
        int[] s = ops.shape(x);
        int b = s[0];
        int len = s[1];
        int hh = s[2];
        int pp = s[3];
        int nn = ops.shape(bm)[2];
        T da = ops.transpose(ops.mul(dt, a), 1, 2);                                      // (B, H, L)
        T u = ops.transpose(ops.mul(x, ops.reshape(dt, b, len, hh, 1)), 1, 2);           // (B, H, L, P)
        List<T> outs = new ArrayList<>();
        T state = null;                                                                 // (B, H, P, N)
        for (int t0 = 0; t0 < len; t0 += chunk) {
            int t1 = Math.min(len, t0 + chunk);
            int q = t1 - t0;
            T dac = ops.slice(da, 2, t0, t1);                                            // (B, H, Q)
            T uc = ops.slice(u, 2, t0, t1);                                              // (B, H, Q, P)
            T bc = ops.reshape(ops.slice(bm, 1, t0, t1), b, 1, q, nn);
            T cc = ops.reshape(ops.slice(cm, 1, t0, t1), b, 1, q, nn);
            T cum = ops.matmul(dac, ops.constant(upper(q), q, q));                       // c_l = Σ_{s≤l} a_s
            T seg = ops.sub(ops.reshape(cum, b, hh, q, 1), ops.reshape(cum, b, hh, 1, q)); // c_l − c_s
            T lower = ops.constant(lowerMask(q, 1.0, 0.0), q, q);
            T decay = ops.exp(ops.add(ops.mul(seg, lower), ops.constant(lowerMask(q, 0.0, MASKED), q, q)));
            T scores = ops.mul(ops.matmul(cc, ops.transpose(bc, 2, 3)), decay);          // (B, H, Q, Q)
            T y = ops.matmul(scores, uc);                                                // (B, H, Q, P)
            if (state != null) {
                T read = ops.matmul(cc, ops.transpose(state, 2, 3));                     // (B, H, Q, P)
                y = ops.add(y, ops.mul(read, ops.reshape(ops.exp(cum), b, hh, q, 1)));
            }
            if (t1 < len) {
                T last = ops.slice(cum, 2, q - 1, q);                                    // (B, H, 1)
                T w = ops.exp(ops.sub(last, cum));                                       // e^{c_last − c_s}
                T add = ops.matmul(ops.transpose(ops.mul(uc, ops.reshape(w, b, hh, q, 1)), 2, 3), bc); // (B, H, P, N)
                state = state == null ? add : ops.add(ops.mul(state, ops.reshape(ops.exp(last), b, hh, 1, 1)), add);
            }
            outs.add(y);
        }
        T y = outs.size() == 1 ? outs.get(0) : ops.concat(outs, 2);
        return ops.transpose(y, 1, 2);                                                   // (B, L, H, P)
    }

    /** {@code U[s, l] = 1} for {@code s ≤ l}: {@code a U} is the inclusive cumulative sum. */
    private static double[] upper(int q) {
        double[] v = new double[q * q];
        for (int r = 0; r < q; r++) {
            for (int c = r; c < q; c++) {
                v[r * q + c] = 1.0;
            }
        }
        return v;
    }

    /** {@code in} on and below the diagonal ({@code s ≤ l}), {@code out} above. */
    private static double[] lowerMask(int q, double in, double out) {
        double[] v = new double[q * q];
        for (int l = 0; l < q; l++) {
            for (int c = 0; c < q; c++) {
                v[l * q + c] = c <= l ? in : out;
            }
        }
        return v;
    }
}
