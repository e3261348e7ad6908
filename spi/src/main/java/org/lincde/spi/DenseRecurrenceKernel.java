package org.lincde.spi;

/**
 * A fused Linear CDE recurrence (SPEC §1.1 eq. 2) for a field whose transition is
 * {@code A(u) = reshape_{h×h}(W u)} with one weight {@code W ∈ R^{(h·h)×(d+1)}} (SPEC §1.1 items 1 and 6:
 * dense and sparse; {@link StructuredVectorField#denseWeight}), offered by a backend through
 * {@link TensorOps#fusedDenseRecurrence}. It never materialises the {@code B·(L−1)·h²} coefficients:
 * reordering the sums of {@code s_i = A(u_i) y_{i−1}} gives {@code s_i[p] = Σ_{q,c} W[p·h+q, c] y[q] u_i[c]},
 * one matrix product per step of the outer products {@code y ⊗ u_i} with {@code W} viewed as
 * {@code h × (h·(d+1))}. The same sums as the coefficient path in another order: it must agree with the
 * generic path within float rounding, forward and backward; the conformance kit compares the models.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public interface DenseRecurrenceKernel<T> {
    /**
     * All states {@code (B, L, h)}: {@code states[:,0] = y0}, and for {@code i = 1..L−1}
     * {@code y_i = y_{i−1} + c·tanh(s_i / c)} with {@code s_i = reshape_{h×h}(W u_i) y_{i−1}}
     * ({@code clip = +∞}: plain addition).
     *
     * @param y0     initial states {@code (B, h)}
     * @param u      control increments {@code (B, L−1, d+1)}
     * @param weight {@code W}, {@code (h·h, d+1)}
     * @param clip   the tanh clip constant {@code c}
     */
    T states(T y0, T u, T weight, double clip);

    /**
     * {@link #states} when every control increment is a row of a small table (block 0 of a token model:
     * {@code u = dt·[1, E[id]]}): {@code A_v = reshape_{h×h}(coefficientTable[v])} for the table's
     * {@code V} rows, and step {@code i} of row {@code b} uses {@code A_{ids[b·(L−1) + i−1]}}. An exact
     * identity (the same products per row), so a backend may apply all {@code V} matrices at once.
     *
     * @param y0               initial states {@code (B, h)}
     * @param coefficientTable {@code (V, h·h)}: the field's coefficients of the table's rows
     * @param ids              {@code B·(L−1)} row indices in {@code [0, V)}, batch row slowest
     * @param clip             the tanh clip constant {@code c}
     */
    T statesFromTable(T y0, T coefficientTable, int[] ids, double clip);
}
