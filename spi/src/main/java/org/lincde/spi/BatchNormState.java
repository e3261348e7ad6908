package org.lincde.spi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Running statistics of a model's BatchNorm layers (SPEC §2.5, §2.6: Equinox
 * {@code BatchNorm(channelwise_affine=False, momentum=0.99)}), kept on the host so every backend
 * shares one implementation: a training-mode forward pass normalises with the batch's statistics and
 * reports them here; the first report of a layer becomes its running value, later ones update it as
 * {@code r ← m·r + (1−m)·batch}; an inference-mode pass normalises with the running values (mean 0,
 * variance 1, Equinox's initial state, before any training step). Passed to the graph through
 * {@link ForwardMode#batchNorm()}; without one, BatchNorm uses batch statistics in both modes.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public final class BatchNormState {
    /** Equinox's default momentum (R3's LRU and S5 keep it). */
    public static final double EQUINOX_MOMENTUM = 0.99;

    private final double momentum;
    private final Map<String, double[][]> running = new LinkedHashMap<>();

    /** Statistics updated with {@code momentum} in {@code [0, 1)}. */
    public BatchNormState(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    /** The update's momentum. */
    public double momentum() {
        return momentum;
    }

    /** Records one training batch's per-channel mean and (biased) variance of {@code layer}. */
    public synchronized void observe(String layer, double[] mean, double[] variance) {
        if (mean.length != variance.length) {
            throw new IllegalArgumentException("BatchNorm statistics of '" + layer + "': mean has " + mean.length
                    + " channels, variance " + variance.length);
        }
        double[][] r = running.get(layer);
        if (r == null) {
            running.put(layer, new double[][] {mean.clone(), variance.clone()});
            return;
        }
        if (r[0].length != mean.length) {
            throw new IllegalArgumentException("BatchNorm statistics of '" + layer + "' had " + r[0].length
                    + " channels, now " + mean.length);
        }
        for (int c = 0; c < mean.length; c++) {
            r[0][c] = momentum * r[0][c] + (1 - momentum) * mean[c];
            r[1][c] = momentum * r[1][c] + (1 - momentum) * variance[c];
        }
    }

    /** Sets the running statistics of {@code layer} as they were (resuming a run from a checkpoint). */
    public synchronized void restore(String layer, double[] mean, double[] variance) {
        if (mean.length != variance.length) {
            throw new IllegalArgumentException("BatchNorm statistics of '" + layer + "': mean has " + mean.length
                    + " channels, variance " + variance.length);
        }
        running.put(layer, new double[][] {mean.clone(), variance.clone()});
    }

    /** The running {@code [mean, variance]} of {@code layer} (copies), if it has seen a batch. */
    public synchronized Optional<double[][]> running(String layer) {
        double[][] r = running.get(layer);
        return r == null ? Optional.empty() : Optional.of(new double[][] {r[0].clone(), r[1].clone()});
    }

    /** Layers seen so far, in order of first report. */
    public synchronized java.util.Set<String> layers() {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(running.keySet()));
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("BatchNormState[momentum=" + momentum);
        running.forEach((k, v) -> sb.append(", ").append(k).append("=").append(Arrays.toString(v[0])));
        return sb.append(']').toString();
    }
}
