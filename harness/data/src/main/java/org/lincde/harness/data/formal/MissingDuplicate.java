package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code missing_duplicate} (SPEC §3.2): the length is rounded up to even; a string {@code s} of
 * {@code L/2} symbols uniform over {@code {1, 2}}; the input is {@code s ‖ s'} where {@code s'} is
 * {@code s} with one uniformly chosen position replaced by the marker {@code 3}. Target: the
 * replaced symbol at the marker's position only. Vocabulary 4.
 */
public final class MissingDuplicate extends NamedTask {
    /** Token replacing the missing symbol. */
    public static final int MARKER = 3;

    public MissingDuplicate() {
        super("missing_duplicate", 4);
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int n = Examples.roundUpToEven(length) / 2;
        int[] input = new int[2 * n];
        for (int i = 0; i < n; i++) {
            input[i] = 1 + rng.nextInt(2);
            input[n + i] = input[i];
        }
        int hidden = rng.nextInt(n);
        int missing = input[n + hidden];
        input[n + hidden] = MARKER;
        return preprocess(input, missing);
    }

    /** R1's {@code preprocess_data}: the input with one marker and the missing symbol (not recomputed). */
    public TokenExample preprocess(int[] input, int missing) {
        Examples.checkTokens(name(), vocabSize(), input);
        Examples.checkLabel(name(), vocabSize(), missing);
        int at = -1;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == MARKER) {
                if (at >= 0) {
                    throw new IllegalArgumentException(name() + ": marker " + MARKER + " at positions " + at + " and "
                            + i + "; expected exactly one");
                }
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException(name() + ": no marker " + MARKER + " in the input");
        }
        int[] target = new int[input.length];
        boolean[] mask = new boolean[input.length];
        target[at] = missing;
        mask[at] = true;
        return new TokenExample(input, target, mask);
    }
}
