package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * The head of a baseline: {@code Lin_{h→K}} (PyTorch-default init) per token, giving {@code (B, L, K)}, or
 * on the mean over time, giving {@code (B, K)}. Emits logits: a softmax the authors apply in the model
 * (R3) belongs to the loss.
 *
 * @param output the readout kind
 * @param width  {@code h}
 * @param k      {@code K}
 * @param name   the head's name prefix, e.g. {@code linear}
 */
public record Readout(SequenceIo.Output output, int width, int k, String name) {

    /** Appends the declared parameters. */
    public void declare(List<ParameterShape> out) {
        Params.linear(out, name, width, k, true);
    }

    /** Initial values (PyTorch-default Linear init). */
    public void initialize(ParameterSet out, Rng rng) {
        Layers.initLinear(out, rng, name, width, k, true);
    }

    /** The output for hidden states {@code x (B, L, h)}. */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x) {
        T y = output == SequenceIo.Output.MEAN_OVER_TIME ? ops.mean(x, 1, false) : x;
        return Layers.linear(ops, p, name, y);
    }
}
