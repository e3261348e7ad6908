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
 * The Linear Recurrent Unit (SPEC §2.5; R3 {@code models/LRU.py} {@code LRULayer}), width {@code H},
 * {@code N} complex states, names as the Equinox fields:
 * <pre>
 *   λ_n = exp(−exp(ν_n) + i·exp(θ_n))           nu_log, theta_log (N)
 *   γ_n = exp(gamma_log_n)                       gamma_log (N) = log √(1 − |λ_n|²) at init
 *   h_t = λ ⊙ h_{t−1} + γ ⊙ (B x_t)              B = B_re + i B_im (N, H), entries N(0, 1/(2H))
 *   y_t = Re(C h_t) + D ⊙ x_t                    C = C_re + i C_im (H, N), entries N(0, 1/N); D (H) ~ N(0, 1)
 * </pre>
 * Init: {@code ν = log(−½ log(u₁(r_max² − r_min²) + r_min²))}, {@code θ = log(max_phase·u₂)},
 * {@code u₁, u₂ ~ U(0, 1)}.
 */
public final class LruLayer implements SequenceLayer {
    private final int width;
    private final int stateDim;
    private final double rMin;
    private final double rMax;
    private final double maxPhase;

    /**
     * @param width    {@code H}
     * @param stateDim {@code N}
     * @param rMin     {@code r_min}
     * @param rMax     {@code r_max}
     * @param maxPhase {@code max_phase}
     */
    public LruLayer(int width, int stateDim, double rMin, double rMax, double maxPhase) {
        if (width <= 0 || stateDim <= 0) {
            throw new IllegalArgumentException("LRU sizes must be positive: H = " + width + ", N = " + stateDim);
        }
        this.width = width;
        this.stateDim = stateDim;
        this.rMin = rMin;
        this.rMax = rMax;
        this.maxPhase = maxPhase;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.complexDiagonal(out, prefix, "nu_log", "theta_log", "gamma_log", stateDim, width);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        Rng r1 = rng.stream(prefix + "nu_log");
        Rng r2 = rng.stream(prefix + "theta_log");
        double[] nu = new double[stateDim];
        double[] theta = new double[stateDim];
        double[] gamma = new double[stateDim];
        for (int n = 0; n < stateDim; n++) {
            double u1 = Params.openUniform(r1);
            double u2 = Params.openUniform(r2);
            nu[n] = StrictMath.log(-0.5 * StrictMath.log(u1 * (rMax * rMax - rMin * rMin) + rMin * rMin));
            theta[n] = StrictMath.log(maxPhase * u2);
            double modulus = StrictMath.exp(-StrictMath.exp(nu[n]));
            gamma[n] = StrictMath.log(StrictMath.sqrt(1.0 - modulus * modulus));
        }
        Params.values(out, prefix + "nu_log", nu, stateDim);
        Params.values(out, prefix + "theta_log", theta, stateDim);
        Layers.initNormal(out, rng, prefix + "B_re", 1.0 / Math.sqrt(2.0 * width), stateDim, width);
        Layers.initNormal(out, rng, prefix + "B_im", 1.0 / Math.sqrt(2.0 * width), stateDim, width);
        Layers.initNormal(out, rng, prefix + "C_re", 1.0 / Math.sqrt(stateDim), width, stateDim);
        Layers.initNormal(out, rng, prefix + "C_im", 1.0 / Math.sqrt(stateDim), width, stateDim);
        Layers.initNormal(out, rng, prefix + "D", 1.0, width);
        Params.values(out, prefix + "gamma_log", gamma, stateDim);
    }

    /** The eigenvalues {@code λ}, shape {@code (N)}. */
    public <T> Complex<T> lambda(TensorOps<T> ops, ParameterLookup<T> p) {
        T re = ops.neg(ops.exp(p.get("nu_log")));
        return Complex.exp(ops, new Complex<>(re, ops.exp(p.get("theta_log"))));
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != width) {
            throw new IllegalArgumentException("LRU input must be (B, L, " + width + "), got "
                    + java.util.Arrays.toString(s));
        }
        Complex<T> a = Complex.reshape(ops, lambda(ops, p), 1, 1, stateDim);
        T g = ops.reshape(ops.exp(p.get("gamma_log")), stateDim, 1);
        T bu = Layers.linear(ops, x, ops.mul(p.get("B_re"), g), null);                       // (B, L, N)
        T bv = Layers.linear(ops, x, ops.mul(p.get("B_im"), g), null);
        Complex<T> h = DiagonalRecurrence.states(ops, a, new Complex<>(bu, bv), mode.evaluation());
        T y = ops.sub(Layers.linear(ops, h.re(), p.get("C_re"), null), Layers.linear(ops, h.im(), p.get("C_im"), null));
        return ops.add(y, ops.mul(x, p.get("D")));
    }
}
