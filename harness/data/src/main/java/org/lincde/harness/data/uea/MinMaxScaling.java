package org.lincde.harness.data.uea;

/**
 * SPEC §3.5 step 2 (linear-NCDE models only): each channel, the time channel included, is mapped
 * to [−1, 1] by {@code 2(x − min)/(max − min + 1e−8) − 1} with min and max taken over all
 * samples and all time steps of the whole dataset (before the split, as upstream). A constant
 * channel maps to −1.
 *
 * @param min per channel minimum
 * @param max per channel maximum
 */
public record MinMaxScaling(double[] min, double[] max) {
    /** The 1e−8 of the authors' formula. */
    public static final double EPSILON = 1e-8;

    /** Fits min and max per channel over {@code N×L×C} values. values: read. */
    public static MinMaxScaling fit(double[] values, int channels) {
        if (channels < 1 || values.length % channels != 0 || values.length == 0) {
            throw new IllegalArgumentException("cannot fit a min–max scaling of " + channels + " channels to "
                    + values.length + " values");
        }
        double[] min = new double[channels];
        double[] max = new double[channels];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < values.length; i++) {
            int c = i % channels;
            min[c] = Math.min(min[c], values[i]);
            max[c] = Math.max(max[c], values[i]);
        }
        return new MinMaxScaling(min, max);
    }

    /** A scaled copy of {@code N×L×C} values. values: read. */
    public double[] apply(double[] values) {
        int channels = min.length;
        if (values.length % channels != 0) {
            throw new IllegalArgumentException(values.length + " values are not a whole number of " + channels
                    + "-channel observations");
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = i % channels;
            out[i] = 2.0 * (values[i] - min[c]) / (max[c] - min[c] + EPSILON) - 1.0;
        }
        return out;
    }
}
