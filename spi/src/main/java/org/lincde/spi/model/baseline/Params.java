package org.lincde.spi.model.baseline;

import java.util.Arrays;
import java.util.List;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Shapes;
import org.lincde.spi.model.Layers;

/** Declaration and initialisation helpers shared by the baseline layers; every draw uses {@code rng.stream(name)}. */
final class Params {
    private Params() {}

    static void add(List<ParameterShape> out, String name, int... shape) {
        out.add(new ParameterShape(name, shape.clone(), ParameterSet.Role.TRAINABLE));
    }

    /**
     * The parameters of a complex diagonal SSM (R3's LRU and S5) over {@code n} states and {@code h} channels, in
     * R3's order: the eigenvalue pair {@code eigenRe}, {@code eigenIm} ({@code n}), {@code B_re}, {@code B_im}
     * ({@code n×h}), {@code C_re}, {@code C_im} ({@code h×n}), {@code D} ({@code h}), then {@code scale} ({@code n}).
     */
    static void complexDiagonal(List<ParameterShape> out, String prefix, String eigenRe, String eigenIm,
                                String scale, int n, int h) {
        add(out, prefix + eigenRe, n);
        add(out, prefix + eigenIm, n);
        add(out, prefix + "B_re", n, h);
        add(out, prefix + "B_im", n, h);
        add(out, prefix + "C_re", h, n);
        add(out, prefix + "C_im", h, n);
        add(out, prefix + "D", h);
        add(out, prefix + scale, n);
    }

    /** A PyTorch {@code nn.Linear(in, out)} named {@code prefix} ({@code prefix.weight}, {@code prefix.bias}). */
    static void linear(List<ParameterShape> out, String prefix, int in, int outDim, boolean bias) {
        out.addAll(Layers.linearShapes(prefix, in, outDim, bias));
    }

    static void layerNorm(List<ParameterShape> out, String prefix, int dim) {
        add(out, prefix + ".weight", dim);
        add(out, prefix + ".bias", dim);
    }

    static int size(int... shape) {
        return Math.toIntExact(Shapes.size(shape));
    }

    /** {@code U(lo, hi)} values from {@code rng.stream(name)}. */
    static void uniform(ParameterSet p, Rng rng, String name, double lo, double hi, int... shape) {
        double[] v = new double[size(shape)];
        rng.stream(name).fillUniform(v, lo, hi);
        p.put(name, HostTensor.of(v, shape));
    }

    /** A constant-filled parameter (no randomness). */
    static void constant(ParameterSet p, String name, double value, int... shape) {
        double[] v = new double[size(shape)];
        Arrays.fill(v, value);
        p.put(name, HostTensor.of(v, shape));
    }

    static void values(ParameterSet p, String name, double[] v, int... shape) {
        p.put(name, HostTensor.of(v, shape));
    }

    /** A uniform draw strictly inside {@code (0, 1)} (rejecting an exact 0), for logarithms of draws. */
    static double openUniform(Rng r) {
        double u;
        do {
            u = r.nextDouble();
        } while (u == 0.0);
        return u;
    }

    /**
     * Mamba's {@code dt} initialisation (SPEC §2.2): {@code τ = exp(U(log dtMin, log dtMax))}, clamped to
     * {@code ≥ floor}. Returns {@code τ}.
     */
    static double logUniformStep(Rng r, double dtMin, double dtMax, double floor) {
        double lo = StrictMath.log(dtMin);
        double hi = StrictMath.log(dtMax);
        return Math.max(StrictMath.exp(lo + (hi - lo) * r.nextDouble()), floor);
    }

    /**
     * JAX's {@code lecun_normal()}: a normal truncated to ±2 standard units, scaled by
     * {@code sqrt(1/fanIn) / 0.87962566103423978} so the result has variance {@code 1/fanIn}.
     */
    static double[] lecunNormal(Rng r, int n, int fanIn) {
        double std = Math.sqrt(1.0 / fanIn) / 0.87962566103423978;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double z;
            do {
                z = r.nextNormal();
            } while (Math.abs(z) >= 2.0);
            v[i] = std * z;
        }
        return v;
    }
}
