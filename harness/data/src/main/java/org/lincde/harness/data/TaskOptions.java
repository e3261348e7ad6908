package org.lincde.harness.data;

/**
 * Everything {@link TokenTasks#create} needs to build a {@link TokenTask}, R1 protocol
 * (SPEC §3.1, §3.2, §4.1). {@link #r1Defaults(long)} gives the paper's values.
 *
 * <p>Seeds: {@code seed} is the run seed, R1's {@code config.seed + run}. Formal-language training
 * samples are drawn from {@code seed}, validation samples from {@code 2·seed} (SPEC §3.2). A5 data
 * and its 80/20 split do not depend on the seed (fixed like R1's CSV files and split seed 1234);
 * only the order of A5 training batches does.
 *
 * @param seed              run seed ({@code config.seed + run})
 * @param trainPadding      formal languages: training batches are padded to this length (R1: 40
 *                          for {@code lcde}, 256 for every other model)
 * @param validationPadding formal languages: validation batches are padded to this length (256)
 * @param trainLengths      formal languages: training lengths, drawn {@code U{min..max}}
 * @param validationLengths formal languages: validation lengths, drawn {@code U{min..max}}
 * @param validationSamples formal languages: number of validation samples (8192)
 * @param a5Length          A5: sequence length N (used when the task name carries no length)
 * @param a5Size            A5: number of distinct sequences drawn for N ≥ 4 (1 000 000)
 * @param a5TrainSplit      A5: fraction of the data used for training (0.8); 1 leaves no
 *                          validation set
 */
public record TaskOptions(long seed, int trainPadding, int validationPadding, LengthRange trainLengths,
                          LengthRange validationLengths, int validationSamples, int a5Length, int a5Size,
                          double a5TrainSplit) {

    /** Checks every field; messages name the field and the value. */
    public TaskOptions {
        if (trainPadding < 0) {
            throw new IllegalArgumentException("trainPadding must be >= 0, got " + trainPadding);
        }
        if (validationPadding < 0) {
            throw new IllegalArgumentException("validationPadding must be >= 0, got " + validationPadding);
        }
        if (trainLengths == null || validationLengths == null) {
            throw new IllegalArgumentException("trainLengths and validationLengths must be given");
        }
        if (validationSamples < 0) {
            throw new IllegalArgumentException("validationSamples must be >= 0, got " + validationSamples);
        }
        if (a5Length < 1) {
            throw new IllegalArgumentException("a5Length must be >= 1, got " + a5Length);
        }
        if (a5Size < 1) {
            throw new IllegalArgumentException("a5Size must be >= 1, got " + a5Size);
        }
        if (!(a5TrainSplit > 0.0 && a5TrainSplit <= 1.0)) {
            throw new IllegalArgumentException("a5TrainSplit must be in (0, 1], got " + a5TrainSplit);
        }
    }

    /**
     * The paper's values (SPEC §3.1, §3.2, §4.1): formal languages train on lengths 3–40 padded to
     * 40 (R1's {@code lcde} padding; use {@link #withTrainPadding} 256 for other models) and
     * validate on 8192 samples of lengths 40–256 padded to 256; A5 uses N = 20 (the historical
     * {@code a5.json}), 1 000 000 distinct sequences and an 80/20 split.
     */
    public static TaskOptions r1Defaults(long seed) {
        return new TaskOptions(seed, 40, 256, new LengthRange(3, 40), new LengthRange(40, 256), 8192, 20,
                1_000_000, 0.8);
    }

    /** A copy with another run seed. */
    public TaskOptions withSeed(long newSeed) {
        return new TaskOptions(newSeed, trainPadding, validationPadding, trainLengths, validationLengths,
                validationSamples, a5Length, a5Size, a5TrainSplit);
    }

    /** A copy with another training padding length. */
    public TaskOptions withTrainPadding(int padding) {
        return new TaskOptions(seed, padding, validationPadding, trainLengths, validationLengths, validationSamples,
                a5Length, a5Size, a5TrainSplit);
    }

    /** A copy with other formal-language lengths (training and validation). */
    public TaskOptions withLengths(LengthRange train, LengthRange validation) {
        return new TaskOptions(seed, trainPadding, validationPadding, train, validation, validationSamples,
                a5Length, a5Size, a5TrainSplit);
    }

    /** A copy with another number of formal-language validation samples. */
    public TaskOptions withValidationSamples(int samples) {
        return new TaskOptions(seed, trainPadding, validationPadding, trainLengths, validationLengths, samples,
                a5Length, a5Size, a5TrainSplit);
    }

    /** A copy with another A5 length, size and split. */
    public TaskOptions withA5(int length, int size, double trainSplit) {
        return new TaskOptions(seed, trainPadding, validationPadding, trainLengths, validationLengths,
                validationSamples, length, size, trainSplit);
    }

    /**
     * An inclusive range of sequence lengths, drawn {@code U{min..max}} (R1's
     * {@code randint(min, max + 1)}).
     *
     * @param min smallest length, at least 1
     * @param max largest length, at least {@code min}
     */
    public record LengthRange(int min, int max) {
        /** Checks {@code 1 <= min <= max}. */
        public LengthRange {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("length range must satisfy 1 <= min <= max, got [" + min + ", "
                        + max + "]");
            }
        }
    }
}
