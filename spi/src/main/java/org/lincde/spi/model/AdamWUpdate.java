package org.lincde.spi.model;

import org.lincde.spi.OptimizerSpec;

/**
 * The reference AdamW update (PyTorch's {@code torch.optim.AdamW}, SPEC §4.1) over primitive arrays;
 * every backend's update is checked against this one.
 */
public final class AdamWUpdate {
    private AdamWUpdate() {}

    /**
     * The scalars of one update, computed once for every element and every backend's form of it.
     *
     * @param beta1    first-moment decay {@code β1}
     * @param beta2    second-moment decay {@code β2}
     * @param eps      denominator epsilon
     * @param stepSize {@code lr / (1 − β1^t)}
     * @param sqrtC2   {@code sqrt(1 − β2^t)}
     * @param shrink   the decoupled decay factor {@code 1 − lr·decay}
     */
    public record Scalars(double beta1, double beta2, double eps, double stepSize, double sqrtC2, double shrink) {
        /** The scalars of step {@code step} (1-based) at rate {@code lr} with weight decay {@code decay}. */
        public static Scalars of(OptimizerSpec.AdamW spec, long step, double lr, double decay) {
            double c1 = 1.0 - Math.pow(spec.beta1(), step);
            double c2 = 1.0 - Math.pow(spec.beta2(), step);
            return new Scalars(spec.beta1(), spec.beta2(), spec.eps(), lr / c1, Math.sqrt(c2), 1.0 - lr * decay);
        }
    }

    /**
     * One update of {@code w} in place. Read: {@code g}. Written: {@code w}, {@code m}, {@code v}.
     *
     * @param step 1-based optimiser step (for bias correction)
     * @param lr   learning rate
     * @param decay this parameter's weight decay (from {@link OptimizerSpec.AdamW#decayFor})
     */
    public static void apply(OptimizerSpec.AdamW spec, double[] w, double[] g, double[] m, double[] v, long step,
                             double lr, double decay) {
        Scalars k = Scalars.of(spec, step, lr, decay);
        double b1 = k.beta1();
        double b2 = k.beta2();
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            double mi = b1 * m[i] + (1.0 - b1) * gi;
            double vi = b2 * v[i] + (1.0 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            double denom = Math.sqrt(vi) / k.sqrtC2() + k.eps();
            w[i] = w[i] * k.shrink() - k.stepSize() * mi / denom;
        }
    }
}
