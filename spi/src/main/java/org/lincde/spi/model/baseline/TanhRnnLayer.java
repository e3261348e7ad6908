package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.RnnCellKernel;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * R2's single-layer tanh RNN ({@code nn.RNN(h, h)}, SPEC §2.8):
 * {@code h_t = tanh(W x_t + b + U h_{t−1} + c)}, {@code h_0 = 0}, all states out. Names as PyTorch's:
 * {@code weight_ih_l0 (h, h)}, {@code weight_hh_l0 (h, h)}, {@code bias_ih_l0}, {@code bias_hh_l0}, each
 * {@code U(±1/√h)}. Inherently sequential: the input terms of all steps come from one product, split once.
 */
public final class TanhRnnLayer implements SequenceLayer {
    private final int width;

    /** @param width {@code h} */
    public TanhRnnLayer(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("RNN width must be positive, got " + width);
        }
        this.width = width;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.add(out, prefix + "weight_ih_l0", width, width);
        Params.add(out, prefix + "weight_hh_l0", width, width);
        Params.add(out, prefix + "bias_ih_l0", width);
        Params.add(out, prefix + "bias_hh_l0", width);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        double k = 1.0 / Math.sqrt(width);
        Params.uniform(out, rng, prefix + "weight_ih_l0", -k, k, width, width);
        Params.uniform(out, rng, prefix + "weight_hh_l0", -k, k, width, width);
        Params.uniform(out, rng, prefix + "bias_ih_l0", -k, k, width);
        Params.uniform(out, rng, prefix + "bias_hh_l0", -k, k, width);
    }

    /**
     * The layer over an embedded token sequence {@code x = E[ids]} by the token-id identity
     * {@code W E[id] = (E Wᵀ)[id]} (docs/models/lstm.md, "Token ids"): the input products are rows of the
     * {@code V × h} table {@code E W_ihᵀ}, gathered per position. Offered only with the backend's fused recurrence
     * ({@link TensorOps#fusedRnnCells}), which the conformance kit compares with the generic graph; empty otherwise
     * (the caller calls {@link #forward}), and when the vocabulary has at least {@code B·L} rows.
     *
     * @param table the embedding table {@code E}, {@code (V, h)}
     * @param ids   {@code B·L} token ids, batch-major
     */
    public <T> Optional<T> forwardFromTable(TensorOps<T> ops, ParameterLookup<T> p, T table, int[] ids, int batch,
                                            int length) {
        Optional<RnnCellKernel<T>> cells = ops.fusedRnnCells().filter(RnnCellKernel::offersTanhRnn);
        if (cells.isEmpty() || ops.shape(table)[0] >= (long) batch * length) {
            return Optional.empty();
        }
        T products = ops.embedding(Layers.linear(ops, table, p.get("weight_ih_l0"), null), ids, batch, length);
        return Optional.of(cells.get().tanhRnn(products, ops.add(p.get("bias_ih_l0"), p.get("bias_hh_l0")),
                p.get("weight_hh_l0")));
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        Optional<RnnCellKernel<T>> cells = ops.fusedRnnCells().filter(RnnCellKernel::offersTanhRnn);
        if (cells.isPresent()) {
            // the backend's fused recurrence, the biases inside it (docs/models/lstm.md, fused recurrence)
            return cells.get().tanhRnn(Layers.linear(ops, x, p.get("weight_ih_l0"), null),
                    ops.add(p.get("bias_ih_l0"), p.get("bias_hh_l0")), p.get("weight_hh_l0"));
        }
        T inputs = ops.add(Layers.linear(ops, x, p.get("weight_ih_l0"), p.get("bias_ih_l0")), p.get("bias_hh_l0"));
        T u = p.get("weight_hh_l0");
        List<T> steps = ops.unstack(inputs, 1);
        List<T> hs = new ArrayList<>(steps.size());
        T h = ops.tanh(steps.get(0));
        hs.add(h);
        for (int t = 1; t < steps.size(); t++) {
            h = ops.tanh(ops.add(steps.get(t), Layers.linear(ops, h, u, null)));
            hs.add(h);
        }
        return ops.stack(hs, 1);
    }
}
