package org.lincde.harness.data.uea;

import org.lincde.harness.signature.LogSignature;

/**
 * Per-interval log-signatures of a batch of equal-length series, exactly as SPEC §3.5 item 4
 * lays them out for the Log-NCDE / linear-NCDE models.
 *
 * <p>For one series {@code X_0 … X_{L−1}} (C channels), stepsize {@code s} and depth {@code N}:
 * <ol>
 *   <li>prepend a zero observation: {@code X' = [0, X_0, …, X_{L−1}]}, {@code M = L+1} points
 *       (a stepsize above {@code M} is lowered to {@code M});</li>
 *   <li>{@code r = M mod s}; the first {@code M−r} points are cut into chunks of {@code s};
 *       chunk {@code k ≥ 1} is prefixed by the last point of chunk {@code k−1}, chunk 0 by an
 *       extra zero point (a zero-length first segment);</li>
 *   <li>if {@code r > 0}, a final interval is formed from the last {@code r+1} points, prefixed
 *       by one extra point: with {@code faithful = true} ([QUIRK]) the last point of the
 *       <em>previous series in the processing batch of {@value #PROCESSING_BATCH}</em> (zero for
 *       the first series of each batch), as the authors' code does; with {@code faithful = false}
 *       the interval's own first point (a zero-length segment, so nothing leaks between
 *       series);</li>
 *   <li>{@code n = ⌈M/s⌉} intervals, each giving {@code [0, Δ^1…Δ^C]} (depth 1) or
 *       {@code [0, Δ…, A^{12}, …, A^{(C−1)C}]} (depth 2), see {@link LogSignature}.</li>
 * </ol>
 * Processing batches are consecutive runs of {@value #PROCESSING_BATCH} series in the order
 * given (the authors compute each split separately after the permutation, in split order, with
 * the last partial batch holding the tail): pass one split at a time, in its order.
 */
public final class LogSignatureIntervals {
    /** The authors' processing batch size ({@code batch_calc_paths}). */
    public static final int PROCESSING_BATCH = 128;

    private LogSignatureIntervals() {
    }

    /** Number of intervals {@code n = ⌈(L+1)/s⌉} (after lowering {@code s} to at most {@code L+1}). */
    public static int count(int length, int stepsize) {
        checkLengthStep(length, stepsize);
        int m = length + 1;
        int s = Math.min(stepsize, m);
        return (m + s - 1) / s;
    }

    /** Coordinates per interval: {@code β = LogSignature.dimension(C, N)}, plus 1 with the leading 0. */
    public static int width(int channels, int depth, boolean leadingZero) {
        return LogSignature.dimension(channels, depth) + (leadingZero ? 1 : 0);
    }

    /**
     * The log-signatures of {@code samples} series of shape {@code L×C} stored row-major in
     * {@code series} (sample, time, channel), in processing order. Returns
     * {@code samples × n × width} values (see {@link #count}, {@link #width}); with
     * {@code leadingZero} each interval starts with the SPEC's 0 column. series: read.
     */
    public static double[] compute(double[] series, int samples, int length, int channels, int stepsize, int depth,
                                   boolean faithful, boolean leadingZero) {
        checkLengthStep(length, stepsize);
        if (channels < 1 || samples < 0 || (long) samples * length * channels != series.length) {
            throw new IllegalArgumentException("series: expected " + samples + "×" + length + "×" + channels
                    + " values, got " + series.length);
        }
        int n = count(length, stepsize);
        int width = width(channels, depth, leadingZero);
        int off = leadingZero ? 1 : 0;
        int m = length + 1;
        int s = Math.min(stepsize, m);
        int r = m % s;
        int full = (m - r) / s;
        double[] out = new double[samples * n * width];
        double[] window = new double[(s + 2) * channels]; // prefix point + up to s (or r+1) points
        for (int b = 0; b < samples; b++) {
            int base = b * length * channels;
            int outBase = b * n * width;
            for (int k = 0; k < full; k++) {
                // prefix: X'_{ks−1} (zero for k = 0), then X'_{ks} … X'_{ks+s−1}
                point(series, base, channels, k * s - 1, window, 0);
                for (int p = 0; p < s; p++) {
                    point(series, base, channels, k * s + p, window, (p + 1) * channels);
                }
                LogSignature.compute(window, 0, s + 1, channels, depth, out, outBase + k * width + off);
            }
            if (r > 0) {
                // the last r+1 points X'_{M−r−1} … X'_{M−1}, after one extra prefix point
                for (int p = 0; p <= r; p++) {
                    point(series, base, channels, m - r - 1 + p, window, (p + 1) * channels);
                }
                if (!faithful) {
                    System.arraycopy(window, channels, window, 0, channels);
                } else if (b % PROCESSING_BATCH == 0) {
                    java.util.Arrays.fill(window, 0, channels, 0.0);
                } else {
                    // [QUIRK] the previous series' final point X'_{M−1} (SPEC §3.5)
                    point(series, base - length * channels, channels, m - 1, window, 0);
                }
                LogSignature.compute(window, 0, r + 2, channels, depth, out, outBase + full * width + off);
            }
        }
        return out;
    }

    /** Copies point {@code X'_q} (q = 0 and q = −1 are the prepended zeros) to {@code dst[at…]}. */
    private static void point(double[] series, int base, int channels, int q, double[] dst, int at) {
        if (q <= 0) {
            java.util.Arrays.fill(dst, at, at + channels, 0.0);
        } else {
            System.arraycopy(series, base + (q - 1) * channels, dst, at, channels);
        }
    }

    private static void checkLengthStep(int length, int stepsize) {
        if (length < 1) {
            throw new IllegalArgumentException("series length must be ≥ 1, got " + length);
        }
        if (stepsize < 1) {
            throw new IllegalArgumentException("log-signature stepsize must be ≥ 1, got " + stepsize);
        }
    }
}
