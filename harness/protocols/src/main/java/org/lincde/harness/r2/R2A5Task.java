package org.lincde.harness.r2;

import java.util.List;
import java.util.Optional;
import org.lincde.harness.data.TokenTask;
import org.lincde.harness.data.a5.A5Dataset;
import org.lincde.harness.data.a5.A5Group;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

/**
 * The A5 word problem as R2 feeds it (SPEC §3.1, §4.2): unlike R1 ({@code A5Task}) nothing is padded,
 * the split depends on the run seed, and the two loaders cycle independently.
 *
 * <ul>
 *   <li>Data: the same sequences as R1 reads ({@code A5=N.csv}: all {@code 60^N} for N ≤ 3, else
 *       {@code size} distinct uniform sequences; {@link #sequences}). A {@code size} below {@code 60^N}
 *       draws that many distinct sequences for any N (small profiles).</li>
 *   <li>Split: a permutation of the rows, first {@code ⌊split·size⌋} train, the rest validate
 *       ({@link A5Dataset#split} with seed {@code mainSplitSeed}). R2 torch seeds {@code torch.randperm}
 *       with {@code seed + 1}; R2 JAX permutes with a data key split from {@code PRNGKey(seed)}. Neither
 *       stream can be matched, so each is reproduced as "a permutation from a seed-derived stream":
 *       {@link Split#torch} and {@link Split#jax}.</li>
 *   <li>Auxiliary data: every length-2 sequence (3600). R2 JAX trains on all of them
 *       ({@code train_split=1.0}); R2 torch splits them 80/20 with {@code seed + 2} and trains on the 80 %.
 *       Auxiliary batches keep length 2 (no padding: the Linear CDE's time channel and step 1/L depend on
 *       the real length).</li>
 *   <li>Batches: each loader walks its own epochs, reshuffled every epoch ({@code shuffle=True},
 *       JAX {@code train_loop}); the last batch of an epoch is short (torch {@code drop_last=False}, JAX
 *       {@code loop_epoch}). Step {@code s} takes batch {@code s mod P} of epoch {@code s / P} of each
 *       loader ({@code P} = its batches per epoch): R2's {@code zip} of two infinite loaders (torch:
 *       {@code zip(train_loader, cycle(length2_loader))}). Epoch orders come from
 *       {@code Rng.seeded(orderSeed).stream("R2-A5", "train-order" | "aux-order", epoch)}.</li>
 *   <li>Validation: the held-out rows in split order.</li>
 * </ul>
 * Thread-safe; data are built on first use.
 */
public final class R2A5Task implements TokenTask {
    private static final int AUX_LENGTH = 2;

    private final int length;
    private final int size;
    private final Split split;
    private final int auxBatchSize;
    private final long orderSeed;

    private A5Dataset main;
    private A5Dataset.Split mainSplit;
    private A5Dataset aux;
    private int[] auxRows;
    private long cachedMainEpoch = -1;
    private int cachedMainBatch = -1;
    private int[] mainOrder;
    private long cachedAuxEpoch = -1;
    private int[] auxOrder;

    /**
     * How the main and the length-2 data are split.
     *
     * @param trainFraction fraction of the length-N rows used for training (0.8)
     * @param mainSeed      seed of the length-N permutation
     * @param auxFraction   fraction of the length-2 rows used for training (1 for JAX, 0.8 for torch)
     * @param auxSeed       seed of the length-2 permutation (unused when {@code auxFraction = 1})
     */
    public record Split(double trainFraction, long mainSeed, double auxFraction, long auxSeed) {
        /** Checks the fractions. */
        public Split {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("train_split must be in (0, 1) to leave a validation set, got "
                        + trainFraction);
            }
            if (!(auxFraction > 0 && auxFraction <= 1)) {
                throw new IllegalArgumentException("length-2 train fraction must be in (0, 1], got " + auxFraction);
            }
        }

        /** R2 JAX (Linear CDE): main split from the run seed's data key, all length-2 sequences train. */
        public static Split jax(double trainFraction, long seed) {
            return new Split(trainFraction, seed, 1.0, seed);
        }

