package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/**
 * R2's S4D recurrence ({@code S4Recurrence}, SPEC §2.4): a time-invariant diagonal complex SSM run by the
 * same selective-scan rule as S6 with input-independent {@code Δ, B, C}. Width {@code E}, {@code N}
 * complex states per channel:
 * <pre>
 *   Δ_d = softplus(exp(log_dt_d))                  log_dt (E) = log τ, τ = exp(U(log 1e−3, log 1e−1)) ≥ 1e−4
 *   A[d, n] = −exp(A_real_log) + i·A_imag          A_real_log (E, N) = log ½, A_imag (E, N) = π n, n = 1..N
 *   H_t = exp(Δ A) ⊙ H_{t−1} + Δ B x_t             B = B_re + i B_im (E, N)
 *   y_t = 2·Re(Σ_n C[·, n] H_t[·, n]) + D ⊙ x_t    C = C_re + i C_im (E, N), D (E) init 1
 * </pre>
 * [QUIRK] {@code Δ = softplus(exp(log_dt))} as R2 passes {@code exp(log_dt)} with {@code delta_softplus=True},
 * so {@code Δ ≈ log 2} at init, not {@code τ}. {@code B, C} use PyTorch's complex Xavier-normal init: total
 * variance {@code 2/(E+N)}, i.e. real and imaginary parts each {@code N(0, 1/(E+N))}. The complex parameters
 * are stored as separate real and imaginary tensors. When the backend offers its fused selective scan
 * (its fused paths are on) the layer takes the exact convolution form instead ({@link #convolution}) for
 * sequences of at most {@link #CONVOLUTION_MAX_LENGTH} steps.
 */
public final class S4dLayer implements SequenceLayer {
    /**
     * Longest sequence taken by the convolution form: its 0/1 spreading tensor has {@code L³} entries and the
     * Toeplitz matrices {@code E·L²}, so longer sequences run the recurrence.
     */
    public static final int CONVOLUTION_MAX_LENGTH = 64;

    private final int width;
    private final int stateDim;

    /**
     * @param width    {@code E}
     * @param stateDim {@code N}
     */
    public S4dLayer(int width, int stateDim) {
        if (width <= 0 || stateDim <= 0) {
            throw new IllegalArgumentException("S4D sizes must be positive: E = " + width + ", N = " + stateDim);
        }
        this.width = width;
        this.stateDim = stateDim;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.add(out, prefix + "log_dt", width);
        Params.add(out, prefix + "A_real_log", width, stateDim);
        Params.add(out, prefix + "A_imag", width, stateDim);
        for (String name : new String[] {"B_re", "B_im", "C_re", "C_im"}) {
            Params.add(out, prefix + name, width, stateDim);
        }
        Params.add(out, prefix + "D", width);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        Rng r = rng.stream(prefix + "log_dt");
        double[] logDt = new double[width];
        for (int d = 0; d < width; d++) {
            logDt[d] = StrictMath.log(Params.logUniformStep(r, S6Layer.DT_MIN, S6Layer.DT_MAX, S6Layer.DT_FLOOR));
        }
        Params.values(out, prefix + "log_dt", logDt, width);
        Params.constant(out, prefix + "A_real_log", StrictMath.log(0.5), width, stateDim);
        double[] imag = new double[width * stateDim];
        for (int d = 0; d < width; d++) {
            for (int n = 0; n < stateDim; n++) {
                imag[d * stateDim + n] = Math.PI * (n + 1);
            }
        }
        Params.values(out, prefix + "A_imag", imag, width, stateDim);
        double partStd = Math.sqrt(1.0 / (width + stateDim));
        for (String name : new String[] {"B_re", "B_im", "C_re", "C_im"}) {
            org.lincde.spi.model.Layers.initNormal(out, rng, prefix + name, partStd, width, stateDim);
        }
        Params.constant(out, prefix + "D", 1.0, width);
    }

    /** The discretised transition {@code exp(Δ A)} as {@code (E, N)} real and imaginary parts. */
    public <T> Complex<T> transition(TensorOps<T> ops, ParameterLookup<T> p) {
        T dt = ops.reshape(step(ops, p), width, 1);
        T re = ops.mul(dt, ops.neg(ops.exp(p.get("A_real_log"))));
        T im = ops.mul(dt, p.get("A_imag"));
        return Complex.exp(ops, new Complex<>(re, im));
    }

