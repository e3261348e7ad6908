package org.lincde.spi.model;

import org.lincde.spi.Rng;
import org.lincde.spi.Shapes;
import org.lincde.spi.TensorOps;

/**
 * Inverted dropout with masks drawn from the project's {@link Rng} (never a backend's generator), so
 * a training-mode forward pass gives the same numbers on every backend.
 */
public final class Dropout {
    private Dropout() {}

    /** {@code x} with each element zeroed with probability {@code p} and the rest scaled by {@code 1/(1−p)}. */
    public static <T> T apply(TensorOps<T> ops, T x, double p, Rng rng) {
        if (p == 0.0) {
            return x;
        }
        int[] shape = ops.shape(x);
        return ops.mul(x, ops.constant(mask(rng, p, Math.toIntExact(Shapes.size(shape))), shape));
    }

    /** The mask values: 0 with probability {@code p}, else {@code 1/(1−p)}. */
    public static double[] mask(Rng rng, double p, int n) {
        double keep = 1.0 / (1.0 - p);
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = rng.nextDouble() < p ? 0.0 : keep;
        }
        return m;
    }
}
