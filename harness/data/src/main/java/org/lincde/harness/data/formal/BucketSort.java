package org.lincde.harness.data.formal;

import java.util.Arrays;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code bucket_sort} (SPEC §3.2): the length is rounded up to even; {@code L/2} values uniform over
 * {@code 1..5} followed by {@code ACT→6}. Target {@code 0×(L/2) ‖ sorted(values)}, scored from the
 * ACT on. Vocabulary 7.
 */
public final class BucketSort extends NamedTask {
    /** Token of the answer trigger. */
    public static final int ACT = 6;

    public BucketSort() {
        super("bucket_sort", 7);
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        return preprocess(Examples.valuesThenTrigger(rng, length, 5, ACT));
    }

    /** The example for input {@code values ‖ ACT}, its target derived by sorting. */
    public TokenExample preprocess(int[] input) {
        Examples.checkTokens(name(), vocabSize(), input);
        int n = Examples.checkEndsWithTrigger(name(), input, ACT);
        int[] sorted = Arrays.copyOf(input, n);
        Arrays.sort(sorted);
        if (n > 0 && sorted[n - 1] == ACT) {
            throw new IllegalArgumentException(name() + ": ACT before the end of " + Arrays.toString(input));
        }
        int[] target = new int[2 * n];
        System.arraycopy(sorted, 0, target, n, n);
        return Examples.maskFrom(input, target, n);
    }
}
