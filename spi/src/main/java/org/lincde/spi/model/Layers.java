package org.lincde.spi.model;

import java.util.List;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/** Small building blocks shared by the model graphs. */
public final class Layers {
    private Layers() {}

    /**
     * {@code x Wᵀ + b} for a PyTorch-layout weight {@code (out, in)}; {@code x} is {@code (..., in)}.
     * {@code bias} may be null.
     */
    public static <T> T linear(TensorOps<T> ops, T x, T weight, T bias) {
        int[] xs = ops.shape(x);
        T wt = ops.transpose(weight, 0, 1);
        T y;
        if (xs.length == 1) {
            y = ops.reshape(ops.matmul(ops.reshape(x, 1, xs[0]), wt), ops.shape(weight)[0]);
        } else {
            y = ops.matmul(x, wt);
        }
        return bias == null ? y : ops.add(y, bias);
    }

    /** {@code linear} with {@code prefix.weight} / {@code prefix.bias}. */
    public static <T> T linear(TensorOps<T> ops, ParameterLookup<T> p, String prefix, T x) {
        return linear(ops, x, p.get(prefix + ".weight"), p.get(prefix + ".bias"));
    }

    /** Declared shapes of a PyTorch {@code nn.Linear(in, out)} named {@code prefix}. */
    public static List<ParameterShape> linearShapes(String prefix, int in, int out, boolean bias) {
        ParameterShape w = new ParameterShape(prefix + ".weight", new int[] {out, in}, ParameterSet.Role.TRAINABLE);
        if (!bias) {
            return List.of(w);
        }
        return List.of(w, new ParameterShape(prefix + ".bias", new int[] {out}, ParameterSet.Role.TRAINABLE));
    }

    /**
     * PyTorch-default {@code nn.Linear} init: weight and bias each {@code U(−1/√in, 1/√in)}, drawn from
     * {@code rng.stream(name)}.
     */
    public static void initLinear(ParameterSet out, Rng rng, String prefix, int in, int out2, boolean bias) {
        double bound = 1.0 / Math.sqrt(in);
        double[] w = new double[out2 * in];
        rng.stream(prefix + ".weight").fillUniform(w, -bound, bound);
        out.put(prefix + ".weight", HostTensor.of(w, out2, in));
        if (bias) {
            double[] b = new double[out2];
            rng.stream(prefix + ".bias").fillUniform(b, -bound, bound);
            out.put(prefix + ".bias", HostTensor.of(b, out2));
        }
    }

    /** {@code N(0, std²)} values for {@code name}, from {@code rng.stream(name)}. */
    public static void initNormal(ParameterSet out, Rng rng, String name, double std, int... shape) {
        double[] v = new double[Math.toIntExact(org.lincde.spi.Shapes.size(shape))];
        rng.stream(name).fillNormal(v, 0.0, std);
        out.put(name, HostTensor.of(v, shape));
    }

    /** LayerNorm gain 1, bias 0 ({@code prefix.weight}, {@code prefix.bias}). */
    public static void initLayerNorm(ParameterSet out, String prefix, int dim) {
        double[] ones = new double[dim];
        java.util.Arrays.fill(ones, 1.0);
        out.put(prefix + ".weight", HostTensor.of(ones, dim));
        out.put(prefix + ".bias", HostTensor.of(new double[dim], dim));
    }

    /** Frobenius norm {@code sqrt(Σ w²)} of a tensor (a scalar). */
    public static <T> T frobenius(TensorOps<T> ops, T w) {
        return ops.sqrt(ops.sumAll(ops.square(w)));
    }
}
