package org.lincde.harness.data.a5;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.lincde.harness.data.TokenTask;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

/**
 * The A5 word problem as a {@link TokenTask}, R1 protocol (SPEC §3.1, §4.1).
 *
 * <ul>
 *   <li>Data: one length-N {@link A5Dataset}, split 80/20 with the fixed split seed 1234
 *       ({@link A5Dataset#SPLIT_SEED}), so every run validates on the same sequences.</li>
 *   <li>Training: R1 iterates {@code zip(train_loader, length2_loader)} inside
 *       {@code while True}, both loaders shuffling: each pass lasts as many steps as the shorter
 *       loader has batches, and both reshuffle at its end. This class does the same: pass
 *       {@code c = step / P} with {@code P = min(⌈train/B⌉, ⌈3600/B_aux⌉)} orders the train rows by
 *       the permutation {@code Rng.seeded(seed).stream("A5", "train-order", c)} and the length-2
 *       rows by {@code stream("A5", "aux-order", c)}; step {@code c·P + j} takes batch {@code j} of
 *       each (the last batch of a loader is short, as with {@code drop_last=False}).</li>
 *   <li>Auxiliary batches: all 3600 length-2 sequences, batch size {@code B_aux = B / 10} (R1's
 *       {@code batch_size // 10}; at least 1 here, where R1 would fail for {@code B < 10}),
 *       padded to the main length with the mask true on the two real tokens.</li>
 *   <li>Padding: R1's {@code lcde} pads both loaders to N ({@code padding_length = N});
 *       a larger padding length (DeltaNet's 65) can be given to {@link #of}.</li>
 *   <li>Validation: the 20% split in split order; empty when the train split is 1.</li>
 * </ul>
 *
 * <p>Data sets are built on first use, so creating the task is cheap. Thread-safe.
 */
public final class A5Task implements TokenTask {
    private static final int AUX_LENGTH = 2;

    private final String name;
    private final Supplier<A5Dataset> mainSource;
    private final Supplier<A5Dataset> auxSource;
    private final double trainSplit;
    private final long seed;
    private final int paddingLength;

    private A5Dataset main;
    private A5Dataset.Split split;
    private A5Dataset aux;
    private int[] auxRows;
    private long cachedPass = -1;
    private int cachedBatchSize = -1;
    private int[] mainOrder;
    private int[] auxOrder;

    private A5Task(String name, Supplier<A5Dataset> mainSource, Supplier<A5Dataset> auxSource, double trainSplit,
                   long seed, int paddingLength) {
        if (!(trainSplit > 0.0 && trainSplit <= 1.0)) {
            throw new IllegalArgumentException("A5 train split must be in (0, 1], got " + trainSplit);
        }
        if (paddingLength < 0) {
            throw new IllegalArgumentException("A5 padding length must be >= 0, got " + paddingLength);
        }
        this.name = name;
        this.mainSource = mainSource;
        this.auxSource = auxSource;
        this.trainSplit = trainSplit;
        this.seed = seed;
        this.paddingLength = paddingLength;
    }

    /**
     * R1's A5 task of length {@code length}: {@link A5Dataset#r1(int, int)} data, all length-2
     * sequences as auxiliary data, padding N. Named {@code "A5-<length>"}.
     *
     * @param size       distinct sequences for N ≥ 4
     * @param trainSplit fraction used for training (0.8)
     * @param seed       run seed: orders the training batches only
     */
    public static A5Task r1(int length, int size, double trainSplit, long seed) {
        if (length < 1) {
            throw new IllegalArgumentException("A5 length must be >= 1, got " + length);
        }
        if (size < 1) {
            throw new IllegalArgumentException("A5 size must be >= 1, got " + size);
        }
        return new A5Task("A5-" + length, () -> A5Dataset.r1(length, size), () -> A5Dataset.allSequences(AUX_LENGTH),
                trainSplit, seed, 0);
    }

