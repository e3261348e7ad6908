package org.lincde.harness.data;

import java.util.Arrays;

/**
 * One unpadded example of a sequence-to-sequence token task (SPEC §3.1, §3.2): the input ids the
 * model reads, the target ids it is scored against and the mask saying which target positions are
 * scored. {@code target.length == mask.length} always; the input may be shorter than the target
 * (the string tasks of SPEC §3.2 ask for answers after the last input token, read over padding).
 * Token 0 is padding.
 *
 * <p>Arrays are defensive copies on the way in and shared on the way out: callers must not modify
 * what {@link #input()}, {@link #target()} and {@link #mask()} return.
 *
 * @param input  input token ids
 * @param target per-position target ids
 * @param mask   true where the target is scored
 */
public record TokenExample(int[] input, int[] target, boolean[] mask) {

    /** Checks that every array is present and that target and mask have equal lengths. */
    public TokenExample {
        if (input == null || target == null || mask == null) {
            throw new IllegalArgumentException("token example: input, target and mask must all be given");
        }
        if (target.length != mask.length) {
            throw new IllegalArgumentException("token example: target has " + target.length
                    + " positions but mask has " + mask.length);
        }
        input = input.clone();
        target = target.clone();
        mask = mask.clone();
    }

    /**
     * The number of positions a model must produce for this example: the longer of input and
     * target. This is what {@link org.lincde.spi.Batch#lengths()} records for it.
     */
    public int length() {
        return Math.max(input.length, target.length);
    }

    /** Number of scored positions. */
    public int maskedCount() {
        return (int) java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i]).count();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenExample e && Arrays.equals(input, e.input) && Arrays.equals(target, e.target)
                && Arrays.equals(mask, e.mask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(input) + Arrays.hashCode(target)) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return "TokenExample[input=" + Arrays.toString(input) + ", target=" + Arrays.toString(target)
                + ", mask=" + Arrays.toString(mask) + "]";
    }
}
