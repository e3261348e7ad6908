package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code solve_equation} (SPEC §3.2, context-free): a {@code mod_arith_w_brack} example of length
 * {@code L − 2} (an expression of {@code L − 3} tokens and {@code =}) in which one digit, chosen
 * uniformly among the digits, is replaced by {@code x→12}; then the expression's result token
 * ({@code 1 + value mod 5}) and {@code ACT→13}. Total length L; R1 raises the minimum length to 4.
 * Label at the last position: the hidden digit's value 0..4 (the value, not its token).
 * Vocabulary 14; the other tokens are those of {@link ModularArithmeticWithBrackets}.
 */
public final class SolveEquation extends NamedTask {
    /** Token of the unknown {@code x}. */
    public static final int X = 12;
    /** Token of the answer trigger. */
    public static final int ACT = 13;

    public SolveEquation() {
        super("solve_equation", 14);
    }

    @Override
    public int minimumLength() {
        return 4;
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        ModularArithmeticWithBrackets.Expression e = ModularArithmeticWithBrackets.expression(rng, length - 3);
        int[] expression = e.tokens();
        int digits = 0;
        for (int t : expression) {
            digits += isDigit(t) ? 1 : 0;
        }
        int chosen = rng.nextInt(digits);
        int solution = -1;
        int[] input = new int[length];
        for (int i = 0, seen = 0; i < expression.length; i++) {
            input[i] = expression[i];
            if (isDigit(expression[i]) && seen++ == chosen) {
                solution = expression[i] - ModularArithmeticWithBrackets.DIGIT_0;
                input[i] = X;
            }
        }
        input[length - 3] = ModularArithmeticWithBrackets.EQUALS;
        input[length - 2] = ModularArithmeticWithBrackets.DIGIT_0 + e.value();
        input[length - 1] = ACT;
        return Examples.labelAtLastPosition(input, solution);
    }

    private static boolean isDigit(int token) {
        return token >= ModularArithmeticWithBrackets.DIGIT_0 && token < ModularArithmeticWithBrackets.DIGIT_0 + 5;
    }

    /** R1's {@code preprocess_data}: the tokens as given and the solution (0..4) at the end. */
    public TokenExample preprocess(int[] tokens, int solution) {
        Examples.checkTokens(name(), vocabSize(), tokens);
        if (solution < 0 || solution > 4) {
            throw new IllegalArgumentException(name() + ": solution " + solution + " is not a digit 0..4");
        }
        return Examples.labelAtLastPosition(tokens, solution);
    }
}
