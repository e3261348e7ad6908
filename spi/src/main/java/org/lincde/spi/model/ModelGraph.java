package org.lincde.spi.model;

import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Stability;
import org.lincde.spi.TensorOps;

/**
 * A model written once over {@link TensorOps}: its parameters, their initialisation and its forward
 * graph. Backends bind parameters to their own tensors and take gradients their own way.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface ModelGraph {

    /** The spec this graph realises. */
    ModelSpec spec();

    /** Declared parameters and buffers with full names, in initialisation order. */
    List<ParameterShape> parameters();

    /** Initial values drawn from {@code rng} (SPEC §1.1–1.2), in backend-neutral Java. */
    ParameterSet initialize(Rng rng);

    /** The model output for {@code batch} (per-token logits {@code (B, L, K)} for the stacked LCDE). */
    <T> T forward(TensorOps<T> ops, ParameterLookup<T> params, Batch batch, ForwardMode mode);

    /** The regulariser the objective weighs by λ (a scalar). */
    <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> params);

    /** Gradient masks with full names: parameter → 0/1 buffer multiplying its gradient. */
    Map<String, String> gradientMasks();

    /** Number of trainable scalars. */
    default long parameterCount() {
        long n = 0;
        for (ParameterShape p : parameters()) {
            if (p.role() == ParameterSet.Role.TRAINABLE) {
                n += p.size();
            }
        }
        return n;
    }
}
