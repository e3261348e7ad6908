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
