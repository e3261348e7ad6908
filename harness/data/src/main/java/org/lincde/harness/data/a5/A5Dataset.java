package org.lincde.harness.data.a5;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

/**
 * A fixed set of A5 word-problem sequences with their prefix-product targets (SPEC §3.1), held as
 * bytes (one per id): 1 000 000 sequences of length 20 take 40 MB.
 *
 * <p>Sources: {@link #allSequences(int)} (every sequence of a length, R1's {@code A5=2.csv} and
 * {@code A5=3.csv}, in product order: {@code x_1} varies slowest), {@link #distinctRandomSequences}
 * (uniform draws without duplicates, R1's {@code A5=N.csv} for N ≥ 4), {@link #r1(int, int)}
 * (whichever of the two R1 used for N) and {@link A5Csv#read} (the original files).
 *
 * <p>Targets normally have the input's length N. Only R1's mocked-CSV test has shorter targets
 * (inputs of 3 ids, targets of 2); {@link #batch} then pads targets with 0 and masks the padded
 * positions out, since a {@link Batch} has one length for inputs and targets.
 *
 * <p>Immutable.
 */
public final class A5Dataset {
    /**
     * Seed of the stream that draws the N ≥ 4 sequences in {@link #r1(int, int)}. Fixed and
     * independent of the run seed, like R1's CSV files, which every run shares.
     */
    public static final long GENERATION_SEED = 0L;
    /** R1's split seed ({@code random_split} generator seed 1234), independent of the run seed. */
    public static final long SPLIT_SEED = 1234L;

    private static final int IDS_PER_WORD = 10; // 60^10 < 2^63: ten ids fit in one long

    private final int size;
    private final int inputLength;
    private final int targetLength;
    private final byte[] inputs;
    private final byte[] targets;

    A5Dataset(int size, int inputLength, int targetLength, byte[] inputs, byte[] targets) {
        if (inputs.length != (long) size * inputLength || targets.length != (long) size * targetLength) {
            throw new IllegalArgumentException("A5 dataset arrays do not match " + size + " rows of " + inputLength
                    + " inputs and " + targetLength + " targets");
        }
        this.size = size;
        this.inputLength = inputLength;
        this.targetLength = targetLength;
        this.inputs = inputs;
        this.targets = targets;
    }

    /**
     * Every one of the {@code 60^length} sequences of {@code length} ids with its prefix products,
     * in product order (row {@code r} spells {@code r} in base 60, most significant id first).
     *
     * @throws IllegalArgumentException if {@code length < 1} or the set would not fit in memory
     *                                  (length above 4)
     */
    public static A5Dataset allSequences(int length) {
        if (length < 1 || length > 4) {
            throw new IllegalArgumentException("A5: can enumerate all sequences of length 1..4 only, got " + length);
        }
        int size = (int) Math.pow(A5Group.ORDER, length);
        byte[] in = new byte[size * length];
        for (int r = 0; r < size; r++) {
            int rest = r;
            for (int k = length - 1; k >= 0; k--) {
                in[r * length + k] = (byte) (rest % A5Group.ORDER);
                rest /= A5Group.ORDER;
            }
        }
        return withPrefixProducts(size, length, in);
    }

    /**
     * {@code size} distinct sequences of {@code length} ids, each id uniform over 0..59, with
     * duplicates rejected (SPEC §3.1), in the order drawn.
     *
     * @param rng the stream to draw from (the dataset is a pure function of its key)
     * @throws IllegalArgumentException if {@code size} exceeds {@code 60^length}
     */
    public static A5Dataset distinctRandomSequences(int length, int size, Rng rng) {
        if (length < 1) {
            throw new IllegalArgumentException("A5 sequence length must be >= 1, got " + length);
        }
        if (size < 1) {
            throw new IllegalArgumentException("A5 dataset size must be >= 1, got " + size);
        }
        double possible = Math.pow(A5Group.ORDER, length);
        if (size > possible) {
            throw new IllegalArgumentException("A5: cannot draw " + size + " distinct sequences of length " + length
                    + ": only " + (long) possible + " exist");
        }
        if ((long) size * length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("A5: " + size + " sequences of length " + length
                    + " exceed the 2^31 ids one dataset can hold");
        }
        byte[] in = new byte[size * length];
        SequenceSet seen = new SequenceSet((length + IDS_PER_WORD - 1) / IDS_PER_WORD, size);
        byte[] candidate = new byte[length];
        int count = 0;
        while (count < size) {
            for (int k = 0; k < length; k++) {
                candidate[k] = (byte) rng.nextInt(A5Group.ORDER);
            }
            if (seen.add(candidate)) {
                System.arraycopy(candidate, 0, in, count * length, length);
                count++;
            }
        }
        return withPrefixProducts(size, length, in);
    }

