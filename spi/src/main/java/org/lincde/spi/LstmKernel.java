package org.lincde.spi;

/**
 * One layer of PyTorch's {@code nn.LSTM} (SPEC §2.1) run by a backend's own LSTM operation, offered
 * through {@link TensorOps#fusedLstm}: unidirectional, no dropout, zero initial hidden and cell state,
 * gate order i, f, g, o,
 * <pre>
 *   [i; f; g; o] = W x_t + b_ih + U h_{t−1} + b_hh
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * The same math as {@code org.lincde.spi.model.baseline.LstmLayer}'s generic step loop: it must agree with
 * it within float rounding, forward and backward (gradients of the input and all four parameters); the
 * conformance kit compares the models' fused and generic paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface LstmKernel<T> {
    /**
     * The hidden states of every step, {@code (B, L, h)}.
     *
     * @param x        the input sequence {@code (B, L, in)}, batch first
     * @param weightIh {@code W}: {@code weight_ih_l{k}}, {@code (4h, in)}
     * @param weightHh {@code U}: {@code weight_hh_l{k}}, {@code (4h, h)}
     * @param biasIh   {@code b_ih}: {@code bias_ih_l{k}}, {@code (4h)}
     * @param biasHh   {@code b_hh}: {@code bias_hh_l{k}}, {@code (4h)}
     */
    T hiddenStates(T x, T weightIh, T weightHh, T biasIh, T biasHh);
}
