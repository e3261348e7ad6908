package org.lincde.spi.model.baseline;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * The first layer of a baseline (SPEC §1.2, §2.8): an embedding {@code V→h} with {@code N(0,1)} init
 * (PyTorch's {@code nn.Embedding}), two {@code h/2} embeddings for token pairs, or {@code Lin_{d→h}} with
 * PyTorch-default init for real channels. Names are supplied by the model, as its authors named them.
 *
 * @param io         the input kind and size
 * @param width      {@code h}
 * @param embedding  name prefix of the (first) embedding table, e.g. {@code embedding}
 * @param embedding2 name prefix of the second table (token pairs only)
 * @param linear     name prefix of the channel projection, e.g. {@code linear_encoder}
 */
public record InputLayer(SequenceIo io, int width, String embedding, String embedding2, String linear) {

    /** Appends the declared parameters. */
    public void declare(List<ParameterShape> out) {
        switch (io.input()) {
            case TOKENS -> Params.add(out, embedding + ".weight", io.inputDim(), width);
            case TOKEN_PAIRS -> {
                Params.add(out, embedding + ".weight", io.inputDim(), width / 2);
                Params.add(out, embedding2 + ".weight", io.inputDim(), width / 2);
            }
            case CHANNELS -> Params.linear(out, linear, io.inputDim(), width, true);
        }
    }

    /** Initial values of the declared parameters. */
    public void initialize(ParameterSet out, Rng rng) {
        switch (io.input()) {
            case TOKENS -> Layers.initNormal(out, rng, embedding + ".weight", 1.0, io.inputDim(), width);
            case TOKEN_PAIRS -> {
                Layers.initNormal(out, rng, embedding + ".weight", 1.0, io.inputDim(), width / 2);
                Layers.initNormal(out, rng, embedding2 + ".weight", 1.0, io.inputDim(), width / 2);
            }
            case CHANNELS -> Layers.initLinear(out, rng, linear, io.inputDim(), width, true);
        }
    }

    /** The input sequence as {@code (B, L, h)}; a batch of the wrong kind is an error naming both. */
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, Batch.Inputs inputs) {
        if (io.input() == SequenceIo.Input.CHANNELS) {
            if (!(inputs instanceof Batch.ChannelInputs ch)) {
                throw new IllegalArgumentException("this model reads real channels, got "
                        + inputs.getClass().getSimpleName());
            }
            if (ch.channels() != io.inputDim()) {
                throw new IllegalArgumentException("this model reads " + io.inputDim() + " channels (input_dim), "
                        + "the batch has " + ch.channels());
            }
            T x = ops.constant(ch.values(), ch.batch(), ch.length(), ch.channels());
            return Layers.linear(ops, p, linear, x);
        }
        if (!(inputs instanceof Batch.TokenInputs tok)) {
            throw new IllegalArgumentException("this model reads token ids, got " + inputs.getClass().getSimpleName());
        }
        int perStep = io.input() == SequenceIo.Input.TOKEN_PAIRS ? 2 : 1;
        if (tok.perStep() != perStep) {
            throw new IllegalArgumentException("expected " + perStep + " token id(s) per step, got " + tok.perStep());
        }
        int b = tok.batch();
        int len = tok.length();
        if (perStep == 1) {
            return ops.embedding(p.get(embedding + ".weight"), tok.ids(), b, len);
        }
        int[] first = new int[b * len];
        int[] second = new int[b * len];
        for (int i = 0; i < b * len; i++) {
            first[i] = tok.ids()[2 * i];
            second[i] = tok.ids()[2 * i + 1];
        }
        return ops.concat(List.of(ops.embedding(p.get(embedding + ".weight"), first, b, len),
                ops.embedding(p.get(embedding2 + ".weight"), second, b, len)), 2);
    }
}
