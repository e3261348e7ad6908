package org.lincde.harness.data.uea;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

/**
 * One run's view of a UEA dataset (SPEC §3.5 steps 1–5, §4.3 batching): time channel, min–max
 * scaling, the seeded 70/15/15 split, per-interval log-signatures and the initial observation,
 * served as {@link Batch}es.
 *
 * <p><b>Inputs for the linear-NCDE models</b> ({@link Split#logSignatureBatch}):
 * {@code ChannelInputs(B, n, β, values, C0, x0)} with {@code n} intervals
 * ({@link LogSignatureIntervals#count}), {@code β} log-signature coordinates per interval
 * without the SPEC's leading 0 column ({@code C0} at depth 1, {@code C0 + C0(C0−1)/2} at
 * depth 2), already divided by {@link Options#logSignatureDivisor()}, and {@code x0} the first
 * (scaled) observation of {@code C0} channels, time included. Targets:
 * {@code SequenceTargets(labels)}. Lengths: all {@code n}.
 *
 * <p><b>Inputs for the SSM baselines</b> ({@link Split#rawBatch}): the raw series, unscaled and
 * optionally time-augmented, {@code ChannelInputs(B, L, C0)}; lengths are the true lengths of
 * padded variable-length cases.
 *
 * <p>Log-signatures are computed once per split at build time (float64), one split at a time in
 * its permuted order, so the faithful [QUIRK] of {@link LogSignatureIntervals} sees the same
 * processing batches as upstream. Memory: {@code N·n·β} doubles (MotorImagery at stepsize 16,
 * depth 2: about 1.2 GB), plus two copies of the {@code N×L×C0} series.
 */
public final class UeaDataset {
    /** The T of SPEC §3.5 step 1: 1 in every UEA config. */
    public static final double TIME_HORIZON = 1.0;

    /**
     * Per-run processing switches.
     *
     * @param includeTime         prepend the time channel (config {@code time})
     * @param minMaxScale         scale every channel to [−1, 1] (on for the linear-NCDE models)
     * @param stepsize            log-signature interval stepsize s ≥ 1
     * @param depth               log-signature depth, 1 or 2
     * @param faithful            reproduce the final-interval [QUIRK] (default true)
     * @param logSignatureDivisor divide every log-signature coordinate by this
     *                            ({@link UeaQuirks#linearNcdeLogSignatureDivisor}; 1 otherwise)
     */
    public record Options(boolean includeTime, boolean minMaxScale, int stepsize, int depth, boolean faithful,
                          double logSignatureDivisor) {
        /** Validates stepsize, depth and divisor. */
        public Options {
            if (stepsize < 1) {
                throw new IllegalArgumentException("log-signature stepsize must be ≥ 1, got " + stepsize);
            }
            if (depth < 1 || depth > 2) {
                throw new IllegalArgumentException("log-signature depth must be 1 or 2, got " + depth);
            }
            if (!(logSignatureDivisor > 0) || !Double.isFinite(logSignatureDivisor)) {
                throw new IllegalArgumentException("log-signature divisor must be positive and finite, got "
                        + logSignatureDivisor);
            }
        }

        /** The linear-NCDE defaults: scaled, faithful, divisor 1. */
        public static Options linearNcde(boolean includeTime, int stepsize, int depth) {
            return new Options(includeTime, true, stepsize, depth, true, 1.0);
        }

        /** A copy with {@code faithful} changed. */
        public Options withFaithful(boolean value) {
            return new Options(includeTime, minMaxScale, stepsize, depth, value, logSignatureDivisor);
        }

        /** A copy with the log-signature divisor changed. */
        public Options withLogSignatureDivisor(double value) {
            return new Options(includeTime, minMaxScale, stepsize, depth, faithful, value);
        }
    }

    private final UeaRawDataset raw;
    private final Options options;
    private final int channels;
    private final int intervals;
    private final int beta;
    private final MinMaxScaling scaling;
    private final Split train;
    private final Split validation;
    private final Split test;

