package org.lincde.harness.data.formal;

import java.util.ArrayList;
import java.util.List;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * {@code stack_manipulation} (SPEC §3.2, deterministic context-free). Tokens: {@code ST1→1},
 * {@code ST2→2} (initial stack items, bottom first), {@code PS1→3}, {@code PS2→4} (push),
 * {@code POP→5}, {@code EMPTY→6}, {@code ACT→7}. Vocabulary 8.
 *
 * <p>Generation: the length is rounded up to even; an initial stack of {@code k ∈ U{1..L/2}} items
 * uniform over {@code ST1/ST2}; then {@code L/2 − k} actions uniform over {@code POP, PS1, PS2};
 * then {@code ACT}. A {@code POP} drawn while the stack is empty is dropped from the input, as in
 * R1's generator, so the input can be shorter than {@code L/2 + 1}. Target: zeros up to the ACT
 * position, then the final stack bottom to top as {@code ST1/ST2} ids (or {@code EMPTY}), then
 * zeros up to total length L; the mask runs from the first non-zero target (the ACT position) to
 * the end.
 */
public final class StackManipulation extends NamedTask {
    /** Initial item 1. */
    public static final int ST1 = 1;
    /** Initial item 2. */
    public static final int ST2 = 2;
    /** Push item 1. */
    public static final int PS1 = 3;
    /** Push item 2. */
    public static final int PS2 = 4;
    /** Pop. */
    public static final int POP = 5;
    /** Target for an empty final stack. */
    public static final int EMPTY = 6;
    /** Answer trigger. */
    public static final int ACT = 7;

    public StackManipulation() {
        super("stack_manipulation", 8);
    }

    private static final List<String> SYMBOLS = List.of("", "ST1", "ST2", "PS1", "PS2", "POP", "EMPTY", "ACT");

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int total = Examples.roundUpToEven(length);
        int half = total / 2;
        int initial = rng.nextIntInclusive(1, half);
        IntArrayBuilder input = new IntArrayBuilder(half + 1);
        int depth = 0;
        for (int i = 0; i < initial; i++) {
            input.add(1 + rng.nextInt(2));
            depth++;
        }
        for (int i = 0; i < half - initial; i++) {
            int action = rng.nextInt(3);
            if (action == 0) {
                if (depth > 0) { // R1 drops a POP on an empty stack
                    input.add(POP);
                    depth--;
                }
            } else {
                input.add(action == 1 ? PS1 : PS2);
                depth++;
            }
        }
        input.add(ACT);
        return preprocess(input.toArray(), total);
    }

    /**
     * The example for an input ending in {@code ACT}, with its target derived by running the stack
     * (a {@code POP} on an empty stack does nothing) and zero-padded to {@code targetLength}.
     */
    public TokenExample preprocess(int[] input, int targetLength) {
        Examples.checkTokens(name(), vocabSize(), input);
        int act = Examples.checkEndsWithTrigger(name(), input, ACT);
        int[] stack = new int[act];
        int depth = 0;
        for (int i = 0; i < act; i++) {
            switch (input[i]) {
                case ST1, PS1 -> stack[depth++] = ST1;
                case ST2, PS2 -> stack[depth++] = ST2;
                case POP -> depth = Math.max(0, depth - 1);
                default -> throw new IllegalArgumentException(name() + ": token " + input[i] + " ("
                        + SYMBOLS.get(input[i]) + ") at position " + i + " is not a stack symbol");
            }
        }
        int needed = act + Math.max(depth, 1);
        if (targetLength < needed) {
            throw new IllegalArgumentException(name() + ": target length " + targetLength
                    + " cannot hold the answer, which ends at position " + needed);
        }
        int[] target = new int[targetLength];
        if (depth == 0) {
            target[act] = EMPTY;
        } else {
            System.arraycopy(stack, 0, target, act, depth);
        }
        return Examples.maskFrom(input, target, act);
    }

    /**
     * R1's {@code preprocess_data} from symbols ({@code "ST1", "ST2", "PS1", "PS2", "POP", "ACT"}),
     * with target length {@code 2·(number of symbols before ACT)}, the generator's L when no
     * {@code POP} was dropped.
     */
    public TokenExample preprocess(List<String> symbols) {
        int[] input = new int[symbols.size()];
        for (int i = 0; i < input.length; i++) {
            int id = SYMBOLS.indexOf(symbols.get(i));
            if (id <= 0 || id == EMPTY) {
                throw new IllegalArgumentException(name() + ": symbol '" + symbols.get(i) + "' at position " + i
                        + " is not one of ST1, ST2, PS1, PS2, POP, ACT");
            }
            input[i] = id;
        }
        return preprocess(input, 2 * (input.length - 1));
    }

    /** The symbols of an input, for messages and tests. */
    public static List<String> symbols(int[] input) {
        List<String> out = new ArrayList<>(input.length);
        for (int id : input) {
            out.add(id > 0 && id < SYMBOLS.size() ? SYMBOLS.get(id) : String.valueOf(id));
        }
        return out;
    }
}
