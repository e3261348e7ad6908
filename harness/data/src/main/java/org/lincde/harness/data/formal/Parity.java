package org.lincde.harness.data.formal;

/**
 * {@code parity} (SPEC §3.2, regular): L symbols uniform over {@code a→1, b→2}; label at the last
 * position {@code a (1)} if the number of {@code b}s is even, else {@code b (2)}. Vocabulary 3.
 */
public final class Parity extends BinaryWordTask {
    public Parity() {
        super("parity");
    }

    @Override
    public int label(int[] word) {
        int bs = 0;
        for (int s : word) {
            bs += s == B ? 1 : 0;
        }
        return bs % 2 == 0 ? A : B;
    }
}
