package org.lincde.spi;

/**
 * The sLSTM cell's recurrence (docs/models/xlstm.md §"Fused sLSTM cell") run by a backend's fused kernel, offered
 * through {@link TensorOps#fusedSlstm}: per head and batch row, with gate order {@code i, f, z, o} and
 * {@code y_0 = 0},
 * <pre>
 *   g̃_t = pre_t + R y_{t−1}          (4·DH values: ĩ, f̃, z̃, õ)
 *   m_t = ĩ_t at t = 1, else max(ĩ_t, log σ(f̃_t) + m_{t−1})
 *   c_t = e^{log σ(f̃_t) + m_{t−1} − m_t} c_{t−1} + e^{ĩ_t − m_t} tanh(z̃_t),   n_t likewise with 1 for tanh(z̃_t)
 *   y_t = σ(õ_t) · c_t / n_t
 * </pre>
 * The stabiliser {@code m} is a constant for the gradient, as in the generic graph and NX-AI's CUDA kernel
 * ({@code y} does not depend on it). The same map as {@code SlstmLayer}'s generic step loop: it must agree with it
 * within float rounding, forward and backward; the conformance kit compares the models' fused and generic paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface SlstmKernel<T> {
    /**
     * The outputs {@code y (NH, B, S, DH)}.
     *
     * @param pre       the gate pre-activations without the recurrent term, {@code (NH, B, S, 4, DH)}
     * @param recurrent the block-diagonal recurrent kernel {@code (NH, DH, 4·DH)}, column {@code g·DH + j} for gate
     *                  {@code g}, unit {@code j}
     */
    T outputs(T pre, T recurrent);
}
