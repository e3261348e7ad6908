package org.lincde.harness.data.formal;

import java.math.BigInteger;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code compute_sqrt} (SPEC §3.2, context-sensitive): bits {@code 0→1}, {@code 1→2}, answer
 * trigger {@code 3}; vocabulary 4.
 *
 * <p>Generation: the length is adjusted so that {@code L mod 6 ∉ {0, 3}} ({@code L−1} if
 * {@code L ≡ 0}, {@code L−2} if {@code L ≡ 3}); {@code c = max(1, ⌊2L/3⌋)} little-endian bits of
 * which the last (most significant) is 1, then the trigger. Target: {@code 0×c ‖} the
 * little-endian bits of {@code ⌊√n⌋} {@code ‖ zeros} to total length
 * {@code max(L, c + |√ bits|)} (only {@code L = 1} needs the larger value, as in R1); the mask runs
 * from the trigger (position c) to the end.
 */
public final class ComputeSqrt extends NamedTask {
    /** Token of the answer trigger. */
    public static final int ACT = 3;

    public ComputeSqrt() {
        super("compute_sqrt", 4);
    }

    /** R1's length adjustment: the requested length moved down off {@code 0, 3 (mod 6)}. */
    public static int adjustedLength(int length) {
        return switch (length % 6) {
            case 0 -> length - 1;
            case 3 -> length - 2;
            default -> length;
        };
    }

    /** The number of input bits for adjusted length {@code length}. */
    public static int bitCount(int adjustedLength) {
        return Math.max(1, 2 * adjustedLength / 3);
    }

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int l = adjustedLength(length);
        int c = bitCount(l);
        int[] input = new int[c + 1];
        for (int i = 0; i < c - 1; i++) {
            input[i] = BinaryArithmetic.ZERO + rng.nextInt(2);
        }
        input[c - 1] = BinaryArithmetic.ONE;
        input[c] = ACT;
        return preprocess(input, l);
    }

    /**
     * The example for {@code bits ACT} (the trigger token is not checked: R1's own test uses 4)
     * with target length {@code max(targetLength, c + |√ bits|)}.
     */
    public TokenExample preprocess(int[] input, int targetLength) {
        if (input.length < 2) {
            throw new IllegalArgumentException(name() + ": need at least one bit and the trigger, got "
                    + input.length + " tokens");
        }
        int c = input.length - 1;
        for (int i = 0; i < c; i++) {
            if (input[i] != BinaryArithmetic.ZERO && input[i] != BinaryArithmetic.ONE) {
                throw new IllegalArgumentException(name() + ": token " + input[i] + " at position " + i
                        + " is not a bit (1, 2)");
            }
        }
        int[] root = BinaryArithmetic.bits(BinaryArithmetic.littleEndian(input, 0, c).sqrt());
        int[] target = new int[Math.max(targetLength, c + root.length)];
        System.arraycopy(root, 0, target, c, root.length);
        return Examples.maskFrom(input, target, c);
    }

    /**
     * The example for {@code bits ACT} with the generator's target length for {@code c} bits: the
     * smallest adjusted L with {@code max(1, ⌊2L/3⌋) = c}.
     */
    public TokenExample preprocess(int[] input) {
        int c = input.length - 1;
        int length = 1;
        while (c >= 1 && length <= 2 * c + 2 && (adjustedLength(length) != length || bitCount(length) != c)) {
            length++;
        }
        return preprocess(input, length); // checks c >= 1
    }
}
