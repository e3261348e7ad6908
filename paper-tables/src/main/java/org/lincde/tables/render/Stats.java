package org.lincde.tables.render;

import java.util.List;

/** The summary statistics the papers report: mean and population standard deviation (np.std). */
public final class Stats {
    private Stats() {}

    /** Mean (NaN for an empty list). */
    public static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Population standard deviation, as numpy's default {@code np.std} (NaN for an empty list). */
    public static double std(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / v.size());
    }

    /** {@code "81.3 ± 12.2"} with one decimal (values in percent), or {@code "—"} when empty. */
    public static String meanStd(List<Double> percents) {
        if (percents.isEmpty()) {
            return "—";
        }
        return String.format("%.1f ± %.1f", mean(percents), std(percents));
    }
}
