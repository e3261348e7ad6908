package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * The string-to-string tasks over {@code {1, 2}} with an answer trigger (SPEC §3.2):
 * the length is rounded up to even, a string {@code s} of {@code L/2} symbols uniform over
 * {@code {1, 2}} is followed by {@code ACT→3}; the target has length {@code L} and the mask runs
 * from the {@code ACT} position {@code L/2} to the end. Vocabulary 4.
 */
public abstract class StringTransduction extends NamedTask {
    /** Token of the answer trigger. */
    public static final int ACT = 3;

    protected StringTransduction(String name) {
        super(name, 4);
    }

    /** The target of length {@code 2·|s|} for string {@code s}. */
    public abstract int[] target(int[] s);

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        return preprocess(Examples.valuesThenTrigger(rng, length, 2, ACT));
    }

    /** The example for input {@code s ‖ ACT} with its target derived from {@code s}. */
    public TokenExample preprocess(int[] input) {
        Examples.checkTokens(name(), vocabSize(), input);
        int n = Examples.checkEndsWithTrigger(name(), input, ACT);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            if (input[i] == ACT) {
                throw new IllegalArgumentException(name() + ": ACT at position " + i + " before the end");
            }
            s[i] = input[i];
        }
        return Examples.maskFrom(input, target(s), n);
    }
}
