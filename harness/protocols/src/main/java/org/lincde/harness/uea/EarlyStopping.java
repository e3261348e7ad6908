package org.lincde.harness.uea;

/**
 * R3's model selection and early stopping (SPEC §4.3, {@code train.py}), for accuracy (higher is
 * better). State: the list {@code best = [0.0]} of validation accuracies that were at least the best so
 * far, and a counter of non-improving evaluations. At each evaluation, in R3's order:
 * <ol>
 *   <li>if {@code val ≤ max(best)} the counter grows, and once it exceeds {@code patience}
 *       ({@code early_stopping_steps}, 10: so the 11th consecutive non-improving evaluation) training
 *       stops <em>at once</em>, before step 2; otherwise the counter is reset;</li>
 *   <li>if {@code val ≥ max(best)} (ties included) {@code val} joins {@code best} and the test accuracy
 *       is recomputed: the reported test accuracy is the one of the last such evaluation.</li>
 * </ol>
 * A tie therefore both counts as "no improvement" and refreshes the test accuracy.
 */
public final class EarlyStopping {
    /** What to do after one evaluation. */
    public enum Decision {
        /** Stop training now (the test accuracy is not recomputed). */
        STOP,
        /** Recompute the test accuracy (a new best or a tie) and go on. */
        EVALUATE_TEST,
        /** Go on. */
        CONTINUE
    }

    private final int patience;
    private double best = 0.0;
    private int counter;
    private int improvements;

    /** A rule with R3's {@code early_stopping_steps}. */
    public EarlyStopping(int patience) {
        this.patience = checkedPatience(patience);
    }

    /** R3's {@code early_stopping_steps}, checked (shared with {@link PyTorchEarlyStopping}). */
    static int checkedPatience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("early_stopping_steps must be >= 0, got " + patience);
        }
        return patience;
    }

    /** A validation accuracy, checked (shared with {@link PyTorchEarlyStopping}). */
    static void checkAccuracy(double validationAccuracy) {
        if (Double.isNaN(validationAccuracy)) {
            throw new IllegalArgumentException("validation accuracy is NaN");
        }
    }

    /** Records one validation accuracy and returns the decision. */
    public Decision observe(double validationAccuracy) {
        checkAccuracy(validationAccuracy);
        if (validationAccuracy <= best) {
            counter++;
            if (counter > patience) {
                return Decision.STOP;
            }
        } else {
            counter = 0;
        }
        if (validationAccuracy >= best) {
            best = validationAccuracy;
            improvements++;
            return Decision.EVALUATE_TEST;
        }
        return Decision.CONTINUE;
    }

    /** {@code max(best)}: the best validation accuracy seen (0 before any evaluation). */
    public double best() {
        return best;
    }

    /** Consecutive non-improving evaluations so far. */
    public int counter() {
        return counter;
    }

    /** How many evaluations joined {@code best} (each recomputed the test accuracy). */
    public int selections() {
        return improvements;
    }
}
