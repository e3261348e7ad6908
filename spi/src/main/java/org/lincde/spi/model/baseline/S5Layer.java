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
 * The S5 layer (SPEC §2.6; R3 {@code models/S5.py} {@code S5Layer} with {@code C_init = lecun_normal},
 * {@code conj_sym}, {@code clip_eigs}, {@code zoh}), width {@code H}, {@code P = ssm_dim} states in
 * {@code J = ssm_blocks} blocks, {@code P/2} complex states kept:
 * <pre>
 *   Λ = min(Lambda_re, −1e−4) + i·Lambda_im                 Lambda_re, Lambda_im (P/2)
 *   Δ = exp(log_step)                                       log_step (P/2) ~ U(log 1e−3, log 1e−1)
 *   λ̄ = exp(ΛΔ),  B̄ = ((λ̄ − 1)/Λ) ⊙ B̃                       B̃ = B_re + i B_im (P/2, H)
 *   h_t = λ̄ ⊙ h_{t−1} + B̄ x_t
 *   y_t = 2·Re(C̃ h_t) + D ⊙ x_t                             C̃ = C_re + i C_im (H, P/2); D (H) ~ N(0, 1)
 * </pre>
 * Init (plain Java at init time): per block of size {@code b = P/J}, the kept eigenpairs {@code (Λ, V)} of
 * HiPPO-LegS's normal part ({@link HippoLegS}); {@code B̃ = V⁻¹B = V^H B} with a real {@code B (P, H)}
 * LeCun-normal (JAX fan-in {@code P}); {@code C̃ = C V} with a complex {@code C (H, P)} whose parts are
 * LeCun-normal with JAX's fan-in {@code P·H} for the shape {@code (H, P, 2)}. JAX stores {@code B̃, C̃} as
 * {@code (…, 2)} tensors; lincde stores the real and imaginary parts separately, both drawn from one stream
 * per authors' parameter ({@code B}, {@code C}).
 */
public final class S5Layer implements SequenceLayer {
    private static final double CLIP = -1e-4;

    private final int width;
    private final int stateDim;
    private final int blocks;

    /**
     * @param width    {@code H}
     * @param stateDim {@code P}
     * @param blocks   {@code J}; {@code P/J} must be even
     */
    public S5Layer(int width, int stateDim, int blocks) {
        if (width <= 0 || stateDim <= 0 || blocks <= 0 || stateDim % blocks != 0 || (stateDim / blocks) % 2 != 0) {
            throw new IllegalArgumentException("S5 needs H > 0 and P split into J blocks of even size, got H = "
                    + width + ", P = " + stateDim + ", J = " + blocks);
        }
        this.width = width;
        this.stateDim = stateDim;
        this.blocks = blocks;
    }

    @Override
    public int width() {
        return width;
    }

