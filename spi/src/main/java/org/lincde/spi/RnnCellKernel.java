package org.lincde.spi;

/**
 * The recurrence of one PyTorch {@code nn.LSTM} or {@code nn.RNN} (tanh) layer given its input terms, run
 * by a backend's fused kernel and offered through {@link TensorOps#fusedRnnCells}: zero initial state, the
 * input products {@code W x_t} of all steps already computed (one product, or a gather of the embedding
 * table's product for a token model's first layer), so the kernel owns the biases, the recurrent product
 * {@code U h_{t−1}} and the cell's pointwise work, forward and backward (docs/models/lstm.md,
 * "The fused recurrence"). The same math as {@code LstmLayer}'s and {@code TanhRnnLayer}'s generic step
 * loops: it must agree with them within float rounding, forward and backward (gradients of the input
 * products, the bias and {@code U}); the conformance kit compares the models' fused and generic paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface RnnCellKernel<T> {
    /**
     * The LSTM's hidden states {@code (B, L, h)}, gate order i, f, g, o:
     * {@code [i; f; g; o] = a_t + b + U h_{t−1}}, {@code c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)},
     * {@code h_t = σ(o) ⊙ tanh(c_t)}, {@code h_{−1} = c_{−1} = 0}.
     *
     * @param inputProducts {@code a_t = W x_t}: {@code (B, L, 4h)}
     * @param bias          {@code b = b_ih + b_hh}: {@code (4h)}
     * @param weightHh      {@code U}: {@code weight_hh_l{k}}, {@code (4h, h)}
     */
    T lstm(T inputProducts, T bias, T weightHh);

    /**
     * The tanh RNN's hidden states {@code (B, L, h)}: {@code h_t = tanh(a_t + b + U h_{t−1})}, {@code h_{−1} = 0}.
     *
     * @param inputProducts {@code a_t = W x_t}: {@code (B, L, h)}
     * @param bias          {@code b = b_ih + b_hh}: {@code (h)}
     * @param weightHh      {@code U}: {@code weight_hh_l0}, {@code (h, h)}
     */
    T tanhRnn(T inputProducts, T bias, T weightHh);

    /**
     * Whether {@link #tanhRnn} is offered (the default), or the tanh RNN should run its generic loop: a backend may
     * fuse the LSTM only, where its kernel measured slower than the RNN's three-op step.
     */
    default boolean offersTanhRnn() {
        return true;
    }
}