    /**
     * The task over R1's own files ({@code A5=N.csv} and {@code A5=2.csv}), read on first use.
     */
    public static A5Task fromCsv(Path mainCsv, Path length2Csv, double trainSplit, long seed) {
        return new A5Task("A5", () -> A5Csv.read(mainCsv), () -> A5Csv.read(length2Csv), trainSplit, seed, 0);
    }

    /**
     * A task over given data.
     *
     * @param main          the length-N data set
     * @param aux           the auxiliary (length-2) data set, or null for none
     * @param paddingLength batches are padded to {@code max(paddingLength, N)}
     */
    public static A5Task of(String name, A5Dataset main, A5Dataset aux, double trainSplit, long seed,
                            int paddingLength) {
        return new A5Task(name, () -> main, aux == null ? null : () -> aux, trainSplit, seed, paddingLength);
    }

    /**
     * This task with every batch (training, length-2 and validation) padded to {@code max(paddingLength, N)}:
     * R1 pads DeltaNet/DeltaProduct's A5 loaders to 65 (train.py).
     */
    public A5Task padded(int paddingLength) {
        return new A5Task(name, mainSource, auxSource, trainSplit, seed, paddingLength);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return A5Group.ORDER;
    }

    @Override
    public int labelDim() {
        return A5Group.ORDER;
    }

    /** The length-N data set (built on first call). */
    public synchronized A5Dataset data() {
        if (main == null) {
            A5Dataset d = mainSource.get();
            A5Dataset.Split s = d.split(trainSplit, A5Dataset.SPLIT_SEED);
            if (s.train().length == 0) {
                throw new IllegalArgumentException("A5 task " + name + ": train split " + trainSplit + " of "
                        + d.size() + " sequences leaves no training data");
            }
            main = d;
            split = s;
            if (auxSource != null) {
                aux = auxSource.get();
                auxRows = new int[aux.size()];
                for (int i = 0; i < auxRows.length; i++) {
                    auxRows[i] = i;
                }
            }
        }
        return main;
    }

    /** The train/validation split (built on first call). */
    public synchronized A5Dataset.Split split() {
        data();
        return split;
    }

    private int padding() {
        return Math.max(paddingLength, main.inputLength());
    }

    @Override
    public synchronized Batch trainBatch(long step, int batchSize) {
        int j = prepare(step, batchSize);
        return main.orderedBatch(split.train(), mainOrder, j * batchSize, batchSize, padding());
    }

    @Override
    public synchronized Optional<Batch> auxiliaryBatch(long step, int batchSize) {
        int j = prepare(step, batchSize);
        if (aux == null) {
            return Optional.empty();
        }
        int auxBatch = auxBatchSize(batchSize);
        return Optional.of(aux.orderedBatch(auxRows, auxOrder, j * auxBatch, auxBatch, padding()));
    }

    @Override
    public synchronized List<Batch> validationBatches(int batchSize) {
        checkBatchSize(batchSize);
        data();
        return main.batches(split.validation(), batchSize, padding());
    }

    /** Batches per pass of the zipped loaders for main batch size {@code batchSize}. */
    public synchronized long stepsPerPass(int batchSize) {
        checkBatchSize(batchSize);
        data();
        long mainBatches = ceilDiv(split.train().length, batchSize);
        return aux == null ? mainBatches : Math.min(mainBatches, ceilDiv(aux.size(), auxBatchSize(batchSize)));
    }

    /** Makes the orders of the pass holding {@code step} current; returns the batch index in it. */
    private int prepare(long step, int batchSize) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        long perPass = stepsPerPass(batchSize);
        long pass = step / perPass;
        if (pass != cachedPass || batchSize != cachedBatchSize) {
            Rng root = Rng.seeded(seed);
            mainOrder = root.stream("A5", "train-order", pass).permutation(split.train().length);
            auxOrder = aux == null ? null : root.stream("A5", "aux-order", pass).permutation(aux.size());
            cachedPass = pass;
            cachedBatchSize = batchSize;
        }
        return (int) (step % perPass);
    }

    private static int auxBatchSize(int batchSize) {
        return Math.max(1, batchSize / 10);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
    }
}
