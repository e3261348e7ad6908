package org.lincde.spi.model;

import org.lincde.spi.Batch;
import org.lincde.spi.LossSpec;
import org.lincde.spi.TensorOps;

/** Data losses (SPEC §4.1–4.3), written once over {@link TensorOps}. */
public final class Losses {
    private Losses() {}

    /** The data loss of {@code output} against {@code batch}'s targets (a scalar). */
    public static <T> T data(TensorOps<T> ops, T output, Batch batch, LossSpec loss) {
        Batch.Targets targets = batch.targets();
        if (loss instanceof LossSpec.CrossEntropy || loss instanceof LossSpec.SoftmaxOfProbabilitiesCrossEntropy) {
            T logp = loss instanceof LossSpec.CrossEntropy ce ? logProbabilities(ops, output, ce.probabilityEpsilon())
                    : ops.logSoftmax(ops.softmax(output));
            if (targets instanceof Batch.TokenTargets tt) {
                return maskedNll(ops, logp, tt);
            }
            if (targets instanceof Batch.SequenceTargets st) {
                int n = st.labels().length;
                checkLabels(st.labels(), ops.shape(output)[ops.shape(output).length - 1]);
                return ops.scale(ops.sumAll(ops.pickLast(logp, st.labels())), -1.0 / n);
            }
            throw new IllegalArgumentException("cross-entropy needs class labels, got " + targets.getClass().getSimpleName());
        }
        if (loss instanceof LossSpec.MeanSquaredError) {
            if (!(targets instanceof Batch.RealTargets rt)) {
                throw new IllegalArgumentException("mean squared error needs real targets, got "
                        + targets.getClass().getSimpleName());
            }
            T diff = ops.sub(output, ops.constant(rt.values(), ops.shape(output)));
            return ops.scale(ops.sumAll(ops.square(diff)), 1.0 / rt.values().length);
        }
        throw new IllegalArgumentException("unknown loss " + loss);
    }

    /**
     * R1's masked cross-entropy: mean over masked positions of {@code −log p(target)}. With no masked
     * position the loss is 0 (PyTorch would give NaN).
     */
    static <T> T maskedNll(TensorOps<T> ops, T logp, Batch.TokenTargets tt) {
        int[] shape = ops.shape(logp);
        int k = shape[shape.length - 1];
        checkLabels(tt.labels(), k);
        int count = tt.maskedCount();
        double[] w = new double[tt.mask().length];
        if (count > 0) {
            for (int i = 0; i < w.length; i++) {
                w[i] = tt.mask()[i] ? -1.0 / count : 0.0;
            }
        }
        T picked = ops.pickLast(logp, tt.labels());
        return ops.sumAll(ops.mul(picked, ops.constant(w, ops.shape(picked))));
    }

    /** log-softmax (ε = 0) or {@code log(softmax + ε)} over the last axis. */
    public static <T> T logProbabilities(TensorOps<T> ops, T logits, double eps) {
        return eps == 0 ? ops.logSoftmax(logits) : ops.log(ops.addScalar(ops.softmax(logits), eps));
    }

    private static void checkLabels(int[] labels, int k) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("target label " + labels[i] + " at position " + i
                        + " is outside [0, " + k + ")");
            }
        }
    }
}
