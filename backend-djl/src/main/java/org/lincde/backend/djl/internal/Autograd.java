package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode and backward pass, reached through DJL's JNI layer: DJL's
 * {@code GradientCollector} neither keeps the graph for a second pass nor accepts a gradient for a
 * non-scalar head, and the fused recurrences need both.
 */
public final class Autograd {
    private Autograd() {}

    /** A scope that sets grad mode and restores the previous mode on close. */
    public static final class Mode implements AutoCloseable {
        private final boolean previous;

        private Mode(boolean enabled) {
            previous = JniUtils.isGradMode();
            JniUtils.setGradMode(enabled);
        }

        @Override
        public void close() {
            JniUtils.setGradMode(previous);
        }
    }

    /** Grad mode on (graphs recorded) until the scope closes. */
    public static Mode enabled() {
        return new Mode(true);
    }

    /** Grad mode off (inference) until the scope closes. */
    public static Mode disabled() {
        return new Mode(false);
    }

    /** Whether graphs are being recorded on this thread. */
    public static boolean isRecording() {
        return JniUtils.isGradMode();
    }

    /**
     * Accumulates {@code d(head)/d(leaf)·grad} into every leaf's gradient.
     *
     * @param keepGraph keep the graph for another backward pass through shared parts
     */
    public static void backward(NDArray head, NDArray grad, boolean keepGraph) {
        JniUtils.backward((PtNDArray) head, (PtNDArray) grad, keepGraph, false);
    }

    /** Whether {@code x} takes part in the graph (requires a gradient). */
    public static boolean requiresGrad(NDArray x) {
        return JniUtils.requiresGrad((PtNDArray) x);
    }

    /** The accumulated gradient of leaf {@code x}, or null when nothing reached it. */
    public static NDArray gradientOrNull(NDArray x) {
        PtNDArray g = JniUtils.getGradient((PtNDArray) x);
        return g;
    }
}