        /** R2 torch (SSMs): {@code randperm} after seeding {@code seed + 1} (length N) and {@code seed + 2} (length 2). */
        public static Split torch(double trainFraction, long seed) {
            return new Split(trainFraction, seed + 1, trainFraction, seed + 2);
        }
    }

    /**
     * @param length       sequence length N
     * @param size         distinct sequences (R2's files: 1 000 000 for N ≥ 4; all {@code 60^N} when
     *                     that is fewer)
     * @param split        how the data are split
     * @param auxBatchSize length-2 batch size (JAX: {@code batch_size // 10}; torch: {@code batch_size})
     * @param orderSeed    seed of the per-epoch batch orders
     */
    public R2A5Task(int length, int size, Split split, int auxBatchSize, long orderSeed) {
        if (length < 2) {
            throw new IllegalArgumentException("A5 length must be >= 2, got " + length);
        }
        if (size < 2) {
            throw new IllegalArgumentException("A5 size must be >= 2, got " + size);
        }
        if (auxBatchSize < 1) {
            throw new IllegalArgumentException("length-2 batch size must be >= 1, got " + auxBatchSize);
        }
        this.length = length;
        this.size = size;
        this.split = split;
        this.auxBatchSize = auxBatchSize;
        this.orderSeed = orderSeed;
    }

    /**
     * The length-N sequences: every one of the {@code 60^N} when {@code size} covers them (R2's
     * {@code A5=2.csv}, {@code A5=3.csv}), else {@code size} distinct uniform sequences from R1's fixed
     * generation stream (so for N ≥ 4 and size 1 000 000 this is {@link A5Dataset#r1}).
     */
    public static A5Dataset sequences(int length, int size) {
        double all = Math.pow(A5Group.ORDER, length);
        if (size >= all) {
            return A5Dataset.allSequences(length);
        }
        return A5Dataset.distinctRandomSequences(length, size,
                Rng.seeded(A5Dataset.GENERATION_SEED).stream("A5", "sequences", length));
    }

    @Override
    public String name() {
        return "A5-" + length;
    }

    @Override
    public int vocabSize() {
        return A5Group.ORDER;
    }

    @Override
    public int labelDim() {
        return A5Group.ORDER;
    }

    /** Sequence length N. */
    public int length() {
        return length;
    }

    /** The length-2 batch size. */
    public int auxBatchSize() {
        return auxBatchSize;
    }

    private synchronized void build() {
        if (main != null) {
            return;
        }
        A5Dataset d = sequences(length, size);
        A5Dataset.Split s = d.split(split.trainFraction(), split.mainSeed());
        if (s.train().length == 0 || s.validation().length == 0) {
            throw new IllegalArgumentException("A5-" + length + ": train_split " + split.trainFraction() + " of "
                    + d.size() + " sequences leaves an empty train or validation set");
        }
        A5Dataset a = A5Dataset.allSequences(AUX_LENGTH);
        main = d;
        mainSplit = s;
        aux = a;
        auxRows = a.split(split.auxFraction(), split.auxSeed()).train();
    }

    /** Training rows of the length-N data (indices into {@link #data()}). */
    public synchronized int[] trainRows() {
        build();
        return mainSplit.train().clone();
    }

    /** Validation rows of the length-N data. */
    public synchronized int[] validationRows() {
        build();
        return mainSplit.validation().clone();
    }

    /** Training rows of the length-2 data (indices into {@link A5Dataset#allSequences}{@code (2)}). */
    public synchronized int[] auxiliaryRows() {
        build();
        return auxRows.clone();
    }

    /** The length-N data. */
    public synchronized A5Dataset data() {
        build();
        return main;
    }

    /** Main batches per epoch for batch size {@code batchSize} (the last one short). */
    public synchronized long batchesPerEpoch(int batchSize) {
        build();
        return ceilDiv(mainSplit.train().length, batchSize);
    }

    @Override
    public synchronized Batch trainBatch(long step, int batchSize) {
        if (step < 0 || batchSize < 1) {
            throw new IllegalArgumentException("step must be >= 0 and batch size >= 1, got " + step + ", " + batchSize);
        }
        build();
        int[] train = mainSplit.train();
        long perEpoch = ceilDiv(train.length, batchSize);
        long epoch = step / perEpoch;
        if (epoch != cachedMainEpoch || batchSize != cachedMainBatch) {
            mainOrder = Rng.seeded(orderSeed).stream("R2-A5", "train-order", epoch).permutation(train.length);
            cachedMainEpoch = epoch;
            cachedMainBatch = batchSize;
        }
        return main.orderedBatch(train, mainOrder, (int) (step % perEpoch) * batchSize, batchSize, 0);
    }

    /**
     * The length-2 batch of step {@code step}, of this task's own {@link #auxBatchSize()} (R2 sets it
     * apart from the main batch size; {@code batchSize} is ignored), unpadded.
     */
    @Override
    public synchronized Optional<Batch> auxiliaryBatch(long step, int batchSize) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        build();
        long perEpoch = ceilDiv(auxRows.length, auxBatchSize);
        long epoch = step / perEpoch;
        if (epoch != cachedAuxEpoch) {
            auxOrder = Rng.seeded(orderSeed).stream("R2-A5", "aux-order", epoch).permutation(auxRows.length);
            cachedAuxEpoch = epoch;
        }
        return Optional.of(aux.orderedBatch(auxRows, auxOrder, (int) (step % perEpoch) * auxBatchSize, auxBatchSize,
                0));
    }

    @Override
    public synchronized List<Batch> validationBatches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        build();
        return main.batches(mainSplit.validation(), batchSize, 0);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
