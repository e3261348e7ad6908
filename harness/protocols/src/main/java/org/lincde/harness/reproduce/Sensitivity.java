package org.lincde.harness.reproduce;

import java.util.Map;
import java.util.Optional;
import org.lincde.harness.results.RunRecord;
import org.lincde.spi.DType;

/**
 * A cell's intrinsic sensitivity (docs/protocols/agreement.md §2.1): how far the float64 reference run moves
 * when its initial parameters move by one ulp of {@link #ulp} — the distance between the reference's record and
 * its conditioning run's ({@link org.lincde.harness.run.PerturbedRunPlan}), on the quantities the agreement table
 * compares. A well-conditioned cell moves by about as much as the ulp; an ill-conditioned one amplifies it.
 *
 * @param ulp       whose ulp the conditioning run moved the initial parameters by
 * @param reference the reference run's record
 * @param perturbed the conditioning run's record
 */
record Sensitivity(DType ulp, RunRecord reference, RunRecord perturbed) {
    /**
     * The sensitivity at one step: the largest relative difference of any continuous quantity taken at or before
     * it, and which quantity that was. Taken over the earlier steps too, so a later quantity that happens to
     * coincide does not hide a trajectory that has already left.
     */
    record At(DType ulp, double value, String quantity, long step) {}

    /** The sensitivity at {@code step}, or null when the two records have no continuous quantity up to it. */
    At at(long step) {
        Map<String, Agreement.Quantity> a = Agreement.quantities(reference);
        Map<String, Agreement.Quantity> b = Agreement.quantities(perturbed);
        At worst = null;
        for (Map.Entry<String, Agreement.Quantity> e : a.entrySet()) {
            Agreement.Quantity q = b.get(e.getKey());
            if (q == null || Agreement.isCount(e.getKey()) || e.getValue().step() > step) {
                continue;
            }
            double d = Agreement.relative(e.getValue().value(), q.value());
            if (worst == null || d > worst.value()) {
                worst = new At(ulp, d, e.getValue().label(), e.getValue().step());
            }
        }
        return worst;
    }

    /** How far the conditioning run moved the headline metric (points for an accuracy), if both have it. */
    Optional<Double> headline() {
        Optional<Agreement.Headline> a = Agreement.headline(reference);
        Optional<Agreement.Headline> b = Agreement.headline(perturbed);
        if (a.isEmpty() || b.isEmpty() || !a.get().name().equals(b.get().name())) {
            return Optional.empty();
        }
        String name = a.get().name();
        return Optional.of(Agreement.isAccuracy(name) || name.equals("min_depth")
                ? Math.abs(a.get().value() - b.get().value()) : Agreement.relative(a.get().value(), b.get().value()));
    }
}
