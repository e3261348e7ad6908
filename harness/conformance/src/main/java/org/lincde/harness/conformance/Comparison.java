package org.lincde.harness.conformance;

import java.util.Arrays;
import java.util.Locale;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Shapes;

/**
 * One tensor compared with its expected value (docs/STYLE.md D5): the tensor's name, the largest absolute
 * error, the relative error {@code maxAbs / max|expected|}, the multi-index of the worst entry with
 * both values there, and the tolerance it was held to.
 *
 * @param tensor     what was compared ({@code logits}, {@code grad blocks.0.LCDE.vf_A}, …)
 * @param maxAbs     {@code max|actual − expected|} (+∞ where exactly one side is NaN or infinite)
 * @param maxRel     {@code maxAbs / max|expected|} over finite expected values (0 when both are 0)
 * @param worstIndex multi-index of the largest error (empty for a scalar)
 * @param expected   the expected value there
 * @param actual     the actual value there
 * @param tolerance  the bound
 * @param passed     whether the bound holds
 */
public record Comparison(String tensor, double maxAbs, double maxRel, int[] worstIndex, double expected,
                         double actual, Tolerance tolerance, boolean passed) {

    /** Compares two tensors of the same shape (a shape mismatch is a failed comparison that says so). */
    public static Comparison of(String tensor, HostTensor expected, HostTensor actual, Tolerance tolerance) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new ShapeMismatch(tensor + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        return of(tensor, expected.shape(), expected.data(), actual.data(), tolerance);
    }

    /** Compares row-major {@code actual} with {@code expected}, both of {@code shape}. */
    public static Comparison of(String tensor, int[] shape, double[] expected, double[] actual, Tolerance tolerance) {
        if (expected.length != actual.length || Shapes.size(shape) != expected.length) {
            throw new ShapeMismatch(tensor + ": " + actual.length + " values, expected " + expected.length
                    + " for shape " + Arrays.toString(shape));
        }
        return core(tensor, expected, actual, tolerance, i -> Shapes.unravel(shape, i));
    }

    /**
     * Compares selected entries of a tensor of {@code shape}: {@code expected[k]} and {@code actual[k]}
     * are the values at row-major offset {@code offsets[k]} (finite-difference samples, masked entries).
     */
    public static Comparison ofEntries(String tensor, int[] shape, int[] offsets, double[] expected, double[] actual,
                                       Tolerance tolerance) {
        if (expected.length != actual.length || offsets.length != expected.length) {
            throw new ShapeMismatch(tensor + ": " + actual.length + " values, expected " + expected.length
                    + " at " + offsets.length + " offsets");
        }
        return core(tensor, expected, actual, tolerance, k -> Shapes.unravel(shape, offsets[k]));
    }

    private static Comparison core(String tensor, double[] expected, double[] actual, Tolerance tolerance,
                                   java.util.function.IntFunction<int[]> indexOf) {
        double maxAbs = 0;
        double scale = 0;
        int worst = expected.length == 0 ? -1 : 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isFinite(e)) {
                scale = Math.max(scale, Math.abs(e));
            }
            double d = error(e, a);
            if (d > maxAbs) {
                maxAbs = d;
                worst = i;
            }
        }
        double rel = maxAbs == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : maxAbs / scale;
        int[] idx = worst < 0 ? new int[0] : indexOf.apply(worst);
        return new Comparison(tensor, maxAbs, rel, idx, worst < 0 ? Double.NaN : expected[worst],
                worst < 0 ? Double.NaN : actual[worst], tolerance, tolerance.allows(maxAbs, scale));
    }

    /** {@code |a − e|}, with matching non-finite values equal and any other non-finite value +∞. */
    private static double error(double e, double a) {
        if (Double.isNaN(e) && Double.isNaN(a) || (Double.isInfinite(e) && e == a)) {
            return 0;
        }
        double d = Math.abs(a - e);
        return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    /** A failed comparison for something that is not a tensor difference (a broken invariant). */
    public static Comparison violation(String tensor, int[] index, double expected, double actual) {
        return new Comparison(tensor, error(expected, actual), Double.POSITIVE_INFINITY, index, expected, actual,
                Tolerance.EXACT, false);
    }

    /** How much of the budget was used: {@code maxAbs / (abs + rel·scale)} (for picking the worst). */
    double severity() {
        if (passed && maxAbs == 0) {
            return 0;
        }
        double scale = maxRel == 0 || Double.isInfinite(maxRel) ? 0 : maxAbs / maxRel;
        double budget = tolerance.abs() + tolerance.rel() * scale;
        return budget == 0 ? Double.POSITIVE_INFINITY : maxAbs / budget;
    }

    /** Worst multi-index as {@code [i,j,k]} ({@code []} for a scalar). */
    public String where() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < worstIndex.length; i++) {
            sb.append(i == 0 ? "" : ",").append(worstIndex[i]);
        }
        return sb.append(']').toString();
    }

    /** One line: name, errors, index with both values, tolerance, verdict. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: max abs %.3e, rel %.3e at %s (expected %s, got %s), tolerance %s: %s",
                tensor, maxAbs, maxRel, where(), expected, actual, tolerance, passed ? "ok" : "EXCEEDED");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Comparison c && c.tensor.equals(tensor) && Double.compare(c.maxAbs, maxAbs) == 0
                && Arrays.equals(c.worstIndex, worstIndex) && c.passed == passed;
    }

    @Override
    public int hashCode() {
        return tensor.hashCode() * 31 + Arrays.hashCode(worstIndex);
    }

    /** Actual and expected tensors have different shapes: the case fails with this message. */
    public static final class ShapeMismatch extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ShapeMismatch(String message) {
            super(message);
        }
    }
}
