package org.lincde.harness.data;

import java.util.List;
import org.lincde.spi.Batch;

/**
 * R1's collate function (SPEC §3.2 "Collate"): pads a list of {@link TokenExample}s with token 0,
 * target 0 and mask false to a common length and packs them into one {@link Batch}.
 *
 * <p>The common length is {@code max(paddingLength, longest example)}: like R1's
 * pad-to-length trick (a dummy sequence of {@code padding_length} is padded along and dropped),
 * an example longer than the padding length widens the batch instead of being truncated. Inputs
 * and targets share that length because a {@link Batch} has one {@code L}; each example's
 * {@link TokenExample#length()} goes to {@link Batch#lengths()}.
 */
public final class TokenBatches {
    private TokenBatches() {
    }

    /**
     * Pads and packs {@code examples}.
     *
     * @param examples      at least one example
     * @param paddingLength the length to pad to (0 pads to the longest example only)
     * @return a batch of shape {@code (examples.size(), max(paddingLength, longest))}
     */
    public static Batch collate(List<TokenExample> examples, int paddingLength) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of examples");
        }
        if (paddingLength < 0) {
            throw new IllegalArgumentException("padding length must be >= 0, got " + paddingLength);
        }
        int length = paddingLength;
        for (TokenExample e : examples) {
            length = Math.max(length, e.length());
        }
        int batch = examples.size();
        int[] ids = new int[batch * length];
        int[] labels = new int[batch * length];
        boolean[] mask = new boolean[batch * length];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            TokenExample e = examples.get(b);
            int offset = b * length;
            System.arraycopy(e.input(), 0, ids, offset, e.input().length);
            System.arraycopy(e.target(), 0, labels, offset, e.target().length);
            System.arraycopy(e.mask(), 0, mask, offset, e.mask().length);
            lengths[b] = e.length();
        }
        return new Batch(new Batch.TokenInputs(batch, length, ids), new Batch.TokenTargets(labels, mask), lengths);
    }
}