    /** The step {@code Δ = softplus(exp(log_dt))}, shape {@code (E)}. */
    public <T> T step(TensorOps<T> ops, ParameterLookup<T> p) {
        return ops.softplus(ops.exp(p.get("log_dt")));
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != width) {
            throw new IllegalArgumentException("S4D input must be (B, L, " + width + "), got "
                    + java.util.Arrays.toString(s));
        }
        int b = s[0];
        int len = s[1];
        if (len <= CONVOLUTION_MAX_LENGTH && ops.fusedSelectiveScan().isPresent()) {
            return ops.add(convolution(ops, p, x), ops.mul(x, p.get("D")));
        }
        Complex<T> a = Complex.reshape(ops, transition(ops, p), 1, 1, width, stateDim);
        T dx = ops.mul(ops.reshape(x, b, len, width, 1), ops.reshape(step(ops, p), width, 1)); // Δ x_t
        Complex<T> drive = Complex.scale(ops, new Complex<>(p.get("B_re"), p.get("B_im")), dx);
        Complex<T> h = DiagonalRecurrence.states(ops, a, drive, mode.evaluation());
        T re = ops.sub(ops.mul(h.re(), p.get("C_re")), ops.mul(h.im(), p.get("C_im")));  // Re(C H)
        T y = ops.scale(ops.sum(re, 3, false), 2.0);
        return ops.add(y, ops.mul(x, p.get("D")));
    }

    /**
     * The recurrence's outputs without the skip term by the exact convolution identity
     * (docs/models/selective-scan.md): {@code y_t = Σ_{s ≤ t} K[·, t−s] ⊙ x_s} with the kernel
     * {@code K[e, l] = 2·Re(Σ_n C[e, n]·Ā[e, n]^l·B[e, n]·Δ_e)}, {@code Ā = exp(Δ A)}, {@code Ā^l = exp(l Δ A)}.
     * {@code K} is spread into the per-channel Toeplitz matrices {@code T[e, t, s] = K[e, t−s]} ({@code t ≥ s},
     * else 0) by a product with a constant 0/1 tensor (each entry picks one value: exact), and applied as
     * one batched matrix product. Shapes: {@code x (B, L, E)} to {@code (B, L, E)}.
     */
    public <T> T convolution(TensorOps<T> ops, ParameterLookup<T> p, T x) {
        int[] s = ops.shape(x);
        int len = s[1];
        double[] lags = new double[len];
        for (int l = 0; l < len; l++) {
            lags[l] = l;
        }
        T lag = ops.constant(lags, 1, 1, len);
        T dt = step(ops, p);                                                             // (E)
        T dt2 = ops.reshape(dt, width, 1);
        T zr = ops.reshape(ops.mul(dt2, ops.neg(ops.exp(p.get("A_real_log")))), width, stateDim, 1);
        T zi = ops.reshape(ops.mul(dt2, p.get("A_imag")), width, stateDim, 1);
        T mag = ops.exp(ops.mul(zr, lag));                                               // |Ā^l|, (E, N, L)
        T phase = ops.mul(zi, lag);
        T pr = ops.mul(mag, ops.cos(phase));
        T pi = ops.mul(mag, ops.sin(phase));
        T br = p.get("B_re");
        T bi = p.get("B_im");
        T cr = p.get("C_re");
        T ci = p.get("C_im");
        T wr = ops.mul(ops.sub(ops.mul(cr, br), ops.mul(ci, bi)), dt2);                 // Re(C B Δ), (E, N)
        T wi = ops.mul(ops.add(ops.mul(cr, bi), ops.mul(ci, br)), dt2);                 // Im(C B Δ)
        T re = ops.sub(ops.mul(pr, ops.reshape(wr, width, stateDim, 1)), ops.mul(pi, ops.reshape(wi, width, stateDim, 1)));
        T k = ops.scale(ops.sum(re, 1, false), 2.0);                                     // K, (E, L)
        double[] pick = new double[len * len * len];
        for (int t = 0; t < len; t++) {
            for (int u = 0; u <= t; u++) {
                pick[(t - u) * len * len + t * len + u] = 1.0;
            }
        }
        T toeplitz = ops.reshape(ops.matmul(k, ops.constant(pick, len, len * len)), width, len, len);
        T y = ops.matmul(toeplitz, ops.transpose(x, 0, 2));                              // (E, L, B)
        return ops.transpose(y, 0, 2);
    }
}
