package org.lincde.harness.data.formal;

import java.math.BigInteger;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * Little-endian binary arithmetic (SPEC §3.2, context-sensitive): bits {@code 0→1}, {@code 1→2},
 * operator {@code 3}, answer trigger {@code 4}; vocabulary 5.
 *
 * <p>Generation: R1 raises the minimum length to 5; the length is rounded up to even; with
 * {@code n = L/2}, {@code n − 1} random bits and a final {@code 1} (the second number's most
 * significant bit), the operator at a uniform position in {@code 1..n−2} and the bit before it
 * forced to {@code 1} (the first number's most significant bit); then {@code 4}. Target:
 * {@code 0×n ‖ little-endian bits of the result ‖ zeros} to total length L; the mask runs from the
 * trigger (position n) to the end.
 */
public abstract class BinaryArithmetic extends NamedTask {
    /** Token of bit 0. */
    public static final int ZERO = 1;
    /** Token of bit 1. */
    public static final int ONE = 2;
    /** Token of the operator. */
    public static final int OPERATOR = 3;
    /** Token of the answer trigger. */
    public static final int ACT = 4;

    protected BinaryArithmetic(String name) {
        super(name, 5);
    }

    @Override
    public int minimumLength() {
        return 5;
    }

    /** The operation. */
    abstract BigInteger apply(BigInteger a, BigInteger b);

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int n = Examples.roundUpToEven(length) / 2;
        int[] input = new int[n + 1];
        for (int i = 0; i < n - 1; i++) {
            input[i] = ZERO + rng.nextInt(2);
        }
        input[n - 1] = ONE;
        int operator = rng.nextIntInclusive(1, n - 2);
        input[operator] = OPERATOR;
        input[operator - 1] = ONE;
        input[n] = ACT;
        return preprocess(input);
    }

    /**
     * The example for {@code bits OPERATOR bits ACT} (the trigger token itself is not checked),
     * its target derived by computing the result; target length {@code 2·(input length − 1)}.
     */
    public TokenExample preprocess(int[] input) {
        Examples.checkTokens(name(), vocabSize(), input);
        int n = input.length - 1;
        int operator = -1;
        for (int i = 0; i < n; i++) {
            if (input[i] == OPERATOR) {
                if (operator >= 0) {
                    throw new IllegalArgumentException(name() + ": operator at positions " + operator + " and " + i);
                }
                operator = i;
            } else if (input[i] != ZERO && input[i] != ONE) {
                throw new IllegalArgumentException(name() + ": token " + input[i] + " at position " + i
                        + " is neither a bit (1, 2) nor the operator (3)");
            }
        }
        if (operator < 1 || operator > n - 2) {
            throw new IllegalArgumentException(name() + ": the operator must have bits on both sides, found it at "
                    + operator + " of " + n + " tokens");
        }
        BigInteger a = littleEndian(input, 0, operator);
        BigInteger b = littleEndian(input, operator + 1, n);
        int[] result = bits(apply(a, b));
        if (result.length > n) {
            throw new IllegalArgumentException(name() + ": result of " + result.length + " bits exceeds " + n);
        }
        int[] target = new int[2 * n];
        System.arraycopy(result, 0, target, n, result.length);
        return Examples.maskFrom(input, target, n);
    }

    /** The number whose little-endian bit tokens are {@code tokens[from..to)}. */
    static BigInteger littleEndian(int[] tokens, int from, int to) {
        BigInteger v = BigInteger.ZERO;
        for (int i = to - 1; i >= from; i--) {
            v = v.shiftLeft(1);
            if (tokens[i] == ONE) {
                v = v.setBit(0);
            }
        }
        return v;
    }

    /** Little-endian bit tokens of {@code v} ({@code [ZERO]} for 0, like Python's {@code bin(0)}). */
    static int[] bits(BigInteger v) {
        int length = Math.max(1, v.bitLength());
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = v.testBit(i) ? ONE : ZERO;
        }
        return out;
    }
}
