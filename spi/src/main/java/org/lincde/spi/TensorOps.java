package org.lincde.spi;

import java.util.List;
import java.util.Optional;

/**
 * The small differentiable op algebra every model and structure is written against, once
 * (Keras 3's {@code ops} idea). Each backend implements it for its own tensor type {@code T}: the
 * reference backend's tape node, a DJL {@code NDArray}, a SameDiff {@code SDVariable}.
 *
 * <p>Semantics, shared by every implementation:
 * <ul>
 *   <li>Shapes are row-major; axis arguments may be negative (counted from the end).</li>
 *   <li>Binary element-wise ops broadcast as NumPy does; gradients are summed over broadcast axes.</li>
 *   <li>Every op is differentiable in its tensor arguments unless its Javadoc says otherwise;
 *       {@code constant(...)} tensors carry no gradient.</li>
 *   <li>All tensors of one {@code TensorOps} share its {@link #dtype()}: no implicit promotion.</li>
 *   <li>Shape errors are raised before any numerics with the messages of {@link Shapes}, so every
 *       backend reports a bad shape alike.</li>
 * </ul>
 *
 * <p>How gradients are taken is the backend's business (a tape, an engine's autograd); models
 * only build the forward graph.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface TensorOps<T> {

    /** The precision of every tensor this instance makes. */
    DType dtype();

    // ---------------------------------------------------------------- creation and read-back

    /** A constant (no gradient) holding {@code values} (rounded to {@link #dtype()}) with {@code shape}. */
    T constant(double[] values, int... shape);

    /** A constant scalar (shape {@code []}). */
    default T scalar(double value) {
        return constant(new double[] {value});
    }

    /** A constant filled with {@code value}. */
    default T full(double value, int... shape) {
        double[] v = new double[Math.toIntExact(Shapes.size(shape))];
        java.util.Arrays.fill(v, value);
        return constant(v, shape);
    }

    /** The shape of {@code x}. */
    int[] shape(T x);

    /** The values of {@code x} copied to Java memory (as FLOAT64 or FLOAT32 per {@link #dtype()}). */
    HostTensor value(T x);

    /** {@code x} with gradient flow cut (same values). */
    T detach(T x);

    // ---------------------------------------------------------------- element-wise (broadcasting)

    /** {@code a + b}. */
    T add(T a, T b);

    /** {@code a − b}. */
    T sub(T a, T b);

    /** {@code a ⊙ b}. */
    T mul(T a, T b);

    /** {@code a / b}. */
    T div(T a, T b);

    /** {@code −x}. */
    T neg(T x);

    /** {@code c · x} for a Java constant {@code c}. */
    T scale(T x, double c);

    /** {@code x + c} for a Java constant {@code c}. */
    T addScalar(T x, double c);

    /** {@code exp(x)}. */
    T exp(T x);

    /** {@code log(x)} (natural). */
    T log(T x);

    /** {@code tanh(x)}. */
    T tanh(T x);

    /** Logistic sigmoid {@code 1/(1+e^{−x})}. */
    T sigmoid(T x);

    /** {@code max(x, 0)}; gradient 0 at 0. */
    T relu(T x);

    /** Exact GELU {@code x·Φ(x)} (PyTorch's default, erf form). */
    T gelu(T x);

    /** {@code log(1 + e^x)}, computed stably. */
    T softplus(T x);

    /** {@code sqrt(x)}. */
    T sqrt(T x);

    /** {@code sin(x)} (radians). */
    T sin(T x);

    /** {@code cos(x)} (radians). */
    T cos(T x);

    /** {@code x²}. */
    default T square(T x) {
        return mul(x, x);
    }

    /** SiLU {@code x·σ(x)}. */
    default T silu(T x) {
        return mul(x, sigmoid(x));
    }

    // ---------------------------------------------------------------- shape

    /** The same values with another shape of equal size. */
    T reshape(T x, int... shape);

    /** Swaps axes {@code a} and {@code b}. */
    T transpose(T x, int a, int b);

    /** Elements {@code [start, end)} along {@code axis}. */
    T slice(T x, int axis, int start, int end);

    /** Concatenation along {@code axis}; all other extents must agree. */
    T concat(List<T> xs, int axis);

    /** Stacks equal-shaped tensors along a new axis {@code axis}. */
    T stack(List<T> xs, int axis);

    /**
     * Splits {@code x} along {@code axis} into its slices with that axis removed. One op for all
     * slices: prefer it to repeated {@link #slice} in time loops (docs/PERFORMANCE.md: per-step slicing
     * under autograd allocates a full-size gradient per slice).
     */
    List<T> unstack(T x, int axis);

    // ---------------------------------------------------------------- linear algebra

    /**
     * Batched matrix product {@code (..., n, k) × (..., k, m) → (..., n, m)}; batch axes broadcast
     * (see {@link Shapes#matmul}).
     */
    T matmul(T a, T b);

    // ---------------------------------------------------------------- reductions

    /** Sum over {@code axis}. */
    T sum(T x, int axis, boolean keepDim);

    /** Mean over {@code axis}. */
    default T mean(T x, int axis, boolean keepDim) {
        int n = shape(x)[Shapes.axis("mean", axis, shape(x).length)];
        return scale(sum(x, axis, keepDim), 1.0 / n);
    }

    /** Sum of every element (shape {@code []}). */
    T sumAll(T x);

    // ---------------------------------------------------------------- neural-network ops

    /**
     * Rows of {@code table} ({@code V×h}) picked by {@code ids}: the result has shape
     * {@code idsShape + [h]}. Gradients flow into {@code table} (scatter-add over repeated ids).
     * Ids outside {@code [0, V)} are an error naming the id and its position.
     */
    T embedding(T table, int[] ids, int... idsShape);

    /**
     * LayerNorm over the last axis: {@code (x − μ)/sqrt(σ² + eps) · gamma + beta}, with the biased
     * variance (PyTorch's {@code nn.LayerNorm}).
     */
    T layerNorm(T x, T gamma, T beta, double eps);

    /** {@code log softmax} over the last axis, computed stably. */
    T logSoftmax(T x);

    /** {@code softmax} over the last axis, computed stably. */
    T softmax(T x);

    /**
     * {@code x[..., index[i]]}: picks one entry of the last axis for every leading position
     * ({@code index.length} = number of leading positions); the last axis is removed.
     */
    T pickLast(T x, int[] index);

    /**
     * Unnormalised fast Walsh–Hadamard transform over the last axis (length a power of two),
     * natural (Sylvester) order: {@code y = H_n x} with {@code H_1 = [1]},
     * {@code H_2n = [[H_n, H_n], [H_n, −H_n]]}. Self-adjoint, so its gradient is the same transform.
     */
    T walshHadamard(T x);

    /**
     * The inverted-dropout mask as a constant of {@code shape} (no gradient): element {@code i} is 0 when
     * {@code draws[i]}, read as unsigned, is below {@code threshold}, else {@code keep} (rounded to
     * {@link #dtype()}). {@code org.lincde.spi.model.Dropout} draws the values; a backend may build the
     * constant in its own memory instead of through a {@code double[]} (the default), but every element must
     * equal the default's.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default T dropoutMask(int[] draws, long threshold, double keep, int... shape) {
        if (draws.length != Shapes.size(shape)) {
            throw new IllegalArgumentException("dropout mask: " + draws.length + " draws for shape "
                    + java.util.Arrays.toString(shape));
        }
        double[] m = new double[draws.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (draws[i] & 0xFFFFFFFFL) < threshold ? 0.0 : keep;
        }
        return constant(m, shape);
    }

    // ---------------------------------------------------------------- fast-path hooks

    /**
     * A fused kernel for the whole Linear CDE recurrence of {@code field}, or empty to decline
     * (the model then runs the generic per-step loop). A fused kernel must agree with the generic
     * path, forward and backward; the conformance kit runs both.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.1")
    default Optional<RecurrenceKernel<T>> fusedRecurrence(StructuredVectorField field) {
        return Optional.empty();
    }

    /**
     * A fused recurrence for a field with one dense weight ({@link StructuredVectorField#denseWeight}:
     * dense and sparse) that reads the control increments instead of the {@code B·(L−1)·h²} coefficients,
     * or empty to decline (the default: the model computes the coefficients and asks
     * {@link #fusedRecurrence}). Must agree with the generic path, forward and backward.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<DenseRecurrenceKernel<T>> fusedDenseRecurrence(StructuredVectorField field) {
        return Optional.empty();
    }

    /**
     * The backend's own LSTM operation for one {@code nn.LSTM} layer ({@link LstmKernel}), or empty to
     * decline (the default: the layer runs the generic per-step loop). Must agree with the generic path,
     * forward and backward.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<LstmKernel<T>> fusedLstm() {
        return Optional.empty();
    }

    /**
     * A fused recurrence for {@code nn.LSTM} and tanh {@code nn.RNN} layers that takes the input terms of all
     * steps ({@link RnnCellKernel}), or empty to decline (the default: the layers run their generic step loops).
     * {@link #fusedLstm}, where offered, takes precedence for the LSTM. Must agree with the generic path,
     * forward and backward.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<RnnCellKernel<T>> fusedRnnCells() {
        return Optional.empty();
    }

    /**
     * A fused kernel for RWKV-6's state recurrence ({@link Wkv6Kernel}), or empty to decline (the default: the
     * layer runs its generic chunked or recurrent graph). Must agree with the generic path, forward and backward;
     * offered only when the session's fused kernels are on.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<Wkv6Kernel<T>> fusedWkv6() {
        return Optional.empty();
    }

    /**
     * A depth-wise causal convolution as one backend op ({@link CausalConvKernel}), or empty to decline (the default:
     * the layer builds it from shifted slices). Must agree with the generic path, forward and backward; offered only
     * when the session's fused kernels are on.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<CausalConvKernel<T>> fusedCausalConv() {
        return Optional.empty();
    }

    /**
     * A fused kernel for the (gated) delta rule of the DeltaNet family ({@link DeltaRuleKernel}), or empty to
     * decline (the default: the layer runs its generic chunked or recurrent graph). Must agree with the generic
     * path, forward and backward; offered only when the session's fused kernels are on.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<DeltaRuleKernel<T>> fusedDeltaRule() {
        return Optional.empty();
    }

    /**
     * A fused kernel for the sLSTM cell's recurrence ({@link SlstmKernel}), or empty to decline (the default: the
     * layer runs its generic step loop). Must agree with the generic path, forward and backward; offered only when
     * the session's fused kernels are on.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<SlstmKernel<T>> fusedSlstm() {
        return Optional.empty();
    }

    /**
     * The backend's fused selective scan of S6 and the Mamba v1 block ({@link SelectiveScanKernel}), or
     * empty to decline (the default: the layer materialises its {@code (B, L, E, N)} decay and drive and
     * runs the generic diagonal recurrence). A backend offers it only when its session's fused paths are
     * on; its presence also lets the time-invariant S4D layer take its exact convolution form. Must agree
     * with the generic path, forward and backward.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<SelectiveScanKernel<T>> fusedSelectiveScan() {
        return Optional.empty();
    }

    /**
     * Engine-fused affine maps for the Transformer layers ({@link AttentionKernel}), or empty to decline (the
     * default: the layers run their generic graph). Its presence also lets the layer fold the attention scale
     * {@code 1/√d} into the query's rotary tables. A backend offers it only when its session's fused paths are
     * on. Must agree with the generic path, forward and backward.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<AttentionKernel<T>> fusedAttention() {
        return Optional.empty();
    }

    /**
     * A fused kernel for everything of the Mamba2 layer between its two projections ({@link Mamba2MixerKernel}:
     * short convolution, SiLU, softplus, the single-chunk SSD, D skip, gated RMSNorm), or empty to decline (the
     * default: the layer runs its generic graph). Must agree with the generic path, forward and backward; offered
     * only when the session's fused kernels are on.
     */
    @Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
    default Optional<Mamba2MixerKernel<T>> fusedMamba2Mixer() {
        return Optional.empty();
    }
}
