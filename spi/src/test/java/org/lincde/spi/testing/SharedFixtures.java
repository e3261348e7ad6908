package org.lincde.spi.testing;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureSpec;

/**
 * Test fixtures every backend's tests share (carried by the spi test-jar), so the backends test the
 * same structures on the same kind of batches.
 */
public final class SharedFixtures {
    private SharedFixtures() {}

    /** Every built-in structure at small sizes (h = 4), both DPLR forms. */
    public static final List<StructureSpec> ALL_STRUCTURES = List.of(
            StructureSpec.of("dense"),
            StructureSpec.of("diagonal"),
            StructureSpec.of("block-diagonal", "block_size", "2"),
            StructureSpec.of("sparse", "sparsity", "0.5"),
            StructureSpec.of("walsh-hadamard"),
            StructureSpec.of("dplr", "rank", "2"),
            StructureSpec.of("dplr", "rank", "2", "form", "linear"),
            StructureSpec.of("diagonal-dense", "block_size", "2"));

    /** Which positions a batch scores; may draw from {@code rng} (called once per position, in order). */
    @FunctionalInterface
    public interface Scored {
        boolean at(int index, Rng rng);
    }

    /** A random token batch with per-token targets and a random mask (at least one position). */
    public static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels) {
        // draw first, then force position 0: the stream is the same whichever way position 0 falls
        return tokenBatch(rng, b, len, vocab, labels, (i, r) -> r.nextDouble() < 0.6 || i == 0);
    }

    /** Random token ids and targets; {@code scored} decides the mask position by position. */
    public static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels, Scored scored) {
        int[] ids = new int[b * len];
        int[] targets = new int[b * len];
        boolean[] mask = new boolean[b * len];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
            targets[i] = rng.nextInt(labels);
            mask[i] = scored.at(i, rng);
        }
        return Batch.of(new Batch.TokenInputs(b, len, ids), new Batch.TokenTargets(targets, mask));
    }

    /** Small R1-style spec: vocabulary 5, 4 classes, init_std 0.7 (so transitions matter). */
    public static LinearCdeSpec smallSpec(StructureSpec s, int h, int blocks) {
        return LinearCdeSpec.r1(5, 4, h, blocks, s).withInitStd(0.7);
    }
}
