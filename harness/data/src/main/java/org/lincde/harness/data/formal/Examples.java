package org.lincde.harness.data.formal;

import java.util.Arrays;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

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

    /**
     * An input of {@code roundUpToEven(length) / 2} tokens uniform over {@code 1..symbols} (drawn in order from
     * {@code rng}) followed by the trigger {@code act}.
     */
    static int[] valuesThenTrigger(Rng rng, int length, int symbols, int act) {
        int n = roundUpToEven(length) / 2;
        int[] input = new int[n + 1];
        for (int i = 0; i < n; i++) {
            input[i] = 1 + rng.nextInt(symbols);
        }
        input[n] = act;
        return input;
    }

    /** Checks that {@code input} ends with the trigger {@code act}; returns its position. */
    static int checkEndsWithTrigger(String task, int[] input, int act) {
        int n = input.length - 1;
        if (input[n] != act) {
            throw new IllegalArgumentException(task + ": the input must end with ACT (" + act + "), got "
                    + input[n]);
        }
        return n;
    }
}
