package org.lincde.spi.model.baseline;

import java.util.List;
import java.util.Optional;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * The selective SSM "S6" (SPEC §2.2; R2 {@code MambaRecurrence}, R3 {@code S6Layer}, the core of
 * {@code mamba_ssm.Mamba}). With width {@code E}, state size {@code N} and {@code R = ⌈D/16⌉}
 * ({@code D} the model width):
 * <pre>
 *   [δ_t; B_t; C_t] = Wx x_t                      x_proj.weight (R+2N, E), no bias
 *   Δ_t = softplus(Wdt δ_t + bdt)                 dt_proj.weight (E, R) ~ U(±R^{-1/2}), dt_proj.bias
 *   A = −exp(A_log),  A_log[d, n] = log n         A_log (E, N)
 *   H_t = exp(Δ_t A) ⊙ H_{t−1} + Δ_t B_t x_t      (H_0 = 0)
 *   y_t = Σ_n C_t[n] H_t[·, n] + D ⊙ x_t          D (E), init 1
 * </pre>
 * {@code dt_proj.bias} is the inverse softplus of {@code τ = exp(U(log 1e−3, log 1e−1))} clamped at 1e−4,
 * so {@code softplus(bias) ∈ [1e−3, 1e−1]} at init. The recurrence runs recurrently or as a scan
 * ({@link DiagonalRecurrence}), or, when the backend offers one, in its fused selective scan
 * ({@link TensorOps#fusedSelectiveScan}; docs/models/selective-scan.md), which gives the same values.
 */
public final class S6Layer implements SequenceLayer {
    /** Mamba's {@code dt_min}, {@code dt_max}, {@code dt_init_floor}. */
    static final double DT_MIN = 1e-3;
    static final double DT_MAX = 1e-1;
    static final double DT_FLOOR = 1e-4;

    private final int width;
    private final int stateDim;
    private final int dtRank;

    /**
     * @param width    {@code E}, the width the scan runs at
     * @param stateDim {@code N}
     * @param modelDim {@code D}, which sets {@code R = ⌈D/16⌉} (for the v1 block {@code D ≠ E})
     */
    public S6Layer(int width, int stateDim, int modelDim) {
        if (width <= 0 || stateDim <= 0 || modelDim <= 0) {
            throw new IllegalArgumentException("S6 sizes must be positive: E = " + width + ", N = " + stateDim
                    + ", D = " + modelDim);
        }
        this.width = width;
        this.stateDim = stateDim;
        this.dtRank = (modelDim + 15) / 16;
    }

    @Override
    public int width() {
        return width;
    }

    /** {@code R = ⌈D/16⌉}. */
    public int dtRank() {
        return dtRank;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.linear(out, prefix + "x_proj", width, dtRank + 2 * stateDim, false);
        Params.linear(out, prefix + "dt_proj", dtRank, width, true);
        Params.add(out, prefix + "A_log", width, stateDim);
        Params.add(out, prefix + "D", width);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        Layers.initLinear(out, rng, prefix + "x_proj", width, dtRank + 2 * stateDim, false);
        double std = 1.0 / Math.sqrt(dtRank);
        Params.uniform(out, rng, prefix + "dt_proj.weight", -std, std, width, dtRank);
        Rng r = rng.stream(prefix + "dt_proj.bias");
        double[] bias = new double[width];
        for (int d = 0; d < width; d++) {
            double tau = Params.logUniformStep(r, DT_MIN, DT_MAX, DT_FLOOR);
            bias[d] = tau + StrictMath.log(-StrictMath.expm1(-tau)); // inverse softplus
        }
        Params.values(out, prefix + "dt_proj.bias", bias, width);
        double[] alog = new double[width * stateDim];
        for (int d = 0; d < width; d++) {
            for (int n = 0; n < stateDim; n++) {
                alog[d * stateDim + n] = StrictMath.log(n + 1.0);
            }
        }
        Params.values(out, prefix + "A_log", alog, width, stateDim);
        Params.constant(out, prefix + "D", 1.0, width);
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        checkInput(ops, x);
        Optional<SelectiveScanKernel<T>> fused = ops.fusedSelectiveScan();
        // the same values; where the backend's backward phases may cut (docs/models/selective-scan.md §1)
        return forwardInner(ops, p, fused.isPresent() ? fused.get().layerInput(x) : x, mode);
    }

    /** {@link #forward} inside a larger layer (the Mamba v1 block), whose own input is the place to cut. */
    <T> T forwardInner(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        return forwardInner(ops, p, x, null, mode);
    }

    /**
     * {@code S6(x)}, times {@code SiLU(z)} when {@code z} is not null (the Mamba v1 block's gate); a backend's fused
     * scan may take the skip and the gate into its kernel ({@link SelectiveScanKernel#fusesSkipAndGate}).
     */
    <T> T forwardInner(TensorOps<T> ops, ParameterLookup<T> p, T x, T z, ForwardMode mode) {
        int[] s = checkInput(ops, x);
        int b = s[0];
        int len = s[1];
        int n = stateDim;
        Optional<SelectiveScanKernel<T>> fused = ops.fusedSelectiveScan();
        if (z == null && fused.isPresent() && fused.get().fusesMambaMixer()) {
            // the whole layer as one op (docs/models/selective-scan.md §1)
            return fused.get().s6Layer(x, p.get("x_proj.weight"), p.get("dt_proj.weight"), p.get("dt_proj.bias"),
                    ops.neg(ops.exp(p.get("A_log"))), p.get("D"));
        }
        T xdbl = Layers.linear(ops, x, p.get("x_proj.weight"), null);                  // (B, L, R+2N)
        T delta = ops.slice(xdbl, 2, 0, dtRank);
        T dt = ops.softplus(Layers.linear(ops, delta, p.get("dt_proj.weight"), p.get("dt_proj.bias"))); // (B, L, E)
        T a = ops.neg(ops.exp(p.get("A_log")));                                          // (E, N)
        if (fused.isPresent()) {
            // the same scan without the (B, L, E, N) intermediates (docs/models/selective-scan.md)
            T bs = ops.slice(xdbl, 2, dtRank, dtRank + n);
            T cs = ops.slice(xdbl, 2, dtRank + n, dtRank + 2 * n);
            if (fused.get().fusesSkipAndGate()) {
                return fused.get().outputs(x, dt, a, bs, cs, p.get("D"), z);
            }
            return gate(ops, ops.add(fused.get().outputs(x, dt, a, bs, cs), ops.mul(x, p.get("D"))), z);
        }
        T bt = ops.reshape(ops.slice(xdbl, 2, dtRank, dtRank + n), b, len, 1, n);
        T ct = ops.reshape(ops.slice(xdbl, 2, dtRank + n, dtRank + 2 * n), b, len, 1, n);
        T dt4 = ops.reshape(dt, b, len, width, 1);
        T decay = ops.exp(ops.mul(dt4, a));                                              // (B, L, E, N)
        T drive = ops.mul(ops.mul(dt4, ops.reshape(x, b, len, width, 1)), bt);           // Δ_t B_t x_t
        T h = DiagonalRecurrence.states(ops, decay, drive, mode.evaluation());
        T y = ops.sum(ops.mul(h, ct), 3, false);                                         // Σ_n C_t[n] H_t[·, n]
        return gate(ops, ops.add(y, ops.mul(x, p.get("D"))), z);
    }

    private static <T> T gate(TensorOps<T> ops, T y, T z) {
        return z == null ? y : ops.mul(y, ops.silu(z));
    }

    private <T> int[] checkInput(TensorOps<T> ops, T x) {
        int[] s = ops.shape(x);
        if (s.length != 3 || s[2] != width) {
            throw new IllegalArgumentException("S6 input must be (B, L, " + width + "), got "
                    + java.util.Arrays.toString(s));
        }
        return s;
    }
}
