package org.lincde.backend.djl.internal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode and backward pass, reached through DJL's JNI layer: DJL's
 * {@code GradientCollector} neither keeps the graph for a second pass nor accepts a gradient for a
 * non-scalar head, and the fused recurrences need both.
 */
public final class Autograd {
    /** {@code -Dlincde.djl.trace=true}: print phase timings to stderr (for profiling by hand). */
    public static final boolean TRACE = Boolean.getBoolean("lincde.djl.trace");

    /** Prints {@code what} and the seconds since {@code t0} when tracing; returns now. */
    public static long trace(String what, long t0) {
        long now = System.nanoTime();
        if (TRACE) {
            System.err.printf("  %-28s %.4f s%n", what, (now - t0) * 1e-9);
        }
        return now;
    }

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
     * Accumulates {@code d(head)/d(leaf)·grad} into every leaf's gradient; a head that takes no part
     * in the graph is a no-op.
     *
     * @param keepGraph keep the graph for another backward pass through shared parts
     */
    public static void backward(NDArray head, NDArray grad, boolean keepGraph) {
        long t0 = System.nanoTime();
        try {
            JniUtils.backward((PtNDArray) head, (PtNDArray) grad, keepGraph, false);
        } catch (EngineException e) {
            // DJL cannot tell whether a non-leaf takes part in the graph (its requiresGrad answers false
            // for op results, and asking for the gradient function crashes when there is none), so a
            // head outside the graph is recognised by libtorch's own refusal: nothing to propagate.
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
        if (TRACE) {
            System.err.printf("backward %s %.4f s%n", head.getShape(), (System.nanoTime() - t0) * 1e-9);
        }
    }

    /**
     * libtorch's {@code layer_norm} over the trailing {@code normalized} axes with a double
     * {@code eps} (DJL's {@code LayerNorm.layerNorm} rounds eps to float, which shows in float64).
     */
    public static NDArray layerNorm(NDArray x, ai.djl.ndarray.types.Shape normalized, NDArray gamma, NDArray beta,
                                    double eps) {
        return JniUtils.layerNorm((PtNDArray) x, normalized, (PtNDArray) gamma, (PtNDArray) beta, eps);
    }

    /** The accumulated gradient of leaf {@code x}, or null when nothing reached it. */
    public static NDArray gradientOrNull(NDArray x) {
        PtNDArray g = JniUtils.getGradient((PtNDArray) x);
        return g;
    }
}
