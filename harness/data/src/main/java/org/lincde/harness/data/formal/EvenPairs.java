package org.lincde.harness.data.formal;

/**
 * {@code even_pairs} (SPEC §3.2, regular): L symbols uniform over {@code a→1, b→2}; label at the
 * last position {@code a (1)} if the first symbol equals the last, else {@code b (2)} (equivalently:
 * the numbers of {@code ab} and {@code ba} pairs are equal). Vocabulary 3.
 */
public final class EvenPairs extends BinaryWordTask {
    public EvenPairs() {
        super("even_pairs");
    }

    @Override
    public int label(int[] word) {
        return word[0] == word[word.length - 1] ? A : B;
    }
}
