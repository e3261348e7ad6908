package org.lincde.harness.uea;

/**
 * Model selection and early stopping of R3's PyTorch trainer for S6 and Mamba
 * (torch_experiments/train.py:237–338; docs/protocols/fidelity.md, "R3's PyTorch trainer"), for accuracy.
 * State: the list of validation accuracies that were at least the best so far (empty at first) and a
 * counter. At each evaluation, in R3's order:
 * <ol>
 *   <li>if the list is empty or {@code val ≥ max(list)} (ties included): the counter is reset to 0, {@code val}
 *       joins the list and the test accuracy is recomputed (:299–320);</li>
 *   <li>then, if {@code val ≤ max(list)} — always true after step 1 — the counter grows, and once it exceeds
 *       {@code patience} training stops (:321–338).</li>
 * </ol>
 * So an improvement (or a tie) leaves the counter at 1, and the run stops at the {@code patience}-th
 * consecutive evaluation strictly below the best (10 for R3's {@code early_stopping_steps = 10}), where
 * R3's JAX trainer ({@link EarlyStopping}) stops at the 11th non-improving one.
 */
public final class PyTorchEarlyStopping {
    /**
     * What to do after one evaluation.
     *
     * @param evaluateTest recompute the test accuracy (a new best or a tie), before stopping if both
     * @param stop         stop training now
     */
    public record Decision(boolean evaluateTest, boolean stop) {}

    private final int patience;
    private double best = Double.NaN;
    private int counter;

    /** A rule with R3's {@code early_stopping_steps}. */
    public PyTorchEarlyStopping(int patience) {
        this.patience = EarlyStopping.checkedPatience(patience);
    }

    /** Records one validation accuracy and returns the decision. */
    public Decision observe(double validationAccuracy) {
        EarlyStopping.checkAccuracy(validationAccuracy);
        boolean improved = Double.isNaN(best) || validationAccuracy >= best;
        if (improved) {
            counter = 0;
            best = validationAccuracy;
        }
        boolean stop = false;
        if (validationAccuracy <= best) {
            counter++;
            stop = counter > patience;
        }
        return new Decision(improved, stop);
    }

    /** {@code max(list)}: the best validation accuracy seen (NaN before any evaluation). */
    public double best() {
        return best;
    }

    /** The counter after the last evaluation. */
    public int counter() {
        return counter;
    }
}
