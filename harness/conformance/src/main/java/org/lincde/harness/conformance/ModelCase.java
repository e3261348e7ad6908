package org.lincde.harness.conformance;

import org.lincde.spi.Batch;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * A small model the kit runs on every backend: its spec at conformance sizes, its batches and its
 * objective. New model families (the baselines, {@code LogLinearCdeSpec}) join the kit by adding one
 * implementation to {@link ConformanceKit.Builder#modelCases}; nothing else changes.
 */
public interface ModelCase {

    /** Short name printed in reports and matched by known-gap patterns ({@code lcde}). */
    String name();

    /** Whether the model has a Linear CDE vector field, so it runs once per structure. */
    boolean usesStructure();

    /** Whether the model evaluates its states by recurrence and by associative scan (both are compared). */
    default boolean hasScan() {
        return usesStructure();
    }

    /**
     * The spec at conformance sizes (hidden 4–8, a few blocks).
     *
     * @param structure the structure provider (null when {@link #usesStructure()} is false)
     * @param spec      its options (null likewise)
     * @throws NotApplicable when the structure cannot be configured at these sizes (the cases SKIP)
     */
    ModelSpec spec(Structure structure, StructureSpec spec);

    /** Batch {@code index} (0 for forward and gradients; 1.. for the AdamW steps), drawn from {@code rng}. */
    Batch batch(Rng rng, int index);

    /** What the gradients and AdamW steps minimise. */
    Objective objective();

    /**
     * The parameters every backend starts from, given the model's own initialisation: {@code init} unchanged
     * unless the case moves it off values where parts of the graph carry no gradient (zero-initialised gates).
     */
    default ParameterSet initialParameters(ParameterSet init, Rng rng) {
        return init;
    }

    /** The optimiser of the AdamW case. */
    default OptimizerSpec optimizer() {
        return OptimizerSpec.AdamW.r1();
    }

    /** The learning rate of the AdamW case. */
    default double learningRate() {
        return 1e-3;
    }

    /** The case does not apply to this structure, with the reason. */
    final class NotApplicable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Why. */
        public NotApplicable(String reason) {
            super(reason);
        }
    }
}
