package org.lincde.harness.conformance;

/**
 * How far a computed tensor may be from the expected one: it passes when
 * {@code max|actual − expected| ≤ abs + rel · max|expected|} (a norm-wise test: the error is measured
 * against the tensor's largest magnitude, so near-zero entries of a gradient do not turn rounding into
 * huge element-wise ratios). {@code rel = abs = 0} demands exact equality.
 *
 * @param rel relative bound, against {@code max|expected|}
 * @param abs absolute floor
 */
public record Tolerance(double rel, double abs) {
    /** Exact equality. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    /** Validates the bounds. */
    public Tolerance {
        if (!(rel >= 0) || !(abs >= 0)) {
            throw new IllegalArgumentException("tolerance bounds must be >= 0, got rel " + rel + ", abs " + abs);
        }
    }

    /** Whether an error of {@code maxAbs} on a tensor of magnitude {@code scale} is allowed. */
    public boolean allows(double maxAbs, double scale) {
        return maxAbs <= abs + rel * scale; // NaN fails
    }

    /** {@code rel ≤ 1e-09, abs ≤ 1e-12} or {@code exact}. */
    @Override
    public String toString() {
        if (rel == 0 && abs == 0) {
            return "exact";
        }
        return String.format(java.util.Locale.ROOT, "rel<=%.0e abs<=%.0e", rel, abs);
    }
}
