package org.lincde.harness.data.formal;

import java.util.ArrayList;
import java.util.List;
import org.lincde.harness.data.TokenBatches;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

/**
 * R1's {@code FormalLanguageDataset} (SPEC §3.2): an unbounded, indexable stream of examples of one
 * task with lengths drawn {@code U{minLength..maxLength}}.
 *
 * <p>R1 draws one 32-bit seed per sample from Python's {@code Random(seed)} and reseeds PyTorch's
 * global generator with it; those bit streams cannot be reproduced outside PyTorch. Here example
 * {@code i} is drawn from its own stream {@code Rng.seeded(seed).stream("formal-language", task,
 * i)}: independent per index, identical on every machine and in any access order, and with the
 * same distributions as R1.
 *
 * <p>Immutable and thread-safe.
 */
public final class FormalLanguageDataset {
    private final FormalLanguageTask task;
    private final int minLength;
    private final int maxLength;
    private final long seed;
    private final Rng root;

    /**
     * @param task      the task
     * @param minLength smallest requested length (the task may raise it, SPEC §3.2)
     * @param maxLength largest requested length
     * @param seed      the data seed (training: run seed; validation: twice the run seed)
     */
    public FormalLanguageDataset(FormalLanguageTask task, int minLength, int maxLength, long seed) {
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException(task.name() + ": length range must satisfy 1 <= min <= max, got ["
                    + minLength + ", " + maxLength + "]");
        }
        if (maxLength < task.minimumLength()) {
            throw new IllegalArgumentException(task.name() + ": maximum length " + maxLength
                    + " is below the task's minimum " + task.minimumLength());
        }
        this.task = task;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.seed = seed;
        this.root = Rng.seeded(seed).stream("formal-language", task.name());
    }

    /** The task. */
    public FormalLanguageTask task() {
        return task;
    }

    /** The data seed. */
    public long seed() {
        return seed;
    }

    /** Example {@code index} (a pure function of seed, task, lengths and index). */
    public TokenExample example(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("example index must be >= 0, got " + index);
        }
        return task.sample(root.stream(index), minLength, maxLength);
    }

    /** Examples {@code first .. first+count-1}. */
    public List<TokenExample> examples(long first, int count) {
        List<TokenExample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(example(first + i));
        }
        return out;
    }

    /** Examples {@code first .. first+count-1} collated and padded to {@code paddingLength}. */
    public Batch batch(long first, int count, int paddingLength) {
        if (count < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + count);
        }
        return TokenBatches.collate(examples(first, count), paddingLength);
    }
}
