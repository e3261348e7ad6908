package org.lincde.harness.data.uea;

/**
 * SPEC §3.5 step 1: prepends the time channel {@code t_j = T·j/L} ({@code j = 0…L−1}, T = 1 in
 * every UEA config) as channel 0. Note {@code t} never reaches T: the last step is
 * {@code T(L−1)/L}, as in the authors' code. For padded variable-length data, L is the padded
 * length.
 */
public final class TimeChannel {
    private TimeChannel() {
    }

    /**
     * Returns {@code N×L×(C+1)} values: {@code [t_j, x_j]} per step. values: read
     * ({@code N×L×C} row-major).
     */
    public static double[] prepend(double[] values, int samples, int length, int channels, double horizon) {
        if ((long) samples * length * channels != values.length) {
            throw new IllegalArgumentException("series: expected " + samples + "×" + length + "×" + channels
                    + " values, got " + values.length);
        }
        int c1 = channels + 1;
        double[] out = new double[samples * length * c1];
        for (int b = 0; b < samples; b++) {
            for (int j = 0; j < length; j++) {
                int src = (b * length + j) * channels;
                int dst = (b * length + j) * c1;
                out[dst] = horizon * j / length;
                System.arraycopy(values, src, out, dst + 1, channels);
            }
        }
        return out;
    }
}
