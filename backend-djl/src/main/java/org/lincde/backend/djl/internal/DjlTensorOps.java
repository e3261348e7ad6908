package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.DType;
import org.lincde.spi.DenseRecurrenceKernel;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LstmKernel;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.RnnCellKernel;
import org.lincde.spi.Shapes;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * {@link TensorOps} over DJL {@link NDArray}s with libtorch autograd. One instance per call: every
 * array it makes belongs to its (call-scoped) manager, which the caller closes before returning
 * (docs/STYLE.md D3). Shapes are checked with {@link Shapes} before any native call, so errors read as
 * on every other backend.
 *
 * <p>Fused recurrences ({@link #fusedRecurrence}) run forward and backward in Java over primitive
 * arrays; their backward is applied by {@link #backward} in a second phase after the engine's
 * backward pass (libtorch has no custom autograd functions reachable from DJL).
 */
public final class DjlTensorOps implements TensorOps<NDArray> {
    private final NDManager manager;
    private final DType dtype;
    private final DataType dataType;
    private final boolean fused;
    private final KernelPool pool;
    private final List<Deferred> pending = new ArrayList<>();

    /**
     * @param manager the call-scoped manager that owns every array made here
     * @param dtype   precision of every tensor
     * @param fused   whether fused recurrences may be offered
     * @param pool    threads for the Java-side kernels
     */
    public DjlTensorOps(NDManager manager, DType dtype, boolean fused, KernelPool pool) {
        this.manager = manager;
        this.dtype = dtype;
        this.dataType = dtype == DType.FLOAT32 ? DataType.FLOAT32 : DataType.FLOAT64;
        this.fused = fused;
        this.pool = pool;
    }

    /** The manager owning this instance's arrays. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /** DJL's data type for {@link #dtype()}. */
    public DataType dataType() {
        return dataType;
    }

    // ------------------------------------------------------------------ creation and read-back

    @Override
    public NDArray constant(double[] values, int... shape) {
        Shapes.checkReshape(new int[] {values.length}, shape);
        return create(values, shape);
    }

    /** An array holding {@code values} in this dtype (no gradient). */
    public NDArray create(double[] values, int... shape) {
        return createPrefix(values, values.length, shape);
    }

    /** An array holding {@code values[0..n)} in this dtype (no gradient); {@code n} must fit {@code shape}. */
    public NDArray createPrefix(double[] values, int n, int... shape) {
        Shape s = shape(shape);
        if (dataType == DataType.FLOAT64) {
            return manager.create(java.nio.DoubleBuffer.wrap(values, 0, n), s, DataType.FLOAT64);
        }
        float[] f = pool.workspace().floatScratch(n);
        for (int i = 0; i < n; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(java.nio.FloatBuffer.wrap(f, 0, n), s, DataType.FLOAT32);
    }

    /** A differentiable leaf holding {@code t}'s values. */
    public NDArray leaf(HostTensor t) {
        NDArray a = create(t.data(), t.shape());
        a.setRequiresGradient(true);
        return a;
    }

    static Shape shape(int... dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l[i] = dims[i];
        }
        return new Shape(l);
    }

    @Override
    public int[] shape(NDArray x) {
        long[] l = x.getShape().getShape();
        int[] s = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            s[i] = Math.toIntExact(l[i]);
        }
        return s;
    }

    @Override
    public HostTensor value(NDArray x) {
        return HostTensor.of(dtype == DType.FLOAT32 ? ElementType.FLOAT32 : ElementType.FLOAT64, doubles(x), shape(x));
    }

    /** The values of {@code x} widened to doubles. */
    public static double[] doubles(NDArray x) {
        if (x.getDataType() == DataType.FLOAT64) {
            return x.toDoubleArray();
        }
        float[] f = x.toType(DataType.FLOAT32, false).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Override
    public NDArray detach(NDArray x) {
        return x.stopGradient();
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    public NDArray add(NDArray a, NDArray b) {
        Shapes.broadcast("add", shape(a), shape(b));
        return a.add(b);
    }

    @Override
    public NDArray sub(NDArray a, NDArray b) {
        Shapes.broadcast("sub", shape(a), shape(b));
        return a.sub(b);
    }

    @Override
    public NDArray mul(NDArray a, NDArray b) {
        Shapes.broadcast("mul", shape(a), shape(b));
        return a.mul(b);
    }

    @Override
    public NDArray div(NDArray a, NDArray b) {
        Shapes.broadcast("div", shape(a), shape(b));
        return a.div(b);
    }

    @Override
    public NDArray neg(NDArray x) {
        return x.neg();
    }

    @Override
    public NDArray scale(NDArray x, double c) {
        return x.mul(scalarLike(c));
    }

    @Override
    public NDArray addScalar(NDArray x, double c) {
        return x.add(scalarLike(c));
    }

    /** A 0-d constant in this dtype (so float64 constants are not rounded through float). */
    private NDArray scalarLike(double c) {
        return dataType == DataType.FLOAT64 ? manager.create(c) : manager.create((float) c);
    }

    @Override
    public NDArray exp(NDArray x) {
        return x.exp();
    }

    @Override
    public NDArray log(NDArray x) {
        return x.log();
    }

    @Override
    public NDArray tanh(NDArray x) {
        return x.tanh();
    }

    @Override
    public NDArray sigmoid(NDArray x) {
        return Activation.sigmoid(x);
    }

    @Override
    public NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    @Override
    public NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** {@code max(x,0) + log(1 + e^{−|x|})}: stable for large |x|, exact gradient σ(x) away from 0. */
    @Override
    public NDArray softplus(NDArray x) {
        return Activation.relu(x).add(x.abs().neg().exp().add(scalarLike(1.0)).log());
    }

    @Override
    public NDArray sqrt(NDArray x) {
        return x.sqrt();
    }

    @Override
    public NDArray sin(NDArray x) {
        return x.sin();
    }

    @Override
    public NDArray cos(NDArray x) {
        return x.cos();
    }

    // ------------------------------------------------------------------ shape

    @Override
    public NDArray reshape(NDArray x, int... shape) {
        Shapes.checkReshape(shape(x), shape);
        return x.reshape(shape(shape));
    }

    @Override
    public NDArray transpose(NDArray x, int a, int b) {
        int rank = shape(x).length;
        return x.swapAxes(Shapes.axis("transpose", a, rank), Shapes.axis("transpose", b, rank));
    }

    @Override
    public NDArray slice(NDArray x, int axis, int start, int end) {
        int ax = Shapes.slice(shape(x), axis, start, end);
        NDIndex idx = new NDIndex();
        for (int i = 0; i < ax; i++) {
            idx.addAllDim();
        }
        idx.addSliceDim(start, end);
        return x.get(idx);
    }

    @Override
    public NDArray concat(List<NDArray> xs, int axis) {
        int ax = Shapes.axis("concat", axis, Shapes.concat(Shapes.of(this, xs), axis).length);
        return xs.size() == 1 ? xs.get(0) : NDArrays.concat(new NDList(xs), ax);
    }

    @Override
    public NDArray stack(List<NDArray> xs, int axis) {
        int ax = Shapes.axis("stack", axis, Shapes.stack(Shapes.of(this, xs), axis).length);
        return NDArrays.stack(new NDList(xs), ax);
    }

    @Override
    public List<NDArray> unstack(NDArray x, int axis) {
        int[] s = shape(x);
        int ax = Shapes.axis("unstack", axis, s.length);
        List<NDArray> out = new ArrayList<>(s[ax]);
        if (s[ax] == 0) {
            return out;
        }
        int[] rest = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != ax) {
                rest[j++] = s[i];
            }
        }
        Shape rs = shape(rest);
        for (NDArray part : x.split(s[ax], ax)) {
            out.add(part.reshape(rs));
        }
        return out;
    }

    // ------------------------------------------------------------------ linear algebra, reductions

    @Override
    public NDArray matmul(NDArray a, NDArray b) {
        Shapes.matmul(shape(a), shape(b));
        return a.matMul(b);
    }

    @Override
    public NDArray sum(NDArray x, int axis, boolean keepDim) {
        int ax = Shapes.axis("sum", axis, shape(x).length);
        return x.sum(new int[] {ax}, keepDim);
    }

    @Override
    public NDArray sumAll(NDArray x) {
        return x.sum();
    }

    // ------------------------------------------------------------------ neural-network ops

    @Override
    public NDArray embedding(NDArray table, int[] ids, int... idsShape) {
        int[] out = Shapes.embedding(shape(table), ids, idsShape);
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        NDArray rows = Embedding.embedding(manager.create(l), table, SparseFormat.DENSE).singletonOrThrow();
        return rows.reshape(shape(out));
    }

    @Override
    public NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        int[] s = shape(x);
        Shapes.layerNorm(s, shape(gamma), shape(beta));
        return Autograd.layerNorm(x, new Shape(s[s.length - 1]), gamma, beta, eps);
    }

    @Override
    public NDArray logSoftmax(NDArray x) {
        return x.logSoftmax(-1);
    }

    @Override
    public NDArray softmax(NDArray x) {
        return x.softmax(-1);
    }

    @Override
    public NDArray pickLast(NDArray x, int[] index) {
        int[] s = shape(x);
        int lead = Shapes.pickLast(s, index);
        int k = s[s.length - 1];
        long[] l = new long[index.length];
        for (int i = 0; i < index.length; i++) {
            l[i] = index[i];
        }
        NDArray picked = x.reshape(lead, k).gather(manager.create(l, new Shape(lead, 1)), 1);
        return picked.reshape(shape(Arrays.copyOf(s, s.length - 1)));
    }

    /**
     * The fast transform as {@code log2 n} butterfly stages: view {@code x} as {@code (M, 2, n/2)},
     * form {@code (a+b, a−b)} and move that bit to the least significant position; after {@code log2 n}
     * stages every bit got one {@code H_2} and the order is back (Kronecker structure of {@code H_n}).
     */
    @Override
    public NDArray walshHadamard(NDArray x) {
        int[] s = shape(x);
        int n = Shapes.walshHadamard(s);
        long m = Shapes.size(s) / n;
        NDArray y = x.reshape(m, n);
        for (int len = n; len > 1; len >>= 1) {
            NDArray v = y.reshape(m, 2, n / 2);
            NDList halves = v.split(2, 1);
            NDArray a = halves.get(0);
            NDArray b = halves.get(1);
            y = NDArrays.stack(new NDList(a.add(b), a.sub(b)), 3).reshape(m, n);
        }
        return y.reshape(shape(s));
    }

    /**
     * With fused paths on, the mask is written straight into reused native memory on the kernel threads
     * (the default's {@code double[]} → {@code float[]} → native copies and the Java zeroing of a fresh array
     * cost more than the draws at the Transformer's {@code (B, heads, L, L)} attention weights, docs/models/transformer.md);
     * the values are the default's.
     */
    @Override
    public NDArray dropoutMask(int[] draws, long threshold, double keep, int... shape) {
        if (!fused || draws.length != Shapes.size(shape)) {
            return TensorOps.super.dropoutMask(draws, threshold, keep, shape);
        }
        int n = draws.length;
        NativeView m = NativeView.allocate(pool.arena(), manager, dataType, n);
        pool.forRows(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                m.set(i, (draws[i] & 0xFFFFFFFFL) < threshold ? 0.0 : keep);
            }
        });
        return m.toArray(manager, dataType, shape);
    }

    // ------------------------------------------------------------------ fused recurrences

    @Override
    public Optional<RecurrenceKernel<NDArray>> fusedRecurrence(StructuredVectorField field) {
        if (!fused) {
            return Optional.empty();
        }
        return DjlKernels.forField(field).map(k -> new FusedRecurrence(this, k, field.hidden(), pool, pending));
    }

    /**
     * Dense and sparse fields: the reordered-sum recurrence, on the CPU as one fused kernel (libtorch's GEMMs
     * inside Java row loops with a hand-written backward, {@link DenseFusedRecurrence}), on a GPU (or with
     * {@code -Dlincde.djl.denseRecurrence=graph}) as a graph of libtorch ops ({@link DenseRecurrence}).
     */
    @Override
    public Optional<DenseRecurrenceKernel<NDArray>> fusedDenseRecurrence(StructuredVectorField field) {
        if (!fused) {
            return Optional.empty();
        }
        return Optional.of(!manager.getDevice().isGpu() && DenseFusedRecurrence.selected()
                ? new DenseFusedRecurrence(this, pool, pending) : new DenseRecurrence(this));
    }

    /** {@code nn.LSTM} layers in libtorch's own LSTM op ({@link FusedLstm}): on a GPU unless told otherwise. */
    @Override
    public Optional<LstmKernel<NDArray>> fusedLstm() {
        return fused && FusedLstm.offered(manager.getDevice()) ? Optional.of(new FusedLstm(this)) : Optional.empty();
    }

    /** RWKV-6's state recurrence in Java over native memory ({@link FusedWkv6}). */
    @Override
    public Optional<org.lincde.spi.Wkv6Kernel<NDArray>> fusedWkv6() {
        return fused ? Optional.of(new FusedWkv6(this, pool, pending)) : Optional.empty();
    }

    /**
     * The depth-wise causal convolution as libtorch's own {@code conv1d} ({@code groups = E}, padding {@code K−1}, the
     * first {@code L} outputs): one op and its engine backward instead of {@code K} shifted slices, each of whose
     * backward passes writes a zero-filled copy of the padded input (docs/models/xlstm.md §"Causal convolution as one
     * op"). Float32 only: libtorch runs a float32 conv through oneDNN, but a float64 one first asks whether NNPACK
     * is available, which on CPUs without NNPACK support prints a warning to stderr on every call; float64 keeps
     * the generic graph. {@code -Dlincde.djl.fusedCausalConv=never} declines it (the generic graph, for A/B timing).
     */
    @Override
    public Optional<org.lincde.spi.CausalConvKernel<NDArray>> fusedCausalConv() {
        return fused && dtype == DType.FLOAT32 && !"never".equals(System.getProperty("lincde.djl.fusedCausalConv"))
                ? Optional.of(DjlTensorOps::engineCausalConv) : Optional.empty();
    }

    /**
     * The causal convolution of {@link #fusedCausalConv} for any dtype ({@code x (B, L, E)}, {@code weight (E, 1, K)},
     * {@code bias (E)} or null for none, as fla's {@code ShortConvolution}); public for the float64 test against the
     * generic graph.
     */
    public static NDArray engineCausalConv(NDArray x, NDArray weight, NDArray bias) {
        long[] s = x.getShape().getShape();
        long[] w = weight.getShape().getShape();
        if (s.length != 3 || w.length != 3 || w[0] != s[2] || w[1] != 1
                || (bias != null && (bias.getShape().dimension() != 1 || bias.getShape().get(0) != s[2]))) {
            throw new IllegalArgumentException("causal conv: x (B, L, E), weight (E, 1, K), bias (E) expected, got "
                    + x.getShape() + ", " + weight.getShape() + ", " + (bias == null ? "no bias" : bias.getShape()));
        }
        if (bias == null) {
            bias = x.getManager().zeros(new Shape(s[2]), x.getDataType(), x.getDevice());
        }
        int k = (int) w[2];
        // K − 1 zeros on the left, then no padding: exactly L outputs. Padding both sides and cutting L + K − 1
        // outputs to L made the slice's backward fill a zero tensor of the whole output for every call (Gated
        // DeltaNet, 2026-12-05: the largest single fill of its step); a concat's backward is a view of the gradient.
        // The concat is the one copy into (B, E, ·) that the convolution made of the transposed input anyway.
        NDArray xt = x.swapAxes(1, 2);                                               // (B, E, L)
        NDArray in = k > 1 ? NDArrays.concat(new NDList(
                x.getManager().zeros(new Shape(s[0], s[2], k - 1), x.getDataType(), x.getDevice()), xt), 2) : xt;
        NDArray out = ai.djl.nn.convolutional.Conv1d.conv1d(in, weight, bias, new Shape(1), new Shape(0),
                new Shape(1), (int) s[2]).singletonOrThrow();                         // (B, E, L)
        return out.swapAxes(1, 2);
    }

    /** The DeltaNet family's delta rule in Java over native memory ({@link FusedDeltaRule}): only when asked for. */
    @Override
    public Optional<org.lincde.spi.DeltaRuleKernel<NDArray>> fusedDeltaRule() {
        return fused && FusedDeltaRule.offered() ? Optional.of(new FusedDeltaRule(this, pool, pending))
                : Optional.empty();
    }

    /**
     * The Mamba2 layer between its projections in Java over native memory ({@link FusedMamba2Mixer}): on the CPU
     * (on a GPU the generic graph stays on the device; the host kernel would add two transfers of the projection).
     */
    @Override
    public Optional<org.lincde.spi.Mamba2MixerKernel<NDArray>> fusedMamba2Mixer() {
        return fused && FUSED_MAMBA2 && !manager.getDevice().isGpu()
                ? Optional.of(new FusedMamba2Mixer(this, pool, pending)) : Optional.empty();
    }

    /** {@code -Dlincde.djl.fusedMamba2=never} keeps the generic Mamba2 graph with the other fused kernels on (to compare). */
    private static final boolean FUSED_MAMBA2 = !"never".equals(System.getProperty("lincde.djl.fusedMamba2"));

    /** The sLSTM cell's recurrence in Java over native memory ({@link FusedSlstm}): only when asked for. */
    @Override
    public Optional<org.lincde.spi.SlstmKernel<NDArray>> fusedSlstm() {
        return fused && FusedSlstm.offered() ? Optional.of(new FusedSlstm(this, pool, pending)) : Optional.empty();
    }

    /**
     * {@code nn.LSTM} and tanh {@code nn.RNN} recurrences given their input terms ({@link FusedRnn}): one GEMM and
     * one Java row loop per step, on the CPU unless told otherwise. Where {@link #fusedLstm} is offered (a GPU,
     * or {@code -Dlincde.djl.fusedLstm=always}) the LSTM layer takes that op instead.
     */
    @Override
    public Optional<RnnCellKernel<NDArray>> fusedRnnCells() {
        return fused && FusedRnn.offered(manager.getDevice())
                ? Optional.of(new FusedRnn(this, pool, pending)) : Optional.empty();
    }

    /** The Transformer layers' affine maps as libtorch's {@code linear} ({@link FusedAttention}). */
    @Override
    public Optional<org.lincde.spi.AttentionKernel<NDArray>> fusedAttention() {
        return fused && FusedAttention.offered() ? Optional.of(new FusedAttention(this)) : Optional.empty();
    }

    /** Made on first use; keeps its decay stores from step to step. */
    private FusedSelectiveScan selectiveScan;

    /** S6 and Mamba v1's selective scan in Java over native memory ({@link FusedSelectiveScan}). */
    @Override
    public Optional<SelectiveScanKernel<NDArray>> fusedSelectiveScan() {
        if (!fused) {
            return Optional.empty();
        }
        if (selectiveScan == null) {
            selectiveScan = new FusedSelectiveScan(this, pool, pending);
        }
        return Optional.of(selectiveScan);
    }

    /**
     * Cuts the graph at {@code x}: returns a leaf with {@code x}'s values whose gradient is pushed into
     * {@code x}'s own graph by a later phase of {@link #backward}. Placed at block boundaries, cuts
     * make each phase traverse its own segment of the graph once (without them the segment after a
     * block would be traversed again by the next block's fused-recurrence phase).
     */
    public NDArray cut(NDArray x) {
        if (!Autograd.isRecording()) {
            return x;
        }
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        pending.add(keepGraph -> {
            NDArray g = Autograd.gradientOrNull(leaf);
            if (g != null) {
                Autograd.backward(x, g, keepGraph);
            }
        });
        return leaf;
    }

    /**
     * Runs the backward pass of {@code target} (a scalar) through libtorch, then the fused
     * recurrences' Java backward, newest first, each pushing its input gradients back into the
     * engine's graph (which is kept for that).
     */
    public void backward(NDArray target) {
        NDArray ones = target.onesLike();
        Autograd.backward(target, ones, !pending.isEmpty());
        for (int i = pending.size() - 1; i >= 0; i--) {
            pending.get(i).backward(i > 0);
        }
        pending.clear();
    }
}
