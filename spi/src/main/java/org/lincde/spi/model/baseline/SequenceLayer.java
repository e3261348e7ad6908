package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.TensorOps;

/**
 * A sequence-to-sequence layer {@code (B, L, width) → (B, L, width)} that a block template wraps (S6,
 * Mamba v1, S4D, LRU, S5, tanh RNN, post-norm encoder layer).
 */
public interface SequenceLayer {

    /** Feature width {@code h} of input and output. */
    int width();

    /** Appends the declared parameters, each named {@code prefix + relativeName}. */
    void declare(List<ParameterShape> out, String prefix);

    /** Puts initial values of the same names into {@code out}, each drawn from {@code rng.stream(fullName)}. */
    void initialize(ParameterSet out, Rng rng, String prefix);

    /**
     * The layer output for {@code x (B, L, width)}.
     *
     * @param p    parameters by relative name (scoped to the prefix)
     * @param mode training flag, this layer's own dropout stream, and recurrent or scan evaluation
     */
    <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode);
}