    /**
     * The data set R1 trains on for length N (SPEC §3.1): all {@code 60^N} sequences for
     * N ≤ 3, else {@code size} distinct uniform sequences drawn from the fixed stream
     * {@code Rng.seeded(GENERATION_SEED).stream("A5", "sequences", N)}.
     */
    public static A5Dataset r1(int length, int size) {
        if (length <= 3) {
            return allSequences(length);
        }
        return distinctRandomSequences(length, size, Rng.seeded(GENERATION_SEED).stream("A5", "sequences", length));
    }

    private static A5Dataset withPrefixProducts(int size, int length, byte[] in) {
        byte[] out = new byte[in.length];
        A5Group group = A5Group.instance();
        for (int r = 0; r < size; r++) {
            group.prefixProducts(in, r * length, length, out, r * length);
        }
        return new A5Dataset(size, length, length, in, out);
    }

    /** Number of sequences. */
    public int size() {
        return size;
    }

    /** Input length N. */
    public int inputLength() {
        return inputLength;
    }

    /** Target length (N, except in R1's mocked-CSV test). */
    public int targetLength() {
        return targetLength;
    }

    /** The input ids of row {@code row}. */
    public int[] input(int row) {
        return slice(inputs, row, inputLength);
    }

    /** The target ids of row {@code row}. */
    public int[] target(int row) {
        return slice(targets, row, targetLength);
    }