    private int kept() {
        return stateDim / 2;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.complexDiagonal(out, prefix, "Lambda_re", "Lambda_im", "log_step", kept(), width);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        int bs = stateDim / blocks;
        int half = bs / 2;
        int p2 = kept();
        HippoLegS.Eigen eig = HippoLegS.normalPartEigen(bs);
        double[] lre = new double[p2];
        double[] lim = new double[p2];
        for (int j = 0; j < blocks; j++) {
            System.arraycopy(eig.lambdaRe(), 0, lre, j * half, half);
            System.arraycopy(eig.lambdaIm(), 0, lim, j * half, half);
        }
        Params.values(out, prefix + "Lambda_re", lre, p2);
        Params.values(out, prefix + "Lambda_im", lim, p2);
        // B̃ = blockdiag(V^H) B, B real (P, H)
        double[] b = Params.lecunNormal(rng.stream(prefix + "B"), stateDim * width, stateDim);
        double[] bRe = new double[p2 * width];
        double[] bIm = new double[p2 * width];
        for (int j = 0; j < blocks; j++) {
            for (int r = 0; r < half; r++) {
                for (int h = 0; h < width; h++) {
                    double re = 0;
                    double im = 0;
                    for (int c = 0; c < bs; c++) {
                        double bv = b[(j * bs + c) * width + h];
                        re += eig.vRe()[c][r] * bv;
                        im -= eig.vIm()[c][r] * bv;
                    }
                    bRe[(j * half + r) * width + h] = re;
                    bIm[(j * half + r) * width + h] = im;
                }
            }
        }
        Params.values(out, prefix + "B_re", bRe, p2, width);
        Params.values(out, prefix + "B_im", bIm, p2, width);
        // C̃ = C blockdiag(V), C complex (H, P) from a (H, P, 2) draw
        double[] c2 = Params.lecunNormal(rng.stream(prefix + "C"), width * stateDim * 2, stateDim * width);
        double[] cRe = new double[width * p2];
        double[] cIm = new double[width * p2];
        for (int h = 0; h < width; h++) {
            for (int j = 0; j < blocks; j++) {
                for (int r = 0; r < half; r++) {
                    double re = 0;
                    double im = 0;
                    for (int c = 0; c < bs; c++) {
                        int at = (h * stateDim + j * bs + c) * 2;
                        double cr = c2[at];
                        double ci = c2[at + 1];
                        double vr = eig.vRe()[c][r];
                        double vi = eig.vIm()[c][r];
                        re += cr * vr - ci * vi;
                        im += cr * vi + ci * vr;
                    }
                    cRe[h * p2 + j * half + r] = re;
                    cIm[h * p2 + j * half + r] = im;
                }
            }
        }
        Params.values(out, prefix + "C_re", cRe, width, p2);
        Params.values(out, prefix + "C_im", cIm, width, p2);
        Layers.initNormal(out, rng, prefix + "D", 1.0, width);
        Params.uniform(out, rng, prefix + "log_step", StrictMath.log(S6Layer.DT_MIN), StrictMath.log(S6Layer.DT_MAX), p2);
    }

    /**
     * The zero-order-hold discretisation, each part of shape {@code (P/2)}.
     *
     * @param bar  {@code λ̄ = exp(ΛΔ)}
     * @param gain {@code (λ̄ − 1)/Λ}, the factor of {@code B̃} in {@code B̄}
     * @param <T>  the backend's tensor type
     */
    public record Zoh<T>(Complex<T> bar, Complex<T> gain) {}

    /** Zero-order hold of the clipped eigenvalues with the learnt steps. */
    public <T> Zoh<T> discretize(TensorOps<T> ops, ParameterLookup<T> p) {
        Complex<T> lambda = new Complex<>(Activations.minimum(ops, p.get("Lambda_re"), CLIP), p.get("Lambda_im"));
        T step = ops.exp(p.get("log_step"));
        Complex<T> bar = Complex.exp(ops, Complex.scale(ops, lambda, step));
        Complex<T> gain = Complex.div(ops, new Complex<>(ops.addScalar(bar.re(), -1.0), bar.im()), lambda);
        return new Zoh<>(bar, gain);
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != width) {
            throw new IllegalArgumentException("S5 input must be (B, L, " + width + "), got "
                    + java.util.Arrays.toString(s));
        }
        int p2 = kept();
        Zoh<T> zoh = discretize(ops, p);
        Complex<T> gain = Complex.reshape(ops, zoh.gain(), p2, 1);
        Complex<T> bBar = Complex.mul(ops, gain, new Complex<>(p.get("B_re"), p.get("B_im")));   // (P/2, H)
        Complex<T> drive = new Complex<>(Layers.linear(ops, x, bBar.re(), null), Layers.linear(ops, x, bBar.im(), null));
        Complex<T> h = DiagonalRecurrence.states(ops, Complex.reshape(ops, zoh.bar(), 1, 1, p2), drive, mode.evaluation());
        T re = ops.sub(Layers.linear(ops, h.re(), p.get("C_re"), null), Layers.linear(ops, h.im(), p.get("C_im"), null));
        return ops.add(ops.scale(re, 2.0), ops.mul(x, p.get("D")));
    }
}
