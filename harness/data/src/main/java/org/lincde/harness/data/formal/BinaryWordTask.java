package org.lincde.harness.data.formal;

import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * The two regular tasks over words of {@code a→1, b→2} with a label at the last position
 * ({@code a→1}, {@code b→2}); vocabulary 3 (SPEC §3.2).
 */
public abstract class BinaryWordTask extends NamedTask {
    /** Token of symbol {@code a}. */
    public static final int A = 1;
    /** Token of symbol {@code b}. */
    public static final int B = 2;

    protected BinaryWordTask(String name) {
        super(name, 3);
    }

    /** The label (1 or 2) of a word of ids 1/2. */
    public abstract int label(int[] word);

    @Override
    public TokenExample generate(Rng rng, int length) {
        Examples.checkLength(this, length);
        int[] word = new int[length];
        for (int i = 0; i < length; i++) {
            word[i] = 1 + rng.nextInt(2);
        }
        return Examples.labelAtLastPosition(word, label(word));
    }

    /**
     * R1's {@code preprocess_data} from symbols: a word over {@code a, b} and the label
     * {@code "a"} or {@code "b"} (not recomputed).
     */
    public TokenExample preprocess(String word, String label) {
        int[] input = new int[word.length()];
        for (int i = 0; i < input.length; i++) {
            input[i] = symbol(word.charAt(i), "word '" + word + "' position " + i);
        }
        if (input.length == 0) {
            throw new IllegalArgumentException(name() + ": empty word");
        }
        if (label.length() != 1) {
            throw new IllegalArgumentException(name() + ": label '" + label + "' is not a or b");
        }
        return Examples.labelAtLastPosition(input, symbol(label.charAt(0), "label"));
    }

    private int symbol(char c, String where) {
        return switch (c) {
            case 'a' -> A;
            case 'b' -> B;
            default -> throw new IllegalArgumentException(name() + ": symbol '" + c + "' in " + where
                    + " is not a or b");
        };
    }
}
