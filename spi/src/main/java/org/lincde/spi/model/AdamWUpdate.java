package org.lincde.spi.model;

import org.lincde.spi.OptimizerSpec;

/**
 * The reference AdamW update (PyTorch's {@code torch.optim.AdamW}, SPEC §4.1) over primitive arrays;
 * every backend's update is checked against this one.
 */
public final class AdamWUpdate {
    private AdamWUpdate() {}

    /**
     * One update of {@code w} in place. Read: {@code g}. Written: {@code w}, {@code m}, {@code v}.
     *
     * @param step 1-based optimiser step (for bias correction)
     * @param lr   learning rate
     * @param decay this parameter's weight decay (from {@link OptimizerSpec.AdamW#decayFor})
     */
    public static void apply(OptimizerSpec.AdamW spec, double[] w, double[] g, double[] m, double[] v, long step,
                             double lr, double decay) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double c1 = 1.0 - Math.pow(b1, step);
        double c2 = 1.0 - Math.pow(b2, step);
        double stepSize = lr / c1;
        double sqrtC2 = Math.sqrt(c2);
        double shrink = 1.0 - lr * decay;
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            double mi = b1 * m[i] + (1.0 - b1) * gi;
            double vi = b2 * v[i] + (1.0 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            double denom = Math.sqrt(vi) / sqrtC2 + spec.eps();
            w[i] = w[i] * shrink - stepSize * mi / denom;
        }
    }
}
