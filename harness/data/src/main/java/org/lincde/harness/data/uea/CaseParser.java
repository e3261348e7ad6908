package org.lincde.harness.data.uea;

import java.util.Arrays;
import java.util.List;

/** Shared number parsing for the two readers: one case's channel rows → a {@code L × C} series. */
final class CaseParser {
    private CaseParser() {
    }

    /** Parses one comma-separated channel; {@code ?} (and an empty field) is a missing value (NaN). */
    static double[] parseChannel(String text, String file, int line, int channel) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new UeaFormatException(file, line, "channel " + channel + " is empty", null);
        }
        String[] tokens = trimmed.split(",", -1);
        double[] values = new double[tokens.length];
        for (int t = 0; t < tokens.length; t++) {
            String tok = tokens[t].strip();
            if (tok.equals("?") || tok.isEmpty()) {
                values[t] = Double.NaN;
                continue;
            }
            try {
                values[t] = Double.parseDouble(tok);
            } catch (NumberFormatException e) {
                throw new UeaFormatException(file, line, "channel " + channel + ", value " + t + ": '" + tok
                        + "' is not a number", e);
            }
            if (Double.isInfinite(values[t])) {
                // '1e999' or 'Infinity' would turn every loss of the run into NaN
                throw new UeaFormatException(file, line, "channel " + channel + ", value " + t + ": '" + tok
                        + "' is not a finite number");
            }
        }
        return values;
    }

    /**
     * Channels (rows) → observations (time first). Trailing positions that are missing in every
     * channel are padding and are dropped (variable-length ARFF files pad with {@code ?}); the
     * channels must then have equal lengths.
     */
    static double[][] toSeries(List<double[]> channels, String file, int line) {
        int c = channels.size();
        int[] lengths = new int[c];
        int length = 0;
        for (int k = 0; k < c; k++) {
            double[] ch = channels.get(k);
            int n = ch.length;
            while (n > 0 && Double.isNaN(ch[n - 1])) {
                n--;
            }
            lengths[k] = n;
            length = Math.max(length, n);
        }
        for (int k = 0; k < c; k++) {
            double[] ch = channels.get(k);
            if (ch.length < length) {
                throw new UeaFormatException(file, line, "channels have unequal lengths " + Arrays.toString(
                        channels.stream().mapToInt(a -> a.length).toArray()), null);
            }
        }
        if (length == 0) {
            throw new UeaFormatException(file, line, "case has no observed values", null);
        }
        double[][] series = new double[length][c];
        for (int k = 0; k < c; k++) {
            double[] ch = channels.get(k);
            for (int t = 0; t < length; t++) {
                series[t][k] = ch[t];
            }
        }
        return series;
    }

    /** Strips one pair of matching single or double quotes. */
    /**
     * The set read from a file's cases, or the error a reader gives for a file without a data section or cases.
     *
     * @param source the file as the errors name it
     */
    static UeaSeriesSet finish(String source, String name, boolean inData, int channels, List<double[][]> series,
                               List<String> labels, List<Integer> lines) {
        if (!inData) {
            throw new UeaFormatException(source, 0, "no @data section");
        }
        if (series.isEmpty()) {
            throw new UeaFormatException(source, 0, "no cases after @data");
        }
        return new UeaSeriesSet(name, channels, series.toArray(new double[0][][]), labels.toArray(new String[0]),
                lines.stream().mapToInt(Integer::intValue).toArray());
    }

    static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.charAt(0) == '\'' || t.charAt(0) == '"') && t.charAt(t.length() - 1) == t.charAt(0)) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }
}