    private UeaDataset(UeaRawDataset raw, Options options, int channels, MinMaxScaling scaling,
                       double[] rawSeries, double[] modelSeries, RandomSplit split) {
        this.raw = raw;
        this.options = options;
        this.channels = channels;
        this.scaling = scaling;
        this.intervals = LogSignatureIntervals.count(raw.length(), options.stepsize());
        this.beta = LogSignatureIntervals.width(channels, options.depth(), false);
        this.train = new Split("train", split.train(), rawSeries, modelSeries);
        this.validation = new Split("validation", split.validation(), rawSeries, modelSeries);
        this.test = new Split("test", split.test(), rawSeries, modelSeries);
    }

    /**
     * Processes {@code raw} for one run: time channel, scaling (both over the whole dataset), a
     * split drawn from {@code splitRng} (used as is: pass a named stream such as
     * {@code rng.stream("data", "split")}), log-signatures per split.
     */
    public static UeaDataset build(UeaRawDataset raw, Options options, Rng splitRng) {
        int n = raw.size();
        int c0 = raw.channels() + (options.includeTime() ? 1 : 0);
        double[] rawSeries = options.includeTime()
                ? TimeChannel.prepend(raw.values(), n, raw.length(), raw.channels(), TIME_HORIZON)
                : raw.values().clone();
        MinMaxScaling scaling = options.minMaxScale() ? MinMaxScaling.fit(rawSeries, c0) : null;
        double[] modelSeries = scaling != null ? scaling.apply(rawSeries) : rawSeries;
        return new UeaDataset(raw, options, c0, scaling, rawSeries, modelSeries, RandomSplit.of(n, splitRng));
    }

    /** The dataset name. */
    public String name() {
        return raw.name();
    }

    /** The processed-but-unsplit source. */
    public UeaRawDataset source() {
        return raw;
    }

    /** The options used. */
    public Options options() {
        return options;
    }

    /** Class names; class k is {@code classes().get(k)}. */
    public List<String> classes() {
        return raw.encoding().classes();
    }

    /** K. */
    public int numClasses() {
        return raw.numClasses();
    }

    /** C0: input channels including the time channel when used. */
    public int channels() {
        return channels;
    }

    /** L, the (padded) series length. */
    public int length() {
        return raw.length();
    }

    /** n, the number of log-signature intervals. */
    public int intervals() {
        return intervals;
    }

    /** β, log-signature coordinates per interval (no leading 0). */
    public int logSignatureDimension() {
        return beta;
    }

    /** The fitted scaling, when {@link Options#minMaxScale()} is on. */
    public Optional<MinMaxScaling> scaling() {
        return Optional.ofNullable(scaling);
    }

    /** The training split. */
    public Split train() {
        return train;
    }

    /** The validation split. */
    public Split validation() {
        return validation;
    }

    /** The test split. */
    public Split test() {
        return test;
    }

    /** Endless training batches of log-signature inputs, reshuffled each epoch (SPEC §4.3). */
    public Iterator<Batch> trainingLogSignatureBatches(int batchSize, Rng rng) {
        return map(EpochBatchSampler.training(train.size(), batchSize, rng), train::logSignatureBatch);
    }

    /** Endless training batches of raw-series inputs, reshuffled each epoch (SPEC §4.3). */
    public Iterator<Batch> trainingRawBatches(int batchSize, Rng rng) {
        return map(EpochBatchSampler.training(train.size(), batchSize, rng), train::rawBatch);
    }

    /**
     * Raw-series training batches as PyTorch's shuffled {@code DataLoader} yields them (R3's S6/Mamba
     * trainer): a new permutation every epoch, the last partial batch kept ({@link EpochBatchSampler#keepingLast}).
     */
    public Iterator<Batch> trainingRawBatchesKeepingLast(int batchSize, Rng rng) {
        return map(EpochBatchSampler.keepingLast(train.size(), batchSize, rng), train::rawBatch);
    }

