package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import org.lincde.spi.ShortConvKernel;

/**
 * A depth-wise causal short convolution and its SiLU through libtorch's own convolution ({@code JniUtils.convolution},
 * the op behind PyTorch's {@code nn.Conv1d.forward}: {@code groups = E}, padding {@code K − 1}, the first {@code L}
 * outputs kept), which the engine differentiates itself; the generic graph builds the convolution from {@code K}
 * slices of a zero-padded copy of the input. Opt-in: it measured no faster than the generic graph
 * (docs/models/deltanet.md §8). libtorch prints an NNPACK warning on this CPU at every call.
 */
final class FusedShortConv implements ShortConvKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.shortConv=never|always}: whether the op replaces the generic graph. {@code never} (the
     * default): libtorch's grouped convolution and its backward measured no faster than the generic graph at R1's size
     * on the shared 2-core build machine (docs/models/deltanet.md §8); {@code always} offers it.
     */
    static final String PROPERTY = "lincde.djl.shortConv";

    /** Whether the op is offered ({@link #PROPERTY}). */
    static boolean offered() {
        return KernelSwitch.on(PROPERTY);
    }

    private final DjlTensorOps ops;

    FusedShortConv(DjlTensorOps ops) {
        this.ops = ops;
    }

    @Override
    public NDArray outputs(NDArray x, NDArray weight, NDArray bias) {
        int[] xs = ops.shape(x);
        int[] ws = ops.shape(weight);
        if (xs.length != 3 || ws.length != 3 || ws[0] != xs[2] || ws[1] != 1
                || (bias != null && !Arrays.equals(ops.shape(bias), new int[] {xs[2]}))) {
            throw new IllegalArgumentException("short convolution: x " + Arrays.toString(xs) + ", weight "
                    + Arrays.toString(ws) + (bias == null ? "" : ", bias " + Arrays.toString(ops.shape(bias)))
                    + " (expected (B, L, E), (E, 1, K), (E))");
        }
        int len = xs[1];
        int e = xs[2];
        int k = ws[2];
        NDArray b = bias != null ? bias : ops.manager().zeros(new Shape(e), ops.dataType(), x.getDevice());
        NDArray c = JniUtils.convolution((PtNDArray) ops.transpose(x, 1, 2), (PtNDArray) weight, (PtNDArray) b,
                new Shape(1), new Shape(k - 1), new Shape(1), e);                  // (B, E, L + K − 1)
        c.attach(ops.manager());
        return ops.silu(ops.transpose(ops.slice(c, 2, 0, len), 1, 2));
    }
}
