package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;

/**
 * The deferred backward phase of a fused kernel: it starts from the gradient the engine's backward pass left on
 * the kernel's output leaf, and does nothing when none reached it (the output did not take part in the loss).
 */
abstract class OutputGradientPhase implements Deferred {
    private final NDArray output;

    OutputGradientPhase(NDArray output) {
        this.output = output;
    }

    @Override
    public final void backward(boolean keepGraph) {
        NDArray g = Autograd.gradientOrNull(output);
        if (g != null) {
            backward(g, keepGraph);
        }
    }

    /** A phase that runs {@code body} with the gradient of {@code output} and {@code keepGraph}. */
    static OutputGradientPhase of(NDArray output, java.util.function.BiConsumer<NDArray, Boolean> body) {
        return new OutputGradientPhase(output) {
            @Override
            void backward(NDArray g, boolean keepGraph) {
                body.accept(g, keepGraph);
            }
        };
    }

    /**
     * Runs the kernel's backward from the output's gradient {@code g} and pushes the inputs' gradients into the
     * engine.
     *
     * @param keepGraph whether later phases may still traverse the graph this one walks
     */
    abstract void backward(NDArray g, boolean keepGraph);
}
