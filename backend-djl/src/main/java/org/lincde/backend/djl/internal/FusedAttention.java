package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.List;
import org.lincde.spi.AttentionKernel;

/**
 * The Transformer layers' affine maps as libtorch's own {@code linear} (reached through DJL's
 * {@code JniUtils.linear}): for a contiguous {@code (B, L, in)} input one {@code addmm} on the flattened rows,
 * the bias inside the GEMM call, instead of {@code matmul} and a separate broadcast add over the whole output
 * (docs/models/transformer.md, "Fused path"). A native autograd op, so no deferred phase.
 */
final class FusedAttention implements AttentionKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.fusedAttention=auto|never}: {@code auto} (the default) offers it whenever fused paths are
     * on; {@code never} keeps the Transformer on its generic graph (the "before" of a benchmark in one run).
     */
    static final String PROPERTY = "lincde.djl.fusedAttention";

    private final DjlTensorOps ops;

    FusedAttention(DjlTensorOps ops) {
        this.ops = ops;
    }

    /** Whether the kernel is offered ({@link #PROPERTY}). */
    static boolean offered() {
        String mode = System.getProperty(PROPERTY, "auto");
        return switch (mode) {
            case "auto" -> true;
            case "never" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode + ": expected auto or never");
        };
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        int[] xs = ops.shape(x);
        int[] ws = ops.shape(weight);
        int[] bs = ops.shape(bias);
        if (xs.length < 1 || ws.length != 2 || ws[1] != xs[xs.length - 1] || bs.length != 1 || bs[0] != ws[0]) {
            throw new IllegalArgumentException("linear: x " + Arrays.toString(xs) + ", weight " + Arrays.toString(ws)
                    + ", bias " + Arrays.toString(bs) + " (expected (..., in), (out, in), (out))");
        }
        return JniUtils.linear((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias);
    }

    /**
     * One {@code linear} of the stacked weights, then libtorch's {@code split} into equal parts: its backward
     * concatenates the parts' gradients into one {@code (..., n·out)} tensor. (Slicing the product instead costs a
     * zero-filled full-width gradient per slice and their sums in the backward pass.)
     */
    @Override
    public List<NDArray> linears(NDArray x, List<NDArray> weights, List<NDArray> biases) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException("linears: " + weights.size() + " weights, " + biases.size()
                    + " biases (expected as many, at least one)");
        }
        int[] w0 = ops.shape(weights.get(0));
        for (NDArray w : weights) {
            if (!Arrays.equals(ops.shape(w), w0)) {
                throw new IllegalArgumentException("linears: weights " + Arrays.toString(ops.shape(w)) + " and "
                        + Arrays.toString(w0) + " (expected one shape)");
            }
        }
        if (weights.size() == 1) {
            return List.of(linear(x, weights.get(0), biases.get(0)));
        }
        NDArray w = NDArrays.concat(new NDList(weights), 0);
        NDArray b = NDArrays.concat(new NDList(biases), 0);
        NDArray y = linear(x, w, b);
        return y.split(weights.size(), ops.shape(y).length - 1);
    }
}
