package org.lincde.harness.data.uea;

import java.util.Arrays;
import org.lincde.spi.Rng;

/**
 * SPEC §3.5 step 3: a random permutation of the N cases, then the first {@code ⌊0.7N⌋} for
 * training, the next up to {@code ⌊0.85N⌋} for validation, the rest for testing. The bounds are
 * computed as the authors do, {@code int(N*0.7)} in double arithmetic (e.g. N = 236 gives
 * 165 / 35 / 36).
 *
 * <p>The permutation is a Fisher–Yates shuffle drawn from the given {@link Rng}: the same seed
 * gives the same split, but not the split JAX's {@code jr.permutation} would give for that
 * seed — JAX's random streams cannot be reproduced, so runs match the original in distribution,
 * not case by case.
 *
 * @param train      case indices for training, in permuted order
 * @param validation case indices for validation
 * @param test       case indices for testing
 */
public record RandomSplit(int[] train, int[] validation, int[] test) {

    /** Splits {@code 0..n−1} with a permutation drawn from {@code rng}. */
    public static RandomSplit of(int n, Rng rng) {
        if (n < 1) {
            throw new IllegalArgumentException("cannot split " + n + " cases");
        }
        int[] perm = rng.permutation(n);
        int bound1 = (int) (n * 0.7);
        int bound2 = (int) (n * 0.85);
        return new RandomSplit(Arrays.copyOfRange(perm, 0, bound1), Arrays.copyOfRange(perm, bound1, bound2),
                Arrays.copyOfRange(perm, bound2, n));
    }
}
