package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code mod_arith_w_brack} (SPEC §3.2, context-free): a random bracketed expression of
 * {@code L − 1} tokens followed by {@code =}. Tokens: digits 0..4 → 1..5, {@code + − × ( )} →
 * 6..10, {@code =} → 11. An expression of length 1 is {@code d}, 2 is {@code −d}, 3 is
 * {@code (d)}, 4 is {@code (−d)}, longer ones {@code (E1 op E2)} with the left length uniform in
 * {@code 1..len−4}, the right one {@code len − left − 3} and the operator uniform over
 * {@code + − ×}; digits are uniform over 0..4. Label at the {@code =} position:
 * {@code 1 + (value mod 5)} (the digit's token). Vocabulary 12.
 */
public final class ModularArithmeticWithBrackets extends NamedTask {
    /** Token of digit 0; digit {@code v} is {@code DIGIT_0 + v}. */
    public static final int DIGIT_0 = 1;
    /** Token of {@code +}. */
    public static final int PLUS = 6;
    /** Token of {@code −} (binary or unary). */
    public static final int MINUS = 7;
    /** Token of {@code ×}. */
    public static final int TIMES = 8;
    /** Token of {@code (}. */
    public static final int OPEN = 9;
    /** Token of {@code )}. */
    public static final int CLOSE = 10;
    /** Token of {@code =}. */
    public static final int EQUALS = 11;

    public ModularArithmeticWithBrackets() {
        super("mod_arith_w_brack", 12);
    }

    @Override
    public int minimumLength() {
        return 2; // an expression of at least one token, then '='
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        Expression e = expression(rng, length - 1);
        int[] input = new int[length];
        System.arraycopy(e.tokens(), 0, input, 0, length - 1);
        input[length - 1] = EQUALS;
        return Examples.labelAtLastPosition(input, DIGIT_0 + e.value());
    }

    /**
     * A random expression of exactly {@code length} tokens (no {@code =}) and its value mod 5.
     *
     * @param tokens the expression's tokens
     * @param value  its value mod 5, in 0..4
     */
    public record Expression(int[] tokens, int value) {
    }

    /** Draws a random expression of {@code length >= 1} tokens by the recursion above. */
    public static Expression expression(Rng rng, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("expression length must be >= 1, got " + length);
        }
        IntArrayBuilder out = new IntArrayBuilder(length);
        int value = build(rng, length, out);
        return new Expression(out.toArray(), value);
    }

    private static int build(Rng rng, int length, IntArrayBuilder out) {
        switch (length) {
            case 1 -> {
                int d = rng.nextInt(5);
                out.add(DIGIT_0 + d);
                return d;
            }
            case 2 -> {
                int d = rng.nextInt(5);
                out.add(MINUS).add(DIGIT_0 + d);
                return Math.floorMod(-d, 5);
            }
            case 3 -> {
                int d = rng.nextInt(5);
                out.add(OPEN).add(DIGIT_0 + d).add(CLOSE);
                return d;
            }
            case 4 -> {
                int d = rng.nextInt(5);
                out.add(OPEN).add(MINUS).add(DIGIT_0 + d).add(CLOSE);
                return Math.floorMod(-d, 5);
            }
            default -> {
                int left = rng.nextIntInclusive(1, length - 4);
                int right = length - left - 3;
                out.add(OPEN);
                int a = build(rng, left, out);
                int op = rng.nextInt(3);
                out.add(op == 0 ? PLUS : op == 1 ? MINUS : TIMES);
                int b = build(rng, right, out);
                out.add(CLOSE);
                return switch (op) {
                    case 0 -> (a + b) % 5;
                    case 1 -> Math.floorMod(a - b, 5);
                    default -> a * b % 5;
                };
            }
        }
    }

    /** R1's {@code preprocess_data}: the tokens as given and the label (not recomputed) at the end. */
    public TokenExample preprocess(int[] tokens, int label) {
        Examples.checkTokens(name(), vocabSize(), tokens);
        Examples.checkLabel(name(), vocabSize(), label);
        return Examples.labelAtLastPosition(tokens, label);
    }
}
