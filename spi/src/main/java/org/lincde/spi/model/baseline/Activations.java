package org.lincde.spi.model.baseline;

import org.lincde.spi.BatchNormState;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.TensorOps;

/** Activations and normalisations the baselines share that {@link TensorOps} does not have as one op. */
public final class Activations {
    private Activations() {}

    /** PyTorch's {@code nn.GLU} over the last axis: first half ⊙ σ(second half). */
    public static <T> T glu(TensorOps<T> ops, T x) {
        int[] s = ops.shape(x);
        int last = s[s.length - 1];
        if (last % 2 != 0) {
            throw new IllegalArgumentException("GLU needs an even last axis, got " + java.util.Arrays.toString(s));
        }
        int half = last / 2;
        return ops.mul(ops.slice(x, -1, 0, half), ops.sigmoid(ops.slice(x, -1, half, last)));
    }

    /**
     * JAX's default {@code jax.nn.gelu} (tanh approximation):
     * {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}. R3's Equinox models (LRU, S5) use it; the PyTorch
     * models use the exact {@link TensorOps#gelu}.
     */
    public static <T> T geluTanh(TensorOps<T> ops, T x) {
        T cube = ops.mul(ops.square(x), x);
        T inner = ops.scale(ops.add(x, ops.scale(cube, 0.044715)), Math.sqrt(2.0 / Math.PI));
        return ops.mul(ops.scale(x, 0.5), ops.addScalar(ops.tanh(inner), 1.0));
    }

    /** {@code min(x, c)} for a constant {@code c}, as {@code c − relu(c − x)}. */
    public static <T> T minimum(TensorOps<T> ops, T x, double c) {
        return ops.neg(ops.addScalar(ops.relu(ops.addScalar(ops.neg(x), c)), -c));
    }

    /**
     * BatchNorm without affine parameters over a {@code (B, L, H)} tensor with batch statistics per channel
     * over batch × time, biased variance (Equinox {@code BatchNorm(channelwise_affine=False)}, SPEC §2.5).
     * Batch statistics in both modes; {@link #batchNorm(TensorOps, Object, double, ForwardMode, String)}
     * keeps running statistics for inference.
     */
    public static <T> T batchNorm(TensorOps<T> ops, T x, double eps) {
        int[] s = ops.shape(x);
        if (s.length != 3) {
            throw new IllegalArgumentException("batchNorm expects (B, L, H), got " + java.util.Arrays.toString(s));
        }
        T mean = ops.mean(ops.mean(x, 0, true), 1, true);
        T centred = ops.sub(x, mean);
        T var = ops.mean(ops.mean(ops.square(centred), 0, true), 1, true);
        return ops.div(centred, ops.sqrt(ops.addScalar(var, eps)));
    }

    /**
     * BatchNorm as above with running statistics when {@code mode} carries a {@link BatchNormState}:
     * training normalises with the batch's statistics and reports them (read back with
     * {@link TensorOps#value}, so no backend keeps state); inference normalises with the running
     * values of {@code layer} (SPEC §2.5: "running stats at inference").
     */
    public static <T> T batchNorm(TensorOps<T> ops, T x, double eps, ForwardMode mode, String layer) {
        BatchNormState state = mode.batchNorm();
        if (state == null) {
            return batchNorm(ops, x, eps);
        }
        int[] s = ops.shape(x);
        if (s.length != 3) {
            throw new IllegalArgumentException("batchNorm expects (B, L, H), got " + java.util.Arrays.toString(s));
        }
        if (mode.training()) {
            T mean = ops.mean(ops.mean(x, 0, true), 1, true);
            T centred = ops.sub(x, mean);
            T var = ops.mean(ops.mean(ops.square(centred), 0, true), 1, true);
            state.observe(layer, ops.value(mean).data(), ops.value(var).data());
            return ops.div(centred, ops.sqrt(ops.addScalar(var, eps)));
        }
        int h = s[2];
        double[][] r = state.running(layer).orElseGet(() -> {
            double[] ones = new double[h];
            java.util.Arrays.fill(ones, 1.0);
            return new double[][] {new double[h], ones};
        });
        if (r[0].length != h) {
            throw new IllegalArgumentException("BatchNorm '" + layer + "' has running statistics for " + r[0].length
                    + " channels, the input has " + h);
        }
        double[] inv = new double[h];
        for (int c = 0; c < h; c++) {
            inv[c] = 1.0 / Math.sqrt(r[1][c] + eps);
        }
        return ops.mul(ops.sub(x, ops.constant(r[0], 1, 1, h)), ops.constant(inv, 1, 1, h));
    }
}
