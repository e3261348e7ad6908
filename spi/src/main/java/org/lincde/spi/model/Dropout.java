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
        int[] draws = draws(rng, Math.toIntExact(Shapes.size(shape)));
        return ops.mul(x, ops.dropoutMask(draws, threshold(p), 1.0 / (1.0 - p), shape));
    }

    /**
     * The mask values: 0 with probability {@code p}, else {@code 1/(1−p)}. One 32-bit draw per element
     * ({@link Rng#fillInt32}, counter-indexed, so the fill is parallel and thread-count independent):
     * element i is dropped when its draw, read as unsigned, is below {@code round(p·2³²)}.
     */
    public static double[] mask(Rng rng, double p, int n) {
        double keep = 1.0 / (1.0 - p);
        long threshold = threshold(p);
        int[] draws = new int[n];
        rng.fillInt32(draws);
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = dropped(draws[i], threshold) ? 0.0 : keep;
        }
        return m;
    }

    /**
     * The draws behind {@link #mask}: for backends that build the mask in their own memory. Element
     * {@code i} is {@code dropped(draws[i], threshold(p)) ? 0 : 1/(1−p)}.
     */
    public static int[] draws(Rng rng, int n) {
        int[] draws = new int[n];
        rng.fillInt32(draws);
        return draws;
    }

    /** The unsigned 32-bit value below which a draw drops its element: {@code round(p·2³²)}. */
    public static long threshold(double p) {
        return Math.round(p * 0x1p32);
    }

    /** Whether {@code draw} (read as unsigned) drops its element under {@code threshold}. */
    public static boolean dropped(int draw, long threshold) {
        return (draw & 0xFFFFFFFFL) < threshold;
    }
}
