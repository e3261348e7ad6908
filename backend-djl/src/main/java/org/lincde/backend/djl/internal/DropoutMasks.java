package org.lincde.backend.djl.internal;

import org.lincde.spi.Rng;

/**
 * The dropout masks of {@link org.lincde.spi.model.Dropout#mask} for a fresh stream, computed in
 * parallel: element {@code i} of a fresh {@link Rng} stream is {@code nextDouble()} number {@code i},
 * whose two 32-bit halves are words {@code 2(i mod 2)} and {@code 2(i mod 2)+1} of the Philox4x32-10
 * block with counter {@code ⌊i/2⌋} under the stream's key. Counter-based generation makes every
 * element independent, so the rows split across threads give the very same mask (a test checks it
 * against {@code Dropout.mask} bit for bit).
 */
public final class DropoutMasks {
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    /** Elements per parallel chunk (even, so a chunk never splits a Philox block pair). */
    private static final int CHUNK = 1 << 14;

    private DropoutMasks() {}

    /** Mask values as floats: 0 with probability {@code p}, else {@code (float) 1/(1−p)}. */
    public static float[] floats(Rng fresh, double p, int n, KernelPool pool) {
        float[] out = new float[n];
        double keep = 1.0 / (1.0 - p);
        fill(fresh.key(), n, pool, (i, u) -> out[i] = u < p ? 0f : (float) keep);
        return out;
    }

    /** Mask values as doubles: 0 with probability {@code p}, else {@code 1/(1−p)}. */
    public static double[] doubles(Rng fresh, double p, int n, KernelPool pool) {
        double[] out = new double[n];
        double keep = 1.0 / (1.0 - p);
        fill(fresh.key(), n, pool, (i, u) -> out[i] = u < p ? 0.0 : keep);
        return out;
    }

    /** Receives uniform number {@code i}. */
    @FunctionalInterface
    private interface Sink {
        void accept(int i, double u);
    }

    private static void fill(long key, int n, KernelPool pool, Sink sink) {
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        int chunks = (n + CHUNK - 1) / CHUNK;
        pool.forRows(chunks, 4L * CHUNK, (from, to) -> {
            int[] block = new int[4];
            int end = (int) Math.min(n, (long) to * CHUNK);
            for (int i = from * CHUNK; i < end; i += 2) {
                long counter = i >>> 1;
                Rng.philox((int) counter, (int) (counter >>> 32), 0, 0, k0, k1, block);
                sink.accept(i, uniform(block[0], block[1]));
                if (i + 1 < end) {
                    sink.accept(i + 1, uniform(block[2], block[3]));
                }
            }
        });
    }

    private static double uniform(int hi, int lo) {
        long bits = ((hi & 0xFFFFFFFFL) << 32) | (lo & 0xFFFFFFFFL);
        return (bits >>> 11) * DOUBLE_UNIT;
    }
}
