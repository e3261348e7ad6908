package org.lincde.harness.data;

import java.util.List;
import java.util.Optional;
import org.lincde.spi.Batch;

/**
 * A sequence-to-sequence token task, R1 protocol (SPEC §4.1). Deterministic given its seed: the
 * same task options and the same step give the same batch, on every machine.
 *
 * <p>Batches hold {@link Batch.TokenInputs} of shape {@code (B, L)} and {@link Batch.TokenTargets}
 * with a mask; token 0 is padding, and {@link Batch#lengths()} holds each sequence's unpadded
 * length.
 */
public interface TokenTask {
    /** The task's name: {@code "cycle_nav"}, {@code "A5-8"}, … */
    String name();

    /** Input vocabulary size, R1's {@code data_dim} (padding token 0 included). */
    int vocabSize();

    /** Number of output classes, R1's {@code label_dim}. */
    int labelDim();

    /**
     * The training batch for optimiser step {@code step} (formal languages: fresh samples; A5:
     * sampled from the train split). Same (seed, step, batchSize) ⇒ same batch.
     */
    Batch trainBatch(long step, int batchSize);

    /**
     * The auxiliary batch mixed into step {@code step} (A5: the length-2 set with batch size
     * {@code batchSize / 10}, SPEC §3.1/§4.1), else empty. {@code batchSize} is the main batch
     * size, as passed to {@link #trainBatch}.
     */
    Optional<Batch> auxiliaryBatch(long step, int batchSize);

    /** The validation set in a fixed order, cut into batches of at most {@code batchSize}. */
    List<Batch> validationBatches(int batchSize);
}
