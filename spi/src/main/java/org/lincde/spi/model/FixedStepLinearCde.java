package org.lincde.spi.model;

import java.util.ArrayList;
import java.util.List;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/**
 * R2's JAX {@code LinearCDE} with its fixed-step scan solver (SPEC §1.4), parameter names as the
 * Equinox module's fields:
 * <pre>
 *   init_matrix M0 (h×d), init_bias m0 (h)       N(0,1)          y_0 = M0 X_0 + m0
 *   vf_A        A  (h×dω×h)                      N(0,1)/√h       channel j: A_j[p,q] = A[p,j,q]
 *   vf_B        Bξ (h×dξ)                        N(0,1)
 *   ω_k = ξ_k = [t_k, X_k],  t_k = k/(L−1),  dω = dξ = d + 1
 *   y_k = y_{k−1} + (1/L)·( Σ_j ω_k^j A_j y_{k−1} + Bξ ξ_k ),   k = 1 … L−1                 (3)
 * </pre>
 * [QUIRK] (3) multiplies the vector field by the path's <em>values</em> {@code ω_k}, not its
 * increments, and scales by {@code 1/L}, not {@code 1/(L−1)}: an Euler scheme for the integrated path
 * {@code ∫[t, X] ds} rather than for the CDE driven by {@code [t, X]}. This class reproduces it as
 * written (the published A5 runs used it). The token at position 0 enters through {@code y_0}; every
 * position of the input is treated as real (R2 never pads).
 *
 * <p>Output: all states {@code [y_0, …, y_{L−1}]}, shape {@code (B, L, h)}. Each step costs one
 * {@code (B, h)·(h, h·dω)} product (memory {@code B·h·dω}); the additive term {@code Bξ ξ_k} is
 * computed for all steps at once.
 */
public final class FixedStepLinearCde {
    private final int hidden;
    private final int input;

    /**
     * @param hidden state size {@code h}
     * @param input  input channels {@code d} (for A5, {@code d = h}: the embedding)
     */
    public FixedStepLinearCde(int hidden, int input) {
        if (hidden < 1 || input < 1) {
            throw new IllegalArgumentException("hidden and input sizes must be >= 1, got " + hidden + " and " + input);
        }
        this.hidden = hidden;
        this.input = input;
    }

    /** State size {@code h}. */
    public int hidden() {
        return hidden;
    }

    /** Path channels {@code dω = dξ = d + 1} (time first). */
    public int pathDim() {
        return input + 1;
    }

    /** Declared parameters, relative names. */
    public List<ParameterShape> parameters() {
        int h = hidden;
        int w = pathDim();
        List<ParameterShape> s = new ArrayList<>();
        s.add(new ParameterShape("init_matrix", new int[] {h, input}, ParameterSet.Role.TRAINABLE));
        s.add(new ParameterShape("init_bias", new int[] {h}, ParameterSet.Role.TRAINABLE));
        s.add(new ParameterShape("vf_A", new int[] {h, w, h}, ParameterSet.Role.TRAINABLE));
        s.add(new ParameterShape("vf_B", new int[] {h, w}, ParameterSet.Role.TRAINABLE));
        return s;
    }

    /**
     * R2's initialisation (SPEC §1.4): {@code M0, m0, Bξ ~ N(0,1)}, {@code A ~ N(0,1)/√h}; each from
     * {@code rng.stream(name)}. Relative names.
     */
    public ParameterSet initialize(Rng rng) {
        int h = hidden;
        int w = pathDim();
        ParameterSet p = new ParameterSet();
        Layers.initNormal(p, rng, "init_matrix", 1.0, h, input);
        Layers.initNormal(p, rng, "init_bias", 1.0, h);
        double[] a = new double[h * w * h];
        rng.stream("vf_A").fillNormal(a, 0.0, 1.0 / Math.sqrt(h));
        p.put("vf_A", HostTensor.of(a, h, w, h));
        Layers.initNormal(p, rng, "vf_B", 1.0, h, w);
        return p;
    }

    /** The time channel {@code t_k = k/(L−1)} ({@code linspace(0, 1, L)}; {@code [0]} when {@code L = 1}). */
    static double time(int k, int length) {
        return length == 1 ? 0.0 : (double) k / (length - 1);
    }

    /**
     * All states for input {@code x} of shape {@code (B, L, d)}; parameters are looked up by relative
     * name in {@code p}.
     */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x) {
        int[] xs = ops.shape(x);
        if (xs.length != 3 || xs[2] != input) {
            throw new IllegalArgumentException("Linear CDE input must have shape (B, L, " + input + "), got "
                    + java.util.Arrays.toString(xs));
        }
        int b = xs[0];
        int len = xs[1];
        int h = hidden;
        int w = pathDim();
        if (len < 1) {
            throw new IllegalArgumentException("Linear CDE input needs at least one step, got length 0");
        }
        // the path [t_k, X_k] for every step at once: (B, L, d + 1)
        double[] t = new double[b * len];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < len; k++) {
                t[i * len + k] = time(k, len);
            }
        }
        T path = ops.concat(List.of(ops.constant(t, b, len, 1), x), 2);
        List<T> omega = ops.unstack(path, 1); // L × (B, d + 1)
        List<T> xi = ops.unstack(Layers.linear(ops, path, p.get("vf_B"), null), 1); // L × (B, h): Bξ ξ_k
        T x0 = ops.reshape(ops.slice(x, 1, 0, 1), b, input);
        T y = Layers.linear(ops, x0, p.get("init_matrix"), p.get("init_bias")); // y_0 = M0 X_0 + m0: (B, h)
        // A as (h·dω, h): row p·dω + j holds A_j[p, ·]; y·Aᵀ gives (A_j y)_p at column p·dω + j
        T aRows = ops.reshape(p.get("vf_A"), h * w, h);
        double dt = 1.0 / len;
        List<T> states = new ArrayList<>(len);
        states.add(y);
        for (int k = 1; k < len; k++) {
            T ay = ops.reshape(Layers.linear(ops, y, aRows, null), b, h, w);              // (B, h, dω)
            T field = ops.sum(ops.mul(ay, ops.reshape(omega.get(k), b, 1, w)), 2, false); // Σ_j ω_k^j A_j y
            y = ops.add(y, ops.scale(ops.add(field, xi.get(k)), dt));
            states.add(y);
        }
        return ops.stack(states, 1);
    }
}
