package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import org.lincde.spi.LstmKernel;

/**
 * One {@code nn.LSTM} layer in libtorch's own {@code torch::lstm} (reached through DJL's
 * {@code JniUtils.lstm}), the op behind PyTorch's {@code nn.LSTM.forward}: one layer, unidirectional,
 * biases on, dropout 0, batch first, zero {@code (h_0, c_0)}, parameters in {@code nn.LSTM}'s order
 * {@code weight_ih, weight_hh, bias_ih, bias_hh} (docs/models/lstm.md). It is a native autograd op, so the
 * engine's backward pass reaches the input and all four parameters with no deferred phase. On the CPU
 * libtorch runs oneDNN's LSTM for float32 and its own per-step cell for float64; on CUDA, cuDNN's.
 */
final class FusedLstm implements LstmKernel<NDArray> {
    /**
     * {@code -Dlincde.djl.fusedLstm=auto|always|never}: where the op replaces the generic step loop. {@code auto}
     * (the default) offers it on a GPU only: on the CPU libtorch's float32 LSTM is oneDNN's, which measured
     * ~1.5× slower than the step loop's GEMMs for R1's LSTM at 2 threads (docs/models/lstm.md); {@code always}
     * offers it on the CPU too (its tests do).
     */
    static final String PROPERTY = "lincde.djl.fusedLstm";

    private final DjlTensorOps ops;

    /** Whether the op is offered on {@code device} ({@link #PROPERTY}). */
    static boolean offered(ai.djl.Device device) {
        String mode = System.getProperty(PROPERTY, "auto");
        return switch (mode) {
            case "auto" -> device.isGpu();
            case "always" -> true;
            case "never" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode
                    + ": expected auto (GPU only), always or never");
        };
    }

    FusedLstm(DjlTensorOps ops) {
        this.ops = ops;
    }

    @Override
    public NDArray hiddenStates(NDArray x, NDArray weightIh, NDArray weightHh, NDArray biasIh, NDArray biasHh) {
        int[] xs = ops.shape(x);
        int[] wi = ops.shape(weightIh);
        int[] wh = ops.shape(weightHh);
        int[] bi = ops.shape(biasIh);
        int[] bh = ops.shape(biasHh);
        int h = wh.length == 2 ? wh[1] : -1;
        if (xs.length != 3 || h <= 0 || wh[0] != 4 * h || wi.length != 2 || wi[0] != 4 * h || wi[1] != xs[2]
                || bi.length != 1 || bi[0] != 4 * h || bh.length != 1 || bh[0] != 4 * h) {
            throw new IllegalArgumentException("LSTM: x " + Arrays.toString(xs) + ", weight_ih " + Arrays.toString(wi)
                    + ", weight_hh " + Arrays.toString(wh) + ", bias_ih " + Arrays.toString(bi) + ", bias_hh "
                    + Arrays.toString(bh) + " (expected (B, L, in), (4h, in), (4h, h), (4h), (4h))");
        }
        long t0 = System.nanoTime();
        NDArray zero = ops.manager().zeros(new Shape(1, xs[0], h), ops.dataType(), x.getDevice());
        NDList out;
        // Always in grad mode. libtorch's CPU float32 LSTM is oneDNN's, and in DJL's libtorch 2.7.1 with grad mode
        // off (its inference primitive, whatever the train flag) the outputs are 4–17 % off the step loop at
        // h = 6 (FusedLstmTest, conformance -/lstm/forward/float32); in grad mode they agree to float rounding.
        // With no input requiring grad (an inference forward) grad mode records nothing. train = true keeps
        // cuDNN's backward workspace; with dropout 0 the flag changes nothing else.
        try (Autograd.Mode on = Autograd.enabled()) {
            out = JniUtils.lstm((PtNDArray) x, new NDList(zero, zero),
                    new NDList(weightIh, weightHh, biasIh, biasHh), true, 1, 0.0, true, false, true);
        }
        out.attach(ops.manager());     // the outputs belong to x's manager, which need not be this call's
        Autograd.trace("lstm: forward", t0);
        return out.get(0);             // (B, L, h); h_n and c_n are its last step, closed with the manager
    }
}
