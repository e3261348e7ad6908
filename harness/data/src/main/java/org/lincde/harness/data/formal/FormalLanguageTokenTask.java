package org.lincde.harness.data.formal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lincde.harness.data.TaskOptions;
import org.lincde.harness.data.TokenBatches;
import org.lincde.harness.data.TokenExample;
import org.lincde.harness.data.TokenTask;
import org.lincde.spi.Batch;

/**
 * A formal-language task under R1's length-generalisation protocol (SPEC §3.2, §4.1).
 *
 * <ul>
 *   <li>Training: step {@code t} with batch size B holds examples {@code t·B .. t·B+B−1} of a
 *       {@link FormalLanguageDataset} seeded with the run seed, lengths
 *       {@link TaskOptions#trainLengths()} (3–40), padded to {@link TaskOptions#trainPadding()}
 *       (40 for {@code lcde}, 256 for other models). R1 shuffles a 25.6M-sample dataset of
 *       independent samples; reading it in index order gives the same distribution, and every
 *       step gets fresh samples.</li>
 *   <li>Validation: {@link TaskOptions#validationSamples()} (8192) examples seeded with
 *       {@code 2·seed}, lengths {@link TaskOptions#validationLengths()} (40–256), padded to
 *       {@link TaskOptions#validationPadding()} (256); generated on first use and kept.</li>
 *   <li>No auxiliary batches.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FormalLanguageTokenTask implements TokenTask {
    private final FormalLanguageTask task;
    private final TaskOptions options;
    private final FormalLanguageDataset train;
    private final FormalLanguageDataset validation;
    private List<TokenExample> validationExamples;

    /** The task with the given options (cheap: nothing is generated yet). */
    public FormalLanguageTokenTask(FormalLanguageTask task, TaskOptions options) {
        this.task = task;
        this.options = options;
        this.train = new FormalLanguageDataset(task, options.trainLengths().min(), options.trainLengths().max(),
                options.seed());
        this.validation = new FormalLanguageDataset(task, options.validationLengths().min(),
                options.validationLengths().max(), 2 * options.seed());
    }

    @Override
    public String name() {
        return task.name();
    }

    @Override
    public int vocabSize() {
        return task.vocabSize();
    }

    @Override
    public int labelDim() {
        return task.vocabSize();
    }

    /** The training stream. */
    public FormalLanguageDataset trainData() {
        return train;
    }

    /** The validation stream (its first {@code validationSamples} examples are the set). */
    public FormalLanguageDataset validationData() {
        return validation;
    }

    @Override
    public Batch trainBatch(long step, int batchSize) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return train.batch(Math.multiplyExact(step, (long) batchSize), batchSize, options.trainPadding());
    }

    @Override
    public Optional<Batch> auxiliaryBatch(long step, int batchSize) {
        return Optional.empty();
    }

    @Override
    public List<Batch> validationBatches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        List<TokenExample> examples = validationExamples();
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += batchSize) {
            out.add(TokenBatches.collate(examples.subList(from, Math.min(from + batchSize, examples.size())),
                    options.validationPadding()));
        }
        return out;
    }

    private synchronized List<TokenExample> validationExamples() {
        if (validationExamples == null) {
            validationExamples = List.copyOf(validation.examples(0, options.validationSamples()));
        }
        return validationExamples;
    }
}
