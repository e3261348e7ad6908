package org.lincde.harness.data.uea;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.lincde.spi.Rng;

/**
 * Batch index sequences with the Log-NCDE data loader's semantics (SPEC §4.3).
 *
 * <p>{@link #training}: an endless stream of batches; each epoch draws a new permutation of the
 * {@code size} cases from {@code rng.stream("epoch", e)} and yields {@code perm[k·B, (k+1)·B)}
 * while {@code (k+1)·B < size}. [QUIRK] As upstream, the tail of each epoch is dropped,
 * including a last batch that would be exactly full; with {@code B == size} every batch is the
 * whole set in its stored order; {@code B > size} is refused.
 *
 * <p>{@link #inOrder}: consecutive batches of {@code B} in stored order, the last one partial —
 * every case exactly once, for evaluation.
 *
 * <p>{@link #keepingLast} and {@link #shuffledOnce}: PyTorch's {@code DataLoader(shuffle=True)} with
 * {@code drop_last=False}, as R3's PyTorch trainer for S6/Mamba uses for every split
 * (torch_experiments/train.py:186–214): each pass draws a new permutation and yields
 * {@code ⌈size/B⌉} batches, the last one partial.
 */
public final class EpochBatchSampler {
    private EpochBatchSampler() {
    }

    /** The endless training sequence; epochs are independent named streams of {@code rng}. */
    public static Iterator<int[]> training(int size, int batchSize, Rng rng) {
        check(size, batchSize);
        if (batchSize > size) {
            throw new IllegalArgumentException("batch size " + batchSize + " is larger than the " + size
                    + " training cases");
        }
        return new Iterator<>() {
            private long epoch = -1;
            private int[] perm;
            private int start;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public int[] next() {
                if (batchSize == size) {
                    int[] all = new int[size];
                    Arrays.setAll(all, i -> i);
                    return all;
                }
                if (perm == null || start + batchSize >= size) {
                    epoch++;
                    perm = rng.stream("epoch", epoch).permutation(size);
                    start = 0;
                }
                int[] batch = Arrays.copyOfRange(perm, start, start + batchSize);
                start += batchSize;
                return batch;
            }
        };
    }

    /**
     * The endless PyTorch-style training sequence: epoch {@code e} is {@link #shuffledOnce} with
     * {@code rng.stream("epoch", e)}, so every epoch has {@link #batchesPerEpoch} batches, the last one partial.
     */
    public static Iterator<int[]> keepingLast(int size, int batchSize, Rng rng) {
        check(size, batchSize);
        return new Iterator<>() {
            private long epoch = -1;
            private List<int[]> batches = List.of();
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public int[] next() {
                if (next == batches.size()) {
                    epoch++;
                    batches = shuffledOnce(size, batchSize, rng.stream("epoch", epoch));
                    next = 0;
                }
                return batches.get(next++);
            }
        };
    }

    /** One pass over a fresh permutation from {@code rng}: batches of {@code B}, the last possibly shorter. */
    public static List<int[]> shuffledOnce(int size, int batchSize, Rng rng) {
        check(size, batchSize);
        int[] perm = rng.permutation(size);
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < size; start += batchSize) {
            out.add(Arrays.copyOfRange(perm, start, Math.min(size, start + batchSize)));
        }
        return out;
    }

    /** {@code ⌈size / B⌉}: the batches of one PyTorch epoch with {@code drop_last=False}. */
    public static int batchesPerEpoch(int size, int batchSize) {
        check(size, batchSize);
        return (size + batchSize - 1) / batchSize;
    }

    /** Consecutive batches covering {@code 0..size−1} once, the last possibly shorter. */
    public static List<int[]> inOrder(int size, int batchSize) {
        check(size, batchSize);
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < size; start += batchSize) {
            int end = Math.min(size, start + batchSize);
            int[] b = new int[end - start];
            for (int i = 0; i < b.length; i++) {
                b[i] = start + i;
            }
            out.add(b);
        }
        return out;
    }

    private static void check(int size, int batchSize) {
        if (size < 1) {
            throw new IllegalArgumentException("no cases to draw batches from");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
    }
}