    private static Iterator<Batch> map(Iterator<int[]> rows, Function<int[], Batch> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Batch next() {
                return f.apply(rows.next());
            }
        };
    }

    /** One of the three splits, in permuted order; rows below are 0-based positions in it. */
    public final class Split {
        private final String name;
        private final int[] cases;
        private final int[] labels;
        private final int[] lengths;
        private final double[] rawSeries;
        private final double[] logSignatures;
        private final double[] initial;

        private Split(String name, int[] cases, double[] allRaw, double[] allModel) {
            this.name = name;
            this.cases = cases;
            int m = cases.length;
            int l = raw.length();
            int stride = l * channels;
            labels = new int[m];
            lengths = new int[m];
            rawSeries = new double[m * stride];
            double[] model = new double[m * stride];
            initial = new double[m * channels];
            for (int i = 0; i < m; i++) {
                int src = cases[i] * stride;
                labels[i] = raw.labels()[cases[i]];
                lengths[i] = raw.lengths()[cases[i]];
                System.arraycopy(allRaw, src, rawSeries, i * stride, stride);
                System.arraycopy(allModel, src, model, i * stride, stride);
                System.arraycopy(allModel, src, initial, i * channels, channels);
            }
            logSignatures = m == 0 ? new double[0]
                    : LogSignatureIntervals.compute(model, m, l, channels, options.stepsize(), options.depth(),
                            options.faithful(), false);
            if (options.logSignatureDivisor() != 1.0) {
                for (int i = 0; i < logSignatures.length; i++) {
                    logSignatures[i] /= options.logSignatureDivisor();
                }
            }
        }

        /** "train", "validation" or "test". */
        public String name() {
            return name;
        }

        /** Number of cases. */
        public int size() {
            return cases.length;
        }

        /** Per row, the case index in {@link #source()} (a copy). */
        public int[] cases() {
            return cases.clone();
        }

        /** Per row, the class code (a copy). */
        public int[] labels() {
            return labels.clone();
        }

        /** {@code size × n × β} log-signature coordinates (shared: do not modify). */
        public double[] logSignatures() {
            return logSignatures;
        }

        /** {@code size × C0} first (scaled) observations (shared: do not modify). */
        public double[] initialObservations() {
            return initial;
        }

        /** {@code size × L × C0} raw, optionally time-augmented series (shared: do not modify). */
        public double[] rawSeries() {
            return rawSeries;
        }

        /** The log-signature inputs of the given rows. */
        public Batch logSignatureBatch(int[] rows) {
            int b = rows.length;
            int stride = intervals * beta;
            double[] v = new double[b * stride];
            double[] x0 = new double[b * channels];
            int[] y = new int[b];
            int[] len = new int[b];
            for (int i = 0; i < b; i++) {
                int r = row(rows[i]);
                System.arraycopy(logSignatures, r * stride, v, i * stride, stride);
                System.arraycopy(initial, r * channels, x0, i * channels, channels);
                y[i] = labels[r];
                len[i] = intervals;
            }
            return new Batch(new Batch.ChannelInputs(b, intervals, beta, v, channels, x0),
                    new Batch.SequenceTargets(y), len);
        }

        /** The raw-series inputs of the given rows. */
        public Batch rawBatch(int[] rows) {
            int b = rows.length;
            int stride = raw.length() * channels;
            double[] v = new double[b * stride];
            int[] y = new int[b];
            int[] len = new int[b];
            for (int i = 0; i < b; i++) {
                int r = row(rows[i]);
                System.arraycopy(rawSeries, r * stride, v, i * stride, stride);
                y[i] = labels[r];
                len[i] = lengths[r];
            }
            return new Batch(new Batch.ChannelInputs(b, raw.length(), channels, v), new Batch.SequenceTargets(y), len);
        }

        /** Fixed-order log-signature batches covering the split once (evaluation). */
        public List<Batch> logSignatureBatches(int batchSize) {
            List<Batch> out = new ArrayList<>();
            for (int[] rows : EpochBatchSampler.inOrder(size(), batchSize)) {
                out.add(logSignatureBatch(rows));
            }
            return out;
        }

        /** Fixed-order raw-series batches covering the split once (evaluation). */
        public List<Batch> rawBatches(int batchSize) {
            List<Batch> out = new ArrayList<>();
            for (int[] rows : EpochBatchSampler.inOrder(size(), batchSize)) {
                out.add(rawBatch(rows));
            }
            return out;
        }

        private int row(int r) {
            if (r < 0 || r >= cases.length) {
                throw new IndexOutOfBoundsException("row " + r + " outside the " + cases.length + " cases of the "
                        + name + " split of " + raw.name());
            }
            return r;
        }
    }
}
