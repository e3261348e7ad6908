package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code mod_arith_no_brack} (SPEC §3.2, regular): an expression over digits 0..4 without brackets.
 * The length is rounded up to even ({@code L := L+1} if odd); even positions {@code 0, 2, …, L−2}
 * hold digits {@code 5+v}, {@code v ∈ U{0..4}}; odd positions {@code 1, 3, …, L−3} hold operators
 * uniform over {@code +→1, −→2, ×→3}; the last position holds {@code =→4}. Label at the last
 * position: {@code 5 + (value mod 5)}, evaluated with × before + and −, left to right, non-negative
 * modulo. Vocabulary 10.
 */
public final class ModularArithmetic extends NamedTask {
    /** Token of {@code +}. */
    public static final int PLUS = 1;
    /** Token of {@code −}. */
    public static final int MINUS = 2;
    /** Token of {@code ×}. */
    public static final int TIMES = 3;
    /** Token of {@code =}. */
    public static final int EQUALS = 4;
    /** Token of digit 0; digit {@code v} is {@code DIGIT_0 + v}. */
    public static final int DIGIT_0 = 5;

    public ModularArithmetic() {
        super("mod_arith_no_brack", 10);
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int n = Examples.roundUpToEven(length);
        int[] tokens = new int[n];
        for (int i = 0; i < n; i += 2) {
            tokens[i] = DIGIT_0 + rng.nextInt(5);
        }
        for (int i = 1; i < n - 1; i += 2) {
            tokens[i] = 1 + rng.nextInt(3);
        }
        tokens[n - 1] = EQUALS;
        return Examples.labelAtLastPosition(tokens, DIGIT_0 + value(tokens));
    }

    /**
     * The value mod 5 of {@code digit op digit … digit =} (the last token is ignored): products are
     * resolved first, then sums and differences left to right, as in R1.
     */
    public static int value(int[] tokens) {
        int total = 0;
        int term = tokens[0] - DIGIT_0;
        int sign = 1;
        for (int i = 1; i + 1 < tokens.length - 1; i += 2) {
            int digit = tokens[i + 1] - DIGIT_0;
            if (tokens[i] == TIMES) {
                term = term * digit % 5;
            } else {
                total = Math.floorMod(total + sign * term, 5);
                term = digit;
                sign = tokens[i] == PLUS ? 1 : -1;
            }
        }
        return Math.floorMod(total + sign * term, 5);
    }

    /** R1's {@code preprocess_data}: the tokens as given and the label (not recomputed) at the end. */
    public TokenExample preprocess(int[] tokens, int label) {
        Examples.checkTokens(name(), vocabSize(), tokens);
        Examples.checkLabel(name(), vocabSize(), label);
        return Examples.labelAtLastPosition(tokens, label);
    }
}
