package org.lincde.harness.data.uea;

import java.util.Objects;

/**
 * The cases of one UEA file (a {@code _TRAIN} or {@code _TEST} split) exactly as read: {@code N}
 * multivariate series, series {@code i} of shape {@code L_i × C} ({@code series[i][t][c]}, time
 * first), each with its class label string and the 1-based line it was read from. Lengths may
 * differ between cases (JapaneseVowels: 7–29); every case has the same {@code C} channels.
 * Missing values ({@code ?}) are {@code NaN}.
 *
 * @param source   the file read (for messages and provenance)
 * @param channels C
 * @param series   per case, {@code L_i × C} values (not copied)
 * @param labels   per case, the class label string
 * @param lines    per case, its 1-based line in {@code source}
 */
public record UeaSeriesSet(String source, int channels, double[][][] series, String[] labels, int[] lines) {

    /** Checks that the per-case arrays agree and every case has {@code channels} channels. */
    public UeaSeriesSet {
        Objects.requireNonNull(source, "source");
        if (series.length != labels.length || series.length != lines.length) {
            throw new IllegalArgumentException(source + ": " + series.length + " series but " + labels.length
                    + " labels and " + lines.length + " line numbers");
        }
        for (int i = 0; i < series.length; i++) {
            if (series[i].length == 0) {
                throw new IllegalArgumentException(source + ":" + lines[i] + ": case " + i + " has no observations");
            }
            for (double[] obs : series[i]) {
                if (obs.length != channels) {
                    throw new IllegalArgumentException(source + ":" + lines[i] + ": case " + i + " has "
                            + obs.length + " channels, expected " + channels);
                }
            }
        }
    }

    /** Number of cases N. */
    public int size() {
        return series.length;
    }

    /** Length {@code L_i} of case {@code i}. */
    public int length(int i) {
        return series[i].length;
    }

    /** Shortest case length (0 for an empty set). */
    public int minLength() {
        int m = Integer.MAX_VALUE;
        for (double[][] s : series) {
            m = Math.min(m, s.length);
        }
        return series.length == 0 ? 0 : m;
    }

    /** Longest case length (0 for an empty set). */
    public int maxLength() {
        int m = 0;
        for (double[][] s : series) {
            m = Math.max(m, s.length);
        }
        return m;
    }

    /** Where case {@code i} came from, as {@code file:line}. */
    public String where(int i) {
        return source + ":" + lines[i];
    }
}
