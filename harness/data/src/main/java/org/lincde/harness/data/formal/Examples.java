package org.lincde.harness.data.formal;

import java.util.Arrays;
import org.lincde.harness.data.TokenExample;

/** Shared shapes of R1's {@code preprocess_data} functions (SPEC §3.2). */
final class Examples {
    private Examples() {
    }

    /** Target 0 everywhere but {@code label} at the last position; mask on the last position only. */
    static TokenExample labelAtLastPosition(int[] input, int label) {
        int[] target = new int[input.length];
        boolean[] mask = new boolean[input.length];
        target[input.length - 1] = label;
        mask[input.length - 1] = true;
        return new TokenExample(input, target, mask);
    }

    /** The given target with the mask true from {@code from} to its end. */
    static TokenExample maskFrom(int[] input, int[] target, int from) {
        boolean[] mask = new boolean[target.length];
        Arrays.fill(mask, from, target.length, true);
        return new TokenExample(input, target, mask);
    }

    /** Checks a non-empty input of ids in {@code 1..vocab-1}, naming the task and position otherwise. */
    static void checkTokens(String task, int vocab, int[] input) {
        if (input.length == 0) {
            throw new IllegalArgumentException(task + ": empty input");
        }
        for (int i = 0; i < input.length; i++) {
            if (input[i] < 1 || input[i] >= vocab) {
                throw new IllegalArgumentException(task + ": token " + input[i] + " at position " + i
                        + " is outside 1.." + (vocab - 1) + " in " + Arrays.toString(input));
            }
        }
    }

    /** Checks a label is a class of the task. */
    static void checkLabel(String task, int vocab, int label) {
        if (label < 0 || label >= vocab) {
            throw new IllegalArgumentException(task + ": label " + label + " is outside 0.." + (vocab - 1));
        }
    }

    /** Checks a requested length against the task's minimum. */
    static void checkLength(FormalLanguageTask task, int length) {
        if (length < task.minimumLength()) {
            throw new IllegalArgumentException(task.name() + ": length " + length + " is below the minimum "
                    + task.minimumLength());
        }
    }

    /** R1's "L := L + 1 if L odd". */
    static int roundUpToEven(int length) {
        return length % 2 == 1 ? length + 1 : length;
    }
}
