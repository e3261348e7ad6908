package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LstmKernel;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.RnnCellKernel;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Layers;

/**
 * Layer {@code k} of PyTorch's {@code nn.LSTM} (SPEC §2.1), zero initial state, gate order i, f, g, o:
 * <pre>
 *   [i; f; g; o] = W x_t + b_ih + U h_{t−1} + b_hh      weight_ih_l{k} (4h, in), weight_hh_l{k} (4h, h),
 *                                                         bias_ih_l{k} (4h), bias_hh_l{k} (4h)
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * All weights and biases {@code U(±1/√h)}. The input terms of all steps come from one product, split once.
 * Unlike the other {@link SequenceLayer}s its input width ({@code inputDim}) may differ from {@link #width()}.
 * A backend that offers {@link TensorOps#fusedLstm} runs the layer in its own LSTM operation instead.
 */
public final class LstmLayer implements SequenceLayer {
    private final int inputDim;
    private final int hidden;
    private final int index;

    /**
     * @param inputDim width of the input sequence
     * @param hidden   {@code h}
     * @param index    the layer number {@code k} in the names
     */
    public LstmLayer(int inputDim, int hidden, int index) {
        if (inputDim <= 0 || hidden <= 0 || index < 0) {
            throw new IllegalArgumentException("LSTM layer needs positive sizes, got in = " + inputDim + ", h = "
                    + hidden + ", k = " + index);
        }
        this.inputDim = inputDim;
        this.hidden = hidden;
        this.index = index;
    }

    @Override
    public int width() {
        return hidden;
    }

    @Override
    public void declare(List<ParameterShape> out, String prefix) {
        Params.add(out, prefix + "weight_ih_l" + index, 4 * hidden, inputDim);
        Params.add(out, prefix + "weight_hh_l" + index, 4 * hidden, hidden);
        Params.add(out, prefix + "bias_ih_l" + index, 4 * hidden);
        Params.add(out, prefix + "bias_hh_l" + index, 4 * hidden);
    }

    @Override
    public void initialize(ParameterSet out, Rng rng, String prefix) {
        double k = 1.0 / Math.sqrt(hidden);
        Params.uniform(out, rng, prefix + "weight_ih_l" + index, -k, k, 4 * hidden, inputDim);
        Params.uniform(out, rng, prefix + "weight_hh_l" + index, -k, k, 4 * hidden, hidden);
        Params.uniform(out, rng, prefix + "bias_ih_l" + index, -k, k, 4 * hidden);
        Params.uniform(out, rng, prefix + "bias_hh_l" + index, -k, k, 4 * hidden);
    }

    /**
     * The layer over an embedded token sequence {@code x = E[ids]} by the token-id identity
     * {@code W E[id] = (E Wᵀ)[id]} (docs/models/lstm.md, "Token ids"): the input terms are rows of the
     * {@code V × 4h} table {@code E W_ihᵀ}, gathered per position, instead of a
     * {@code (B·L) × in × 4h} product (and its gradient is a scatter-add into the table and two {@code V}-row
     * products instead of two {@code B·L}-row ones). Offered only with the backend's fused recurrence
     * ({@link TensorOps#fusedRnnCells}), which the conformance kit compares with the generic graph; empty
     * otherwise (the caller embeds and calls {@link #forward}), and when the vocabulary has at least
     * {@code B·L} rows (no saving).
     *
     * @param table the embedding table {@code E}, {@code (V, in)}
     * @param ids   {@code B·L} token ids, batch-major
     */
    public <T> Optional<T> forwardFromTable(TensorOps<T> ops, ParameterLookup<T> p, T table, int[] ids, int batch,
                                            int length) {
        Optional<RnnCellKernel<T>> cells = ops.fusedRnnCells();
        if (cells.isEmpty() || ops.fusedLstm().isPresent() || ops.shape(table)[0] >= (long) batch * length) {
            return Optional.empty();
        }
        T rows = Layers.linear(ops, table, p.get("weight_ih_l" + index), null);               // (V, 4h)
        T products = ops.embedding(rows, ids, batch, length);                                // (B, L, 4h)
        return Optional.of(cells.get().lstm(products, bias(ops, p), p.get("weight_hh_l" + index)));
    }

    /** {@code b_ih + b_hh}, the bias a fused recurrence adds. */
    private <T> T bias(TensorOps<T> ops, ParameterLookup<T> p) {
        return ops.add(p.get("bias_ih_l" + index), p.get("bias_hh_l" + index));
    }

    @Override
    public <T> T forward(TensorOps<T> ops, ParameterLookup<T> p, T x, ForwardMode mode) {
        Optional<LstmKernel<T>> fused = ops.fusedLstm();
        if (fused.isPresent()) {
            // the backend's own LSTM op, the same math as the loop below (docs/models/lstm.md, fused LSTM)
            return fused.get().hiddenStates(x, p.get("weight_ih_l" + index), p.get("weight_hh_l" + index),
                    p.get("bias_ih_l" + index), p.get("bias_hh_l" + index));
        }
        int h = hidden;
        Optional<RnnCellKernel<T>> cells = ops.fusedRnnCells();
        if (cells.isPresent()) {
            // the backend's fused recurrence, the biases inside it (docs/models/lstm.md, fused recurrence)
            return cells.get().lstm(Layers.linear(ops, x, p.get("weight_ih_l" + index), null), bias(ops, p),
                    p.get("weight_hh_l" + index));
        }
        T gatesIn = ops.add(Layers.linear(ops, x, p.get("weight_ih_l" + index), p.get("bias_ih_l" + index)),
                p.get("bias_hh_l" + index));                                                // (B, L, 4h)
        T u = p.get("weight_hh_l" + index);
        List<T> steps = ops.unstack(gatesIn, 1);
        List<T> hs = new ArrayList<>(steps.size());
        T hPrev = null;
        T cPrev = null;
        for (T g : steps) {
            T gates = hPrev == null ? g : ops.add(g, Layers.linear(ops, hPrev, u, null));
            T i = ops.sigmoid(ops.slice(gates, 1, 0, h));
            T f = ops.sigmoid(ops.slice(gates, 1, h, 2 * h));
            T gg = ops.tanh(ops.slice(gates, 1, 2 * h, 3 * h));
            T o = ops.sigmoid(ops.slice(gates, 1, 3 * h, 4 * h));
            T c = cPrev == null ? ops.mul(i, gg) : ops.add(ops.mul(f, cPrev), ops.mul(i, gg));
            hPrev = ops.mul(o, ops.tanh(c));
            cPrev = c;
            hs.add(hPrev);
        }
        return ops.stack(hs, 1);
    }
}
