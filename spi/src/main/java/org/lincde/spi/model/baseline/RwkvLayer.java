package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.RwkvSpec;

/**
 * What the RWKV-6 and RWKV-7 layers share: their spec, and one {@link #build} that both declares the parameters
 * and initialises them, so the two lists cannot drift apart.
 */
abstract class RwkvLayer {
    final RwkvSpec spec;

    RwkvLayer(RwkvSpec spec) {
        this.spec = spec;
    }

    /** Appends the declared parameters under {@code prefix}. */
    public final void declare(List<ParameterShape> out, String prefix) {
        build(out, null, null, prefix);
    }

    /** Initial values, as the layer's {@link #build} says. */
    public final void initialize(ParameterSet out, Rng rng, String prefix) {
        build(null, out, rng, prefix);
    }

    /** Declares every parameter into {@code decl}, or (with {@code decl} null) initialises it into {@code out}. */
    abstract void build(List<ParameterShape> decl, ParameterSet out, Rng rng, String prefix);

    /** A parameter declared, or set to {@code value} everywhere. */
    static void constant(List<ParameterShape> decl, ParameterSet out, String name, double value, int... shape) {
        if (decl != null) {
            Params.add(decl, name, shape);
        } else {
            Params.constant(out, name, value, shape);
        }
    }
}
