package org.lincde.harness.conformance;

import org.lincde.spi.Batch;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * A baseline case whose parameters start at the model's initialisation plus {@code N(0, std²)} on every trainable
 * entry: fla's RWKV layers initialise their token-shift mixes, {@code k_k}, {@code k_a}, {@code r_k} and
 * {@code bonus} to 0, where whole paths of the graph (RWKV-7's in-context delta term) have zero gradient, so the
 * unperturbed init would leave them unchecked.
 *
 * @param base      the case
 * @param std       perturbation standard deviation
 * @param keptZero  entries whose name ends with this stay at 0 (empty: none), for a path that is exact only there
 */
record PerturbedCase(BaselineCase base, double std, String keptZero) implements ModelCase {
    PerturbedCase(BaselineCase base, double std) {
        this(base, std, "");
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public boolean usesStructure() {
        return false;
    }

    @Override
    public boolean hasScan() {
        return base.hasScan();
    }

    @Override
    public ModelSpec spec(Structure structure, StructureSpec spec) {
        return base.spec();
    }

    @Override
    public Batch batch(Rng rng, int index) {
        return base.batch(rng, index);
    }

    @Override
    public Objective objective() {
        return base.objective();
    }

    @Override
    public ParameterSet initialParameters(ParameterSet init, Rng rng) {
        ParameterSet p = init.copy();
        for (ParameterSet.Entry e : p.entries(ParameterSet.Entry::trainable)) {
            double[] v = e.tensor().data();
            for (int i = 0; i < v.length; i++) {
                v[i] += std * rng.nextNormal();
            }
            if (!keptZero.isEmpty() && e.name().endsWith(keptZero)) {
                java.util.Arrays.fill(v, 0.0);
            }
        }
        return p;
    }
}
