package org.lincde.backend.nd4j.internal;

import org.lincde.spi.OptimizerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdamW on ND4J arrays, in place: the update of {@code org.lincde.spi.model.AdamWUpdate} (PyTorch's
 * {@code torch.optim.AdamW}, SPEC §4.1) with the same operations in the same order, so float64
 * sessions agree with it to the last bit or two. Decoupled decay {@code w ← w·(1 − lr·wd)}, moments
 * {@code m ← β1 m + (1−β1) g}, {@code v ← β2 v + (1−β2) g²}, bias-corrected step
 * {@code w ← w − (lr/(1−β1^t)) m / (sqrt(v)/sqrt(1−β2^t) + eps)}.
 */
public final class Nd4jAdamW {
    private Nd4jAdamW() {}

    /**
     * One update. Read: {@code g}. Written: {@code w}, {@code m}, {@code v} (detached arrays that
     * outlive the call; temporaries come from the current workspace).
     *
     * @param step  1-based optimiser step
     * @param decay this parameter's weight decay ({@link OptimizerSpec.AdamW#decayFor})
     */
    public static void apply(OptimizerSpec.AdamW spec, INDArray w, INDArray g, INDArray m, INDArray v, long step,
                             double lr, double decay) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double c1 = 1.0 - Math.pow(b1, step);
        double c2 = 1.0 - Math.pow(b2, step);
        double stepSize = lr / c1;
        double sqrtC2 = Math.sqrt(c2);
        double shrink = 1.0 - lr * decay;
        m.muli(b1).addi(g.mul(1.0 - b1));
        v.muli(b2).addi(g.mul(1.0 - b2).muli(g));
        INDArray denom = Transforms.sqrt(v, true).divi(sqrtC2).addi(spec.eps());
        INDArray delta = m.mul(stepSize).divi(denom);
        w.muli(shrink).subi(delta);
    }
}
