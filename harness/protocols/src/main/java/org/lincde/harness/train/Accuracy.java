package org.lincde.harness.train;

import org.lincde.spi.Batch;
import org.lincde.spi.HostTensor;

/** Token accuracy as R1 computes it: argmax at scored positions over the whole validation set (SPEC §4.1). */
public final class Accuracy {
    private Accuracy() {}

    /** Counts of correct and scored positions. */
    public record Count(long correct, long total) {
        /** correct / total (0 when nothing is scored). */
        public double value() {
            return total == 0 ? 0.0 : (double) correct / total;
        }

        /** Sum of two counts. */
        public Count plus(Count o) {
            return new Count(correct + o.correct, total + o.total);
        }
    }

    /** Correct/total for one batch's output: per-token logits (B, L, K) or per-sequence (B, K). */
    public static Count count(HostTensor logits, Batch batch) {
        int k = logits.dim(-1);
        double[] v = logits.data();
        long correct = 0;
        long total = 0;
        if (batch.targets() instanceof Batch.TokenTargets tt) {
            for (int pos = 0; pos < tt.labels().length; pos++) {
                if (tt.mask()[pos]) {
                    total++;
                    correct += argmax(v, pos * k, k) == tt.labels()[pos] ? 1 : 0;
                }
            }
        } else if (batch.targets() instanceof Batch.SequenceTargets st) {
            for (int i = 0; i < st.labels().length; i++) {
                total++;
                correct += argmax(v, i * k, k) == st.labels()[i] ? 1 : 0;
            }
        } else {
            throw new IllegalArgumentException("accuracy needs class labels, got "
                    + batch.targets().getClass().getSimpleName());
        }
        return new Count(correct, total);
    }

    /** Index of the first maximum of {@code v[off .. off+k)} (ties → first, like torch.argmax on CPU). */
    static int argmax(double[] v, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
