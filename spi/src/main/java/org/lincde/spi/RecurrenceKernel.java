package org.lincde.spi;

/**
 * A fused implementation of the whole Linear CDE recurrence (SPEC §1.1 eq. 2) for one structured
 * vector field, offered by a backend through {@link TensorOps#fusedRecurrence}. It must equal the
 * generic per-step loop forward and backward; the conformance kit checks both paths.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
public interface RecurrenceKernel<T> {
    /**
     * All states {@code (B, L, h)}: {@code states[:,0] = y0}, and for {@code i = 1..L−1}
     * {@code y_i = y_{i−1} + c·tanh(s_i / c)} with {@code s_i = A(coef_i) y_{i−1}}
     * ({@code c = clip}; {@code clip = +∞} means plain addition).
     *
     * @param y0           initial states {@code (B, h)}
     * @param coefficients transition coefficients {@code (B, L−1, P)} from
     *                     {@link StructuredVectorField#coefficients}
     * @param clip         the tanh clip constant {@code c}
     */
    T states(T y0, T coefficients, double clip);
}
