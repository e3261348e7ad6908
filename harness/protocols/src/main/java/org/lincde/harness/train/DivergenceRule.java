package org.lincde.harness.train;

/**
 * When a training run has diverged, judged by its loss on every backend and dtype alike: a non-finite loss or
 * gradient (what float32 reaches first), a loss above {@link #BOUND}, or a loss {@link #GROWTH} times the run's
 * first loss (at least 1). Without the last two a float64 run can climb to 10^133 and still be recorded as
 * completed, while the same run in float32 overflows and is recorded as diverged. The cross-entropy of a classifier
 * starts near {@code ln K} and a healthy run's spikes stay within a few times that, far below either limit.
 * One instance per run.
 */
public final class DivergenceRule {
    /** No training loss of lincde's objectives is legitimately this large. */
    public static final double BOUND = 1e8;

    /** Growth over the first loss (orders of magnitude: 10^4) that counts as divergence. */
    public static final double GROWTH = 1e4;

    private double first = Double.NaN;

    /** Whether the step with this loss (and finiteness of loss and gradients) has diverged. */
    public boolean diverged(boolean finite, double loss) {
        if (!finite || !Double.isFinite(loss)) {
            return true;
        }
        if (Double.isNaN(first)) {
            first = Math.abs(loss);
        }
        return Math.abs(loss) > BOUND || Math.abs(loss) > GROWTH * Math.max(1.0, first);
    }

    /** The first loss this rule saw (NaN before the first step): part of a run's checkpoint. */
    public double firstLoss() {
        return first;
    }

    /** Resumes the rule of a checkpointed run (see {@link #firstLoss()}); a missing value (NaN) leaves it fresh. */
    public DivergenceRule resume(java.util.Map<String, Object> loop) {
        Object v = loop.get(CHECKPOINT_KEY);
        if (v != null) {
            first = Double.parseDouble(v.toString());
        }
        return this;
    }

    /** The key of {@link #firstLoss()} in a checkpoint's loop state. */
    public static final String CHECKPOINT_KEY = "divergence_first_loss";
}
