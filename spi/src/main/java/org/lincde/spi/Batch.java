package org.lincde.spi;

import java.util.Arrays;

/**
 * One mini-batch, built once in backend-neutral Java and handed unchanged to every backend.
 * Inputs are token ids or real-valued channels; targets are per-token labels with a mask
 * (sequence-to-sequence tasks: A5, formal languages), per-sequence labels (classification) or
 * real values (regression). Arrays are row-major and shared, not copied.
 *
 * @param inputs  what the model reads
 * @param targets what the loss compares against
 * @param lengths the unpadded length of each sequence (for reports and length-aware models);
 *                equal to {@code inputs.length()} for unpadded data
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record Batch(Inputs inputs, Targets targets, int[] lengths) {

    /** Checks that inputs, targets and lengths agree in batch size and length. */
    public Batch {
        if (lengths.length != inputs.batch()) {
            throw new IllegalArgumentException("batch has " + inputs.batch() + " sequences but "
                    + lengths.length + " lengths");
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0 || lengths[i] > inputs.length()) {
                throw new IllegalArgumentException("sequence " + i + " has length " + lengths[i]
                        + " outside [0, " + inputs.length() + "]");
            }
        }
        targets.check(inputs.batch(), inputs.length());
    }

    /** A batch whose sequences all have the full padded length. */
    public static Batch of(Inputs inputs, Targets targets) {
        int[] lengths = new int[inputs.batch()];
        Arrays.fill(lengths, inputs.length());
        return new Batch(inputs, targets, lengths);
    }

    /** Number of sequences B. */
    public int batchSize() {
        return inputs.batch();
    }

    /** Padded sequence length L. */
    public int length() {
        return inputs.length();
    }

    /** The model's input. */
    public sealed interface Inputs permits TokenInputs, ChannelInputs {
        /** B. */
        int batch();

        /** L. */
        int length();
    }

    /**
     * Token ids, shape {@code (B, L, perStep)}; {@code perStep} is 1, or 2 for R1's
     * {@code second_embedding}.
     */
    public record TokenInputs(int batch, int length, int perStep, int[] ids) implements Inputs {
        /** Checks the array size. */
        public TokenInputs {
            if ((long) batch * length * perStep != ids.length) {
                throw new IllegalArgumentException("token ids: expected " + batch + "×" + length + "×" + perStep
                        + " values, got " + ids.length);
            }
        }

        /** Single ids per step, shape {@code (B, L)}. */
        public TokenInputs(int batch, int length, int[] ids) {
            this(batch, length, 1, ids);
        }

        /** Largest id present (−1 if empty). */
        public int maxId() {
            int m = -1;
            for (int id : ids) {
                m = Math.max(m, id);
            }
            return m;
        }
    }

    /**
     * Real-valued channels, shape {@code (B, L, C)}, and optionally a per-sequence initial
     * observation of shape {@code (B, C0)} (R3's {@code x0}); {@code initial} is null when unused.
     */
    public record ChannelInputs(int batch, int length, int channels, double[] values, int initialChannels,
                                double[] initial) implements Inputs {
        /** Checks array sizes. */
        public ChannelInputs {
            if ((long) batch * length * channels != values.length) {
                throw new IllegalArgumentException("channel values: expected " + batch + "×" + length + "×"
                        + channels + " values, got " + values.length);
            }
            if (initial != null && (long) batch * initialChannels != initial.length) {
                throw new IllegalArgumentException("initial observations: expected " + batch + "×" + initialChannels
                        + " values, got " + initial.length);
            }
        }

        /** Channels without an initial observation. */
        public ChannelInputs(int batch, int length, int channels, double[] values) {
            this(batch, length, channels, values, 0, null);
        }
    }

    /** What the loss compares against. */
    public sealed interface Targets permits TokenTargets, SequenceTargets, RealTargets {
        /** Validates against the input's B and L. */
        void check(int batch, int length);
    }

    /**
     * Per-position class labels and a mask, shape {@code (B, L)}: only masked positions are scored
     * (the last position for the regular-language tasks, every real token for A5).
     */
    public record TokenTargets(int[] labels, boolean[] mask) implements Targets {
        @Override
        public void check(int batch, int length) {
            if (labels.length != batch * length || mask.length != batch * length) {
                throw new IllegalArgumentException("token targets: expected " + batch + "×" + length
                        + " labels and mask entries, got " + labels.length + " and " + mask.length);
            }
        }

        /** Number of scored positions. */
        public int maskedCount() {
            int n = 0;
            for (boolean m : mask) {
                if (m) {
                    n++;
                }
            }
            return n;
        }
    }

    /** One class label per sequence, shape {@code (B)}. */
    public record SequenceTargets(int[] labels) implements Targets {
        @Override
        public void check(int batch, int length) {
            if (labels.length != batch) {
                throw new IllegalArgumentException("sequence targets: expected " + batch + " labels, got "
                        + labels.length);
            }
        }
    }

    /** Real-valued targets, shape {@code (B, dim)}. */
    public record RealTargets(double[] values, int dim) implements Targets {
        @Override
        public void check(int batch, int length) {
            if (values.length != batch * dim) {
                throw new IllegalArgumentException("real targets: expected " + batch + "×" + dim + " values, got "
                        + values.length);
            }
        }
    }
}
