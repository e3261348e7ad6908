package org.lincde.backend.djl.internal;

/**
 * A later phase of a multi-phase backward pass: work that can run only once the engine has filled
 * the gradient of some leaf (a fused recurrence's states, a cut at a block boundary). Phases run
 * newest first, which is a topological order because each one only feeds arrays made before it.
 */
@FunctionalInterface
public interface Deferred {
    /**
     * Runs this phase.
     *
     * @param keepGraph whether later phases may still traverse the graph this one walks
     */
    void backward(boolean keepGraph);
}
