package org.lincde.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;

/**
 * A configured structure: the vector field {@code A(u) = Σ_i u_i A_i} of one Linear CDE layer with
 * hidden size {@code h} and {@code d+1} control channels, including its parameters.
 *
 * <p>The transition is split in two stages so backends can batch the expensive part (docs/PERFORMANCE.md):
 * {@link #coefficients} maps all control increments at once to per-step coefficients (one GEMM),
 * then {@link #apply} computes {@code s = A(u) y} from one step's coefficients (a cheap product
 * inside the time loop). {@link #denseMatrix} restates the math in plain {@code double[]} code
 * straight from SPEC §1.1, so the two can be checked against each other.
 *
 * <p>Parameter names are relative to the layer ({@code vf_A}, {@code vf_A.weight}, {@code mask}).
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface StructuredVectorField {

    /** The spec this field was configured from. */
    StructureSpec spec();

    /** The structure that configured this field. */
    Structure structure();

    /** Hidden size {@code h}. */
    int hidden();

    /** Number of control channels {@code d+1}. */
    int controlChannels();

    /** Declared parameters and buffers, in the order {@link #initialize} writes them. */
    List<ParameterShape> parameters();

    /**
     * Initial values (SPEC §1.1), drawn from {@code rng} in a fixed order. Names are relative.
     *
     * @param initStd the layer's {@code init_std}
     */
    ParameterSet initialize(Rng rng, double initStd);

    /** Number {@code P} of coefficients per step. */
    int coefficientCount();

    /**
     * Per-step coefficients for a batch of control increments.
     *
     * @param u {@code (N, d+1)} control increments
     * @return {@code (N, P)}
     */
    <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> params, T u);

    /**
     * {@code s = A(u) y} for one step.
     *
     * @param coef {@code (N, P)} from {@link #coefficients}
     * @param y    {@code (N, h)} states
     * @return {@code (N, h)}
     */
    <T> T apply(TensorOps<T> ops, ParameterLookup<T> params, T coef, T y);

    /**
     * The reference dense matrix {@code A(u)} ({@code h×h}, row-major) for one control increment
     * {@code u} ({@code d+1} values), computed in plain double math from the (relative-named)
     * parameters. Independent of {@link #coefficients}/{@link #apply} on purpose.
     */
    double[] denseMatrix(ParameterSet params, double[] u);

    /**
     * Size of the diagonal blocks that {@code A(u)} (and so any product of transitions) keeps:
     * 1 for diagonal, {@code b} for block-diagonal, {@code h} when products fill in. The
     * associative scan composes blocks of this size.
     */
    int scanBlockSize();

    /**
     * The diagonal blocks of {@code A(c)} for every row of coefficients, shaped {@code (N, h/k, k, k)} =
     * [row of {@code coef}, block, row, column] with {@code k = }{@link #scanBlockSize()}: block {@code j} is
     * rows and columns {@code j·k … j·k+k−1} of {@code A(c)} (the associative scan adds {@code I} and composes
     * them, docs/models/scan-form.md "Building the transitions").
     *
     * <p>The default works for any field: it applies {@link #apply} to block-basis vectors ({@code k} of them
     * per row, each with ones at {@code blk·k + j} for every block, so {@code A(c) e_j} is column {@code j}
     * of every block). That costs an {@code (N·k, h)} basis and {@code k} copies of the coefficients, and
     * whatever {@code apply} needs for {@code N·k} rows: for a dense field an {@code (N·k, h, h)}
     * intermediate, {@code O(N·h³)}. A field whose coefficients already hold the blocks overrides this with
     * a reshape ({@code O(N·k·h)}, the transitions themselves).
     *
     * @param coef {@code (N, P)} from {@link #coefficients}
     * @return {@code (N, h/k, k, k)}
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default <T> T transitionBlocks(TensorOps<T> ops, ParameterLookup<T> params, T coef) {
        int n = ops.shape(coef)[0];
        int pc = ops.shape(coef)[1];
        int h = hidden();
        int k = scanBlockSize();
        int nb = h / k;
        // basis row (r, j): ones at positions blk·k + j for every block → A·e picks column j of each block
        double[] basis = new double[Math.multiplyExact(Math.multiplyExact(n, k), h)];
        for (int row = 0; row < n * k; row++) {
            int j = row % k;
            for (int blk = 0; blk < nb; blk++) {
                basis[row * h + blk * k + j] = 1.0;
            }
        }
        T coefRep = ops.reshape(ops.mul(ops.reshape(coef, n, 1, pc), ops.full(1.0, 1, k, 1)), n * k, pc);
        T cols = apply(ops, params, coefRep, ops.constant(basis, n * k, h));           // (n·k, h)
        T blocks = ops.reshape(cols, n, k, nb, k);                                       // [n, j, blk, row]
        return ops.transpose(ops.transpose(blocks, 1, 2), 2, 3);                         // [n, blk, row, j]
    }

    /** Relative names of the parameters in the Frobenius regulariser {@code ||vf_A||_F} (SPEC §4.1). */
    List<String> regularizedParameters();

    /**
     * Gradient masks: parameter name → buffer name whose 0/1 values multiply that parameter's
     * gradient after every backward pass (the sparse structure's {@code mask_grads}).
     */
    default Map<String, String> gradientMasks() {
        return Map.of();
    }

    /**
     * This field's fused step kernel ({@code s = A(c) y} and its adjoint over primitive arrays, on
     * the coefficients of {@link #coefficients}), or empty (the default): backends with fused
     * recurrences then run the generic path. A kernel must agree with {@link #apply} forward and
     * backward; the built-in fields return the kernels of {@link StepKernels}.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
    default Optional<StepKernel> stepKernel() {
        return Optional.empty();
    }

    /**
     * Whether {@link #coefficients} acts row by row: row {@code n} of the result depends on row
     * {@code n} of {@code u} only (true of any {@code u·W}). A backend may then compute the coefficients
     * of a lookup table's rows once and gather them (the DJL fast path does, for the embedding that
     * feeds block 0). Default false: nothing is assumed.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
    default boolean rowWiseCoefficients() {
        return false;
    }

    /**
     * The weight {@code W} ({@code (h·h) × (d+1)}) when {@code A(u) = reshape_{h×h}(W u)} row-major (the
     * dense and sparse fields, SPEC §1.1 items 1 and 6), or empty (the default). A backend's
     * {@link TensorOps#fusedDenseRecurrence} then evaluates {@code A(u) y} without materialising
     * {@code A(u)}.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default <T> Optional<T> denseWeight(TensorOps<T> ops, ParameterLookup<T> params) {
        return Optional.empty();
    }

    /** Number of trainable scalars. */
    default long parameterCount() {
        long n = 0;
        for (ParameterShape p : parameters()) {
            if (p.role() == ParameterSet.Role.TRAINABLE) {
                n += p.size();
            }
        }
        return n;
    }
}