    private int[] slice(byte[] data, int row, int length) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " outside 0.." + (size - 1));
        }
        int[] out = new int[length];
        for (int k = 0; k < length; k++) {
            out[k] = data[row * length + k];
        }
        return out;
    }

    /**
     * Number of rows whose targets differ from the prefix products of their inputs under
     * {@link A5Group}'s convention (0 for generated data; a file from another generator may label
     * the group differently, SPEC §3.1).
     */
    public int countTargetsNotPrefixProducts() {
        if (targetLength != inputLength) {
            return size;
        }
        A5Group group = A5Group.instance();
        byte[] expected = new byte[inputLength];
        int bad = 0;
        for (int r = 0; r < size; r++) {
            group.prefixProducts(inputs, r * inputLength, inputLength, expected, 0);
            if (!Arrays.equals(expected, 0, inputLength, targets, r * inputLength, (r + 1) * inputLength)) {
                bad++;
            }
        }
        return bad;
    }

    /**
     * R1's {@code random_split} (SPEC §3.1): a permutation of the rows drawn from
     * {@code Rng.seeded(splitSeed).stream("A5", "split")}; its first {@code ⌊trainFraction·size⌋}
     * rows train, the rest validate (none when {@code trainFraction = 1}, R1's
     * {@code train_split=1}).
     */
    public Split split(double trainFraction, long splitSeed) {
        if (!(trainFraction > 0.0 && trainFraction <= 1.0)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1], got " + trainFraction);
        }
        if (trainFraction == 1.0) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return new Split(all, new int[0]);
        }
        int trainSize = (int) (trainFraction * size); // Python's int(train_split * len(dataset))
        int[] perm = Rng.seeded(splitSeed).stream("A5", "split").permutation(size);
        return new Split(Arrays.copyOfRange(perm, 0, trainSize), Arrays.copyOfRange(perm, trainSize, size));
    }

    /**
     * Batch {@code from / size} of an epoch: the rows {@code pool[order[from]], pool[order[from + 1]], …}, at most
     * {@code size} of them (fewer at the end of {@code pool}), as {@link #batch} pads them.
     */
    public Batch orderedBatch(int[] pool, int[] order, int from, int size, int paddingLength) {
        int to = Math.min(from + size, pool.length);
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = pool[order[from + i]];
        }
        return batch(rows, 0, rows.length, paddingLength);
    }

    /** {@code rows} in order, in batches of {@code batchSize} (the last one shorter), as {@link #batch} pads them. */
    public List<Batch> batches(int[] rows, int batchSize, int paddingLength) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < rows.length; from += batchSize) {
            out.add(batch(rows, from, Math.min(from + batchSize, rows.length), paddingLength));
        }
        return out;
    }

    /**
     * The rows {@code rows[from..to)} as one batch: inputs padded with token 0 and targets with 0 to
     * {@code max(paddingLength, inputLength)}; the mask is true on the real target positions
     * (SPEC §3.1, R1 padding). Every sequence's recorded length is {@link #inputLength()}.
     */
    public Batch batch(int[] rows, int from, int to, int paddingLength) {
        if (from < 0 || to > rows.length || from >= to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") is empty or outside 0.."
                    + rows.length);
        }
        int batch = to - from;
        int length = Math.max(paddingLength, inputLength);
        int[] ids = new int[batch * length];
        int[] labels = new int[batch * length];
        boolean[] mask = new boolean[batch * length];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            int row = rows[from + b];
            if (row < 0 || row >= size) {
                throw new IndexOutOfBoundsException("row " + row + " outside 0.." + (size - 1));
            }
            for (int k = 0; k < inputLength; k++) {
                ids[b * length + k] = inputs[row * inputLength + k];
            }
            for (int k = 0; k < targetLength; k++) {
                labels[b * length + k] = targets[row * targetLength + k];
                mask[b * length + k] = true;
            }
            lengths[b] = inputLength;
        }
        return new Batch(new Batch.TokenInputs(batch, length, ids), new Batch.TokenTargets(labels, mask), lengths);
    }

    /** Raw access for the CSV writer. */
    byte inputId(int row, int k) {
        return inputs[row * inputLength + k];
    }

    byte targetId(int row, int k) {
        return targets[row * targetLength + k];
    }

    /**
     * A train/validation split: row indices into the dataset.
     *
     * @param train      training rows, in permutation order
     * @param validation validation rows, in permutation order (empty for a split of 1)
     */
    public record Split(int[] train, int[] validation) {
    }

    /**
     * An open-addressing hash set of sequences, each packed into {@code words} longs of ten
     * base-60 digits (memory-frugal duplicate rejection: 16 bytes per slot for N ≤ 20).
     */
    private static final class SequenceSet {
        private final int words;
        private final long[] slots; // word 0 holds packed value + 1 so that 0 means empty
        private final int mask;
        private final long[] key;

        SequenceSet(int words, int expected) {
            if (expected > 1 << 28) {
                throw new IllegalArgumentException("A5: cannot track " + expected + " distinct sequences (at most 2^28)");
            }
            this.words = words;
            this.key = new long[words];
            int capacity = Integer.highestOneBit(Math.max(2, expected) * 2 - 1) << 1; // load ≤ 1/2
            this.slots = new long[capacity * words];
            this.mask = capacity - 1;
        }

        /** Adds {@code seq}; false if it was already present. */
        boolean add(byte[] seq) {
            long hash = 0x9E3779B97F4A7C15L;
            for (int w = 0; w < words; w++) {
                long v = 0;
                int end = Math.min(seq.length, (w + 1) * IDS_PER_WORD);
                for (int k = w * IDS_PER_WORD; k < end; k++) {
                    v = v * A5Group.ORDER + seq[k];
                }
                key[w] = w == 0 ? v + 1 : v;
                hash = mix(hash ^ key[w]);
            }
            int slot = (int) hash & mask;
            while (true) {
                int base = slot * words;
                if (slots[base] == 0) {
                    System.arraycopy(key, 0, slots, base, words);
                    return true;
                }
                if (Arrays.equals(slots, base, base + words, key, 0, words)) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
        }

        private static long mix(long z) { // SplitMix64 finaliser
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
