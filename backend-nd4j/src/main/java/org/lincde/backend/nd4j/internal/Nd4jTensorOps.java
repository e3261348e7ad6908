package org.lincde.backend.nd4j.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.Shapes;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link TensorOps} over ND4J {@code INDArray}s with our own reverse-mode tape ({@link Nd4jTape}):
 * every op runs eagerly on ND4J's native kernels and records a hand-written backward rule beside
 * its forward. One instance per forward/backward pass, used inside one {@link Nd4jScope}.
 *
 * <h2>Why an INDArray tape and not SameDiff</h2>
 * Measured with {@code Nd4jSameDiffComparison} (test sources) on the shared 2-core build machine
 * (float32, 2 threads, load average ≈ 15, so absolute times are inflated): one diagonal Linear CDE
 * layer at R1 size (B = 256, L = 40, h = 128, 39 recurrence steps), loss {@code Σ tanh(states)},
 * gradients of the projection and of {@code y0}. SameDiff: 50–150 ms to build the graph (1.4 s the
 * first time) and 1.2–2.1 s per {@code calculateGradients} (9.6 s the first time), and it prints a
 * line per differentiated op to stdout. This tape: 0.3–1.2 s for the same forward and gradients on
 * the generic per-step loop and 0.3–0.9 s with the fused kernel, host copies included. SameDiff's
 * per-op session overhead and per-call graph construction dominate a model whose time loop is
 * ~10 small ops per step and block; a graph cache per (spec, batch shape) would remove only the
 * build. The eager tape needs no graph at all, so variable sequence lengths cost nothing: every
 * batch shape simply runs (no cache, no masking; the workspace grows to the largest call).
 *
 * <h2>Performance notes</h2>
 * <ul>
 *   <li>Matrix products call ND4J's {@code matmul} op with transpose flags (gradients never copy a
 *       transposed operand); a rank-≥3 operand times a matrix folds its batch axes into rows: one GEMM.</li>
 *   <li>Every array of a call is allocated in the call's workspace ({@link Nd4jScope}); on this machine
 *       fresh native allocations (page faults) made GEMMs 5–10× slower than workspace-reused memory.</li>
 *   <li>{@link #unstack} records one backward step for all slices (docs/PERFORMANCE.md: per-slice backward
 *       steps would each fill a full-size gradient).</li>
 *   <li>The Linear CDE recurrence of the built-in structures runs as one fused kernel
 *       ({@link Nd4jRecurrence}) unless fused kernels are switched off.</li>
 * </ul>
 */
public final class Nd4jTensorOps implements TensorOps<Nd4jTensor> {
    /** Largest Walsh–Hadamard length done as one GEMM with the explicit matrix (else butterflies). */
    static final int HADAMARD_GEMM_MAX = 512;

    private final DType dtype;
    private final DataType dt;
    private final Nd4jTape tape = new Nd4jTape();
    private final Nd4jConstants constants;
    private final Nd4jRecurrence.Factory fusion;

    /**
     * @param dtype     the precision of every tensor
     * @param constants the session's cache of constant matrices
     * @param fusion    fused recurrence kernels, or null to decline them (generic path)
     */
    public Nd4jTensorOps(DType dtype, Nd4jConstants constants, Nd4jRecurrence.Factory fusion) {
        this.dtype = dtype;
        this.dt = Nd4jArrays.dataType(dtype);
        this.constants = constants;
        this.fusion = fusion;
    }

    DataType dataType() {
        return dt;
    }

    /** Runs the backward pass from the scalar {@code root}. */
    public void backward(Nd4jTensor root) {
        tape.backward(root);
    }

    /** A differentiable leaf holding {@code t}'s values (rounded to the dtype). */
    public Nd4jTensor leaf(HostTensor t) {
        return new Nd4jTensor(Nd4jArrays.create(t.data(), t.shape(), dtype), true);
    }

    /**
     * A tensor over an existing array (not copied, never modified): a differentiable leaf when
     * {@code requiresGrad}, else a constant.
     */
    public Nd4jTensor wrap(INDArray array, boolean requiresGrad) {
        if (array.dataType() != dt) {
            throw new IllegalArgumentException("array of type " + array.dataType() + " in a " + dtype.label()
                    + " session");
        }
        return new Nd4jTensor(array, requiresGrad);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    // ------------------------------------------------------------------ creation and read-back

    @Override
    public Nd4jTensor constant(double[] values, int... shape) {
        Shapes.checkReshape(new int[] {values.length}, shape);
        return new Nd4jTensor(Nd4jArrays.create(values, shape, dtype), false);
    }

    @Override
    public Nd4jTensor full(double value, int... shape) {
        Shapes.size(shape);
        return new Nd4jTensor(Nd4j.valueArrayOf(Nd4jArrays.longShape(shape), value, dt), false);
    }

    @Override
    public int[] shape(Nd4jTensor x) {
        return x.shape.clone();
    }

    @Override
    public HostTensor value(Nd4jTensor x) {
        return Nd4jArrays.toHost(x.value, Nd4jArrays.elementType(dtype));
    }

    @Override
    public Nd4jTensor detach(Nd4jTensor x) {
        return new Nd4jTensor(x.value, false);
    }

    // ------------------------------------------------------------------ tape helpers

    private Nd4jTensor result(INDArray value, Nd4jTensor... inputs) {
        boolean g = false;
        for (Nd4jTensor in : inputs) {
            g |= in.requiresGrad;
        }
        return new Nd4jTensor(value, g);
    }

    /**
     * Adds {@code g} (shape of {@code t}) to {@code t}'s gradient. {@code fresh}: {@code g} was made for
     * this call alone and may become the accumulator; otherwise it may alias another array and is
     * copied before anything is added to it.
     */
    void accumulate(Nd4jTensor t, INDArray g, boolean fresh) {
        if (!t.requiresGrad || g == null) {
            return;
        }
        if (t.grad == null) {
            t.grad = g;
            t.gradOwned = fresh;
        } else if (t.gradOwned) {
            t.grad.addi(g);
        } else {
            t.grad = t.grad.add(g);
            t.gradOwned = true;
        }
    }

    /** Sums {@code g} over the axes along which an operand of shape {@code target} was broadcast. */
    private INDArray sumTo(INDArray g, int[] target) {
        int[] gs = Nd4jArrays.intShape(g);
        if (Arrays.equals(gs, target)) {
            return g;
        }
        int lead = gs.length - target.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < lead; i++) {
            axes.add(i);
        }
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 1 && gs[lead + i] != 1) {
                axes.add(lead + i);
            }
        }
        INDArray r = g;
        if (!axes.isEmpty()) {
            r = g.sum(true, axes.stream().mapToInt(Integer::intValue).toArray());
        }
        return r.reshape('c', Nd4jArrays.longShape(target));
    }

    private INDArray empty(int[] shape) {
        return Nd4j.createUninitialized(dt, Nd4jArrays.longShape(shape));
    }

    private INDArray zeros(int[] shape) {
        return Nd4j.create(dt, Nd4jArrays.longShape(shape));
    }

    private enum Bin { ADD, SUB, MUL, DIV }

    /** NumPy-broadcasting element-wise op into a new array of {@code outShape}. */
    private INDArray binary(Bin op, INDArray a, INDArray b, int[] outShape) {
        INDArray out = empty(outShape);
        INDArray[] in = {a, b};
        INDArray[] o = {out};
        DynamicCustomOp custom;
        switch (op) {
            case ADD: custom = new AddOp(in, o); break;
            case SUB: custom = new SubOp(in, o); break;
            case MUL: custom = new MulOp(in, o); break;
            default: custom = new DivOp(in, o); break;
        }
        Nd4j.exec(custom);
        return out;
    }

    private INDArray binary(Bin op, INDArray a, INDArray b) {
        return binary(op, a, b, Shapes.broadcast(op.name().toLowerCase(java.util.Locale.ROOT),
                Nd4jArrays.intShape(a), Nd4jArrays.intShape(b)));
    }

    // ------------------------------------------------------------------ element-wise binary

    @Override
    public Nd4jTensor add(Nd4jTensor a, Nd4jTensor b) {
        int[] os = Shapes.broadcast("add", a.shape, b.shape);
        Nd4jTensor r = result(binary(Bin.ADD, a.value, b.value, os), a, b);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(a, a.requiresGrad ? sumTo(r.grad, a.shape) : null, false);
                    accumulate(b, b.requiresGrad ? sumTo(r.grad, b.shape) : null, false);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor sub(Nd4jTensor a, Nd4jTensor b) {
        int[] os = Shapes.broadcast("sub", a.shape, b.shape);
        Nd4jTensor r = result(binary(Bin.SUB, a.value, b.value, os), a, b);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(a, a.requiresGrad ? sumTo(r.grad, a.shape) : null, false);
                    accumulate(b, b.requiresGrad ? sumTo(r.grad, b.shape).neg() : null, true);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor mul(Nd4jTensor a, Nd4jTensor b) {
        int[] os = Shapes.broadcast("mul", a.shape, b.shape);
        Nd4jTensor r = result(binary(Bin.MUL, a.value, b.value, os), a, b);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(a, a.requiresGrad ? sumTo(binary(Bin.MUL, r.grad, b.value, os), a.shape) : null, true);
                    accumulate(b, b.requiresGrad ? sumTo(binary(Bin.MUL, r.grad, a.value, os), b.shape) : null, true);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor div(Nd4jTensor a, Nd4jTensor b) {
        int[] os = Shapes.broadcast("div", a.shape, b.shape);
        Nd4jTensor r = result(binary(Bin.DIV, a.value, b.value, os), a, b);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    INDArray gOverB = binary(Bin.DIV, r.grad, b.value, os);
                    accumulate(a, a.requiresGrad ? sumTo(gOverB, a.shape) : null, true);
                    if (b.requiresGrad) {
                        // d(a/b)/db = −a/b² = −r/b
                        accumulate(b, sumTo(binary(Bin.MUL, gOverB, r.value, os), b.shape).neg(), true);
                    }
                }
            });
        }
        return r;
    }

    // ------------------------------------------------------------------ element-wise unary

    /** Backward rule of a unary op: the input's gradient from the output's gradient. */
    private interface UnaryGrad {
        INDArray apply(INDArray g);
    }

    private Nd4jTensor unary(Nd4jTensor x, INDArray out, UnaryGrad rule) {
        Nd4jTensor r = result(out, x);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(x, rule.apply(r.grad), true);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor neg(Nd4jTensor x) {
        return unary(x, x.value.neg(), INDArray::neg);
    }

    @Override
    public Nd4jTensor scale(Nd4jTensor x, double c) {
        return unary(x, x.value.mul(c), g -> g.mul(c));
    }

    @Override
    public Nd4jTensor addScalar(Nd4jTensor x, double c) {
        return unary(x, x.value.add(c), INDArray::dup);
    }

    @Override
    public Nd4jTensor exp(Nd4jTensor x) {
        INDArray y = Transforms.exp(x.value, true);
        return unary(x, y, g -> g.mul(y));
    }

    @Override
    public Nd4jTensor log(Nd4jTensor x) {
        return unary(x, Transforms.log(x.value, true), g -> g.div(x.value));
    }

    @Override
    public Nd4jTensor tanh(Nd4jTensor x) {
        INDArray y = Nd4jMath.tanh(x.value);   // not Transforms.tanh: inaccurate near 0 (see Nd4jMath)
        return unary(x, y, g -> y.mul(y).rsubi(1.0).muli(g));
    }

    @Override
    public Nd4jTensor sigmoid(Nd4jTensor x) {
        INDArray y = Transforms.sigmoid(x.value, true);
        return unary(x, y, g -> y.rsub(1.0).muli(y).muli(g));
    }

    @Override
    public Nd4jTensor relu(Nd4jTensor x) {
        return unary(x, Transforms.relu(x.value, true), g -> x.value.gt(0.0).castTo(dt).muli(g));
    }

    @Override
    public Nd4jTensor gelu(Nd4jTensor x) {
        // x·Φ(x), Φ(x) = (1 + erf(x/√2))/2; d/dx = Φ(x) + x·φ(x), φ(x) = e^{−x²/2}/√(2π)
        INDArray erf = empty(x.shape);
        Nd4j.exec(new Erf(x.value.mul(1.0 / Math.sqrt(2.0)), erf));
        INDArray phi = erf.addi(1.0).muli(0.5);
        INDArray y = x.value.mul(phi);
        return unary(x, y, g -> {
            INDArray density = Transforms.exp(x.value.mul(x.value).muli(-0.5), false).muli(1.0 / Math.sqrt(2 * Math.PI));
            return density.muli(x.value).addi(phi).muli(g);
        });
    }

    @Override
    public Nd4jTensor softplus(Nd4jTensor x) {
        INDArray y = Nd4jMath.softplus(x.value);
        return unary(x, y, g -> Transforms.sigmoid(x.value, true).muli(g));
    }

    @Override
    public Nd4jTensor sqrt(Nd4jTensor x) {
        INDArray y = Transforms.sqrt(x.value, true);
        return unary(x, y, g -> g.div(y).muli(0.5));
    }

    @Override
    public Nd4jTensor sin(Nd4jTensor x) {
        return unary(x, Transforms.sin(x.value, true), g -> Transforms.cos(x.value, true).muli(g));
    }

    @Override
    public Nd4jTensor cos(Nd4jTensor x) {
        return unary(x, Transforms.cos(x.value, true), g -> Transforms.sin(x.value, true).negi().muli(g));
    }

    @Override
    public Nd4jTensor square(Nd4jTensor x) {
        return unary(x, x.value.mul(x.value), g -> x.value.mul(g).muli(2.0));
    }

    // ------------------------------------------------------------------ shape

    @Override
    public Nd4jTensor reshape(Nd4jTensor x, int... shape) {
        int[] s = shape.clone();
        Shapes.checkReshape(x.shape, s);
        Nd4jTensor r = result(x.value.reshape('c', Nd4jArrays.longShape(s)), x);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(x, r.grad.reshape('c', Nd4jArrays.longShape(x.shape)), false);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor transpose(Nd4jTensor x, int a, int b) {
        int rank = x.rank();
        int ax = Shapes.axis("transpose", a, rank);
        int bx = Shapes.axis("transpose", b, rank);
        if (ax == bx) {
            return reshape(x, x.shape);
        }
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[ax] = bx;
        perm[bx] = ax;
        Nd4jTensor r = result(x.value.permute(perm), x);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(x, r.grad.permute(perm), false);  // a swap is its own inverse
                }
            });
        }
        return r;
    }

    private static INDArrayIndex[] along(int rank, int axis, INDArrayIndex at) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = i == axis ? at : NDArrayIndex.all();
        }
        return idx;
    }

    @Override
    public Nd4jTensor slice(Nd4jTensor x, int axis, int start, int end) {
        int ax = Shapes.slice(x.shape, axis, start, end);
        int[] os = x.shape.clone();
        os[ax] = end - start;
        if (start == end) {
            return new Nd4jTensor(empty(os), false);
        }
        INDArrayIndex[] idx = along(x.rank(), ax, NDArrayIndex.interval(start, end));
        // an interval get on a strided view can lose the shape information (see unstack): slice a dense copy
        Nd4jTensor r = result(Nd4jArrays.contiguous(x.value).get(idx), x);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    INDArray gx = zeros(x.shape);
                    gx.get(idx).assign(r.grad);
                    accumulate(x, gx, true);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor concat(List<Nd4jTensor> xs, int axis) {
        int[] os = Shapes.concat(Shapes.of(this, xs), axis);
        int ax = Shapes.axis("concat", axis, os.length);
        int[] starts = new int[xs.size() + 1];
        for (int k = 0; k < xs.size(); k++) {
            starts[k + 1] = starts[k] + xs.get(k).shape[ax];
        }
        INDArray[] parts = new INDArray[xs.size()];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = xs.get(k).value;
        }
        INDArray out = concatInto(os, ax, starts, parts);
        Nd4jTensor r = result(out, xs.toArray(new Nd4jTensor[0]));
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad == null) {
                    return;
                }
                for (int k = 0; k < xs.size(); k++) {
                    Nd4jTensor t = xs.get(k);
                    if (t.requiresGrad && starts[k + 1] > starts[k]) {
                        accumulate(t, r.grad.get(along(r.rank(), ax, NDArrayIndex.interval(starts[k], starts[k + 1]))),
                                false);
                    }
                }
            });
        }
        return r;
    }

    /**
     * Concatenation by assignment into a new row-major array: ND4J's {@code concat} took 59 ms
     * instead of 1 ms for a strided slice along the last axis ({@code (256, 39, 128)}, R1's control
     * path), the assignment handles any strides.
     */
    private INDArray concatInto(int[] outShape, int axis, int[] starts, INDArray[] parts) {
        INDArray out = empty(outShape);
        for (int k = 0; k < parts.length; k++) {
            if (starts[k + 1] > starts[k]) {
                out.get(along(outShape.length, axis, NDArrayIndex.interval(starts[k], starts[k + 1]))).assign(parts[k]);
            }
        }
        return out;
    }

    @Override
    public Nd4jTensor stack(List<Nd4jTensor> xs, int axis) {
        int[] os = Shapes.stack(Shapes.of(this, xs), axis);
        int[] s = xs.get(0).shape;
        int ax = Shapes.axis("stack", axis, os.length);
        int[] expanded = os.clone();
        expanded[ax] = 1;
        INDArray[] arrays = new INDArray[xs.size()];
        int[] starts = new int[xs.size() + 1];
        for (int k = 0; k < arrays.length; k++) {
            arrays[k] = xs.get(k).value.reshape('c', Nd4jArrays.longShape(expanded));
            starts[k + 1] = k + 1;
        }
        INDArray out = concatInto(os, ax, starts, arrays);
        Nd4jTensor r = result(out, xs.toArray(new Nd4jTensor[0]));
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad == null) {
                    return;
                }
                for (int k = 0; k < xs.size(); k++) {
                    Nd4jTensor t = xs.get(k);
                    if (t.requiresGrad) {
                        INDArray piece = r.grad.get(along(r.rank(), ax, NDArrayIndex.interval(k, k + 1)));
                        accumulate(t, piece.reshape('c', Nd4jArrays.longShape(s)), false);
                    }
                }
            });
        }
        return r;
    }

    @Override
    public List<Nd4jTensor> unstack(Nd4jTensor x, int axis) {
        int ax = Shapes.axis("unstack", axis, x.rank());
        int n = x.shape[ax];
        int[] rest = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (i != ax) {
                rest[j++] = x.shape[i];
            }
        }
        List<Nd4jTensor> out = new ArrayList<>(n);
        // an interval get on a strided view (a slice along another axis) can return an array whose shape
        // information is lost ("Original shape: []" on the reshape below): split a dense copy instead
        INDArray src = Nd4jArrays.contiguous(x.value);
        for (int i = 0; i < n; i++) {
            INDArray piece = src.get(along(x.rank(), ax, NDArrayIndex.interval(i, i + 1)));
            out.add(new Nd4jTensor(piece.reshape('c', Nd4jArrays.longShape(rest)), x.requiresGrad));
        }
        if (x.requiresGrad) {
            // one backward step for all slices: a single full-size gradient (docs/PERFORMANCE.md)
            tape.record(() -> {
                INDArray gx = null;
                for (int i = 0; i < n; i++) {
                    Nd4jTensor p = out.get(i);
                    if (p.grad != null) {
                        if (gx == null) {
                            gx = zeros(x.shape);
                        }
                        gx.get(along(x.rank(), ax, NDArrayIndex.interval(i, i + 1)))
                                .assign(p.grad.reshape('c', Nd4jArrays.longShape(withOne(x.shape, ax))));
                    }
                }
                accumulate(x, gx, true);
            });
        }
        return out;
    }

    private static int[] withOne(int[] shape, int axis) {
        int[] s = shape.clone();
        s[axis] = 1;
        return s;
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public Nd4jTensor matmul(Nd4jTensor a, Nd4jTensor b) {
        int[] os = Shapes.matmul(a.shape, b.shape);
        int k = a.shape[a.rank() - 1];
        if (b.rank() == 2 && a.rank() > 2) {
            // fold a's batch axes into rows: one large GEMM (linear layers, coefficient projections)
            int rows = Math.toIntExact(Shapes.size(a.shape) / Math.max(k, 1));
            return reshape(matmul(reshape(a, rows, k), b), os);
        }
        int batchRank = os.length - 2;
        int[] aFull = withBatch(os, batchRank, a.shape);
        int[] bFull = withBatch(os, batchRank, b.shape);
        INDArray av = broadcastTo(a.value, a.shape, aFull);
        INDArray bv = broadcastTo(b.value, b.shape, bFull);
        Nd4jTensor r = result(mm(av, bv, false, false), a, b);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad == null) {
                    return;
                }
                if (a.requiresGrad) {
                    accumulate(a, sumTo(mm(r.grad, bv, false, true), a.shape), true);  // dA = dC · Bᵀ
                }
                if (b.requiresGrad) {
                    accumulate(b, sumTo(mm(av, r.grad, true, false), b.shape), true);  // dB = Aᵀ · dC
                }
            });
        }
        return r;
    }

    private static int[] withBatch(int[] os, int batchRank, int[] s) {
        int[] full = Arrays.copyOf(os, os.length);
        full[batchRank] = s[s.length - 2];
        full[batchRank + 1] = s[s.length - 1];
        return full;
    }

    /** {@code v} (shape {@code s}) materialised with shape {@code full} (leading and size-1 axes repeated). */
    private static INDArray broadcastTo(INDArray v, int[] s, int[] full) {
        if (Arrays.equals(s, full)) {
            return v;
        }
        int[] padded = new int[full.length];
        Arrays.fill(padded, 1);
        System.arraycopy(s, 0, padded, full.length - s.length, s.length);
        return v.reshape('c', Nd4jArrays.longShape(padded)).broadcast(Nd4jArrays.longShape(full));
    }

    /**
     * {@code op(x) · op(y)} with ND4J's matmul (transposes are flags, not copies). A column-major
     * matrix operand (a lazy {@link #transpose}) is passed as its row-major transpose with the flag
     * flipped: ND4J returns a column-major product for column-major operands, and a row-major
     * reshape of that is a strided view that every later consumer would have to copy (654 MB per
     * block for DE at R1 size).
     */
    private static INDArray mm(INDArray x, INDArray y, boolean tx, boolean ty) {
        if (x.rank() > 2) {
            // the batched kernel walks TADs; give it dense operands
            x = Nd4jArrays.contiguous(x);
            y = Nd4jArrays.contiguous(y);
        } else {
            if (columnMajor(x)) {
                x = x.transpose();
                tx = !tx;
            }
            if (columnMajor(y)) {
                y = y.transpose();
                ty = !ty;
            }
        }
        INDArray out = Nd4j.matmul(x, y, tx, ty, false);
        return out.ordering() == 'c' ? out : out.dup('c');
    }

    /** A dense column-major matrix: its transpose is a dense row-major one over the same buffer. */
    private static boolean columnMajor(INDArray a) {
        return a.rank() == 2 && a.ordering() == 'f' && a.offset() == 0 && a.stride(0) == 1 && a.stride(1) == a.size(0)
                && a.data().length() == a.length();
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public Nd4jTensor sum(Nd4jTensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis("sum", axis, x.rank());
        int[] keepShape = withOne(x.shape, ax);
        INDArray out = x.value.sum(true, ax);
        if (!keepDim) {
            int[] os = new int[x.rank() - 1];
            for (int i = 0, j = 0; i < x.rank(); i++) {
                if (i != ax) {
                    os[j++] = x.shape[i];
                }
            }
            out = out.reshape('c', Nd4jArrays.longShape(os));
        }
        Nd4jTensor r = result(out, x);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    INDArray gk = r.grad.reshape('c', Nd4jArrays.longShape(keepShape));
                    accumulate(x, gk.broadcast(Nd4jArrays.longShape(x.shape)), true);
                }
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor sumAll(Nd4jTensor x) {
        INDArray out = x.value.length() == 0 ? Nd4j.scalar(dt, 0.0) : x.value.sum().reshape('c', new long[0]);
        Nd4jTensor r = result(out, x);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad != null) {
                    accumulate(x, Nd4j.valueArrayOf(Nd4jArrays.longShape(x.shape), r.grad.getDouble(0), dt), true);
                }
            });
        }
        return r;
    }

    // ------------------------------------------------------------------ neural-network ops

    @Override
    public Nd4jTensor embedding(Nd4jTensor table, int[] ids, int... idsShape) {
        int[] os = Shapes.embedding(table.shape, ids, idsShape);
        int v = table.shape[0];
        int h = table.shape[1];
        INDArray rows = ids.length == 0 ? empty(new int[] {0, h})
                : Nd4j.pullRows(Nd4jArrays.contiguous(table.value), 1, ids);
        Nd4jTensor r = result(rows.reshape('c', Nd4jArrays.longShape(os)), table);
        if (r.requiresGrad) {
            tape.record(() -> {
                if (r.grad == null) {
                    return;
                }
                // scatter-add over repeated ids, in Java: exact and order-fixed (the table is small)
                double[] g = Nd4jArrays.toDoubles(r.grad);
                double[] gt = new double[v * h];
                for (int i = 0; i < ids.length; i++) {
                    int base = ids[i] * h;
                    int src = i * h;
                    for (int j = 0; j < h; j++) {
                        gt[base + j] += g[src + j];
                    }
                }
                accumulate(table, Nd4jArrays.create(gt, table.shape, dtype), true);
            });
        }
        return r;
    }

    @Override
    public Nd4jTensor layerNorm(Nd4jTensor x, Nd4jTensor gamma, Nd4jTensor beta, double eps) {
        Shapes.layerNorm(x.shape, gamma.shape, beta.shape);
        int h = x.shape[x.rank() - 1];
        int rows = Math.toIntExact(Shapes.size(x.shape) / h);
        int[] r2 = {rows, h};
        int[] col = {rows, 1};
        INDArray x2 = x.value.reshape('c', rows, h);
        INDArray gRow = gamma.value.reshape('c', 1, h);
        INDArray bRow = beta.value.reshape('c', 1, h);
        INDArray mean = x2.mean(true, 1);
        INDArray xc = binary(Bin.SUB, x2, mean, r2);
        INDArray var = xc.mul(xc).mean(true, 1);
        INDArray inv = Transforms.sqrt(var.addi(eps), false).rdivi(1.0);     // 1/sqrt(σ² + eps), biased σ²
        INDArray xhat = binary(Bin.MUL, xc, inv, r2);
        INDArray out = binary(Bin.ADD, binary(Bin.MUL, xhat, gRow, r2), bRow, r2);
        Nd4jTensor res = result(out.reshape('c', Nd4jArrays.longShape(x.shape)), x, gamma, beta);
        if (res.requiresGrad) {
            tape.record(() -> {
                if (res.grad == null) {
                    return;
                }
                INDArray g = res.grad.reshape('c', rows, h);
                if (gamma.requiresGrad) {
                    accumulate(gamma, g.mul(xhat).sum(0).reshape('c', Nd4jArrays.longShape(gamma.shape)), true);
                }
                if (beta.requiresGrad) {
                    accumulate(beta, g.sum(0).reshape('c', Nd4jArrays.longShape(beta.shape)), true);
                }
                if (x.requiresGrad) {
                    // dx = (1/σ)(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ
                    INDArray dxh = binary(Bin.MUL, g, gRow, r2);
                    INDArray meanD = dxh.sum(true, 1).muli(1.0 / h);
                    INDArray meanDX = dxh.mul(xhat).sum(true, 1).muli(1.0 / h);
                    INDArray t = binary(Bin.SUB, dxh, meanD, r2);
                    t.subi(binary(Bin.MUL, xhat, meanDX, r2));
                    INDArray gx = binary(Bin.MUL, t, inv, r2);
                    accumulate(x, gx.reshape('c', Nd4jArrays.longShape(x.shape)), true);
                }
            });
        }
        return res;
    }

    @Override
    public Nd4jTensor logSoftmax(Nd4jTensor x) {
        int k = x.shape[x.rank() - 1];
        int rows = Math.toIntExact(Shapes.size(x.shape) / Math.max(k, 1));
        int[] r2 = {rows, k};
        INDArray x2 = x.value.reshape('c', rows, k);
        INDArray z = binary(Bin.SUB, x2, x2.max(true, 1), r2);
        INDArray lse = Transforms.log(Transforms.exp(z, true).sum(true, 1), false);
        INDArray out = binary(Bin.SUB, z, lse, r2);
        Nd4jTensor res = result(out.reshape('c', Nd4jArrays.longShape(x.shape)), x);
        if (res.requiresGrad) {
            tape.record(() -> {
                if (res.grad != null) {
                    // dx = dy − softmax · Σ dy
                    INDArray g = res.grad.reshape('c', rows, k);
                    INDArray p = Transforms.exp(out, true);
                    INDArray gx = g.sub(binary(Bin.MUL, p, g.sum(true, 1), r2));
                    accumulate(x, gx.reshape('c', Nd4jArrays.longShape(x.shape)), true);
                }
            });
        }
        return res;
    }

    @Override
    public Nd4jTensor softmax(Nd4jTensor x) {
        int k = x.shape[x.rank() - 1];
        int rows = Math.toIntExact(Shapes.size(x.shape) / Math.max(k, 1));
        int[] r2 = {rows, k};
        INDArray x2 = x.value.reshape('c', rows, k);
        INDArray e = Transforms.exp(binary(Bin.SUB, x2, x2.max(true, 1), r2), false);
        INDArray y = binary(Bin.DIV, e, e.sum(true, 1), r2);
        Nd4jTensor res = result(y.reshape('c', Nd4jArrays.longShape(x.shape)), x);
        if (res.requiresGrad) {
            tape.record(() -> {
                if (res.grad != null) {
                    // dx = y ⊙ (dy − Σ dy⊙y)
                    INDArray g = res.grad.reshape('c', rows, k);
                    INDArray s = g.mul(y).sum(true, 1);
                    INDArray gx = binary(Bin.SUB, g, s, r2).muli(y);
                    accumulate(x, gx.reshape('c', Nd4jArrays.longShape(x.shape)), true);
                }
            });
        }
        return res;
    }

    @Override
    public Nd4jTensor pickLast(Nd4jTensor x, int[] index) {
        int rows = Shapes.pickLast(x.shape, index);
        int k = x.shape[x.rank() - 1];
        int[] flat = new int[rows];
        for (int r = 0; r < rows; r++) {
            flat[r] = r * k + index[r];
        }
        int[] os = Arrays.copyOf(x.shape, x.rank() - 1);
        INDArray column = Nd4jArrays.contiguous(x.value).reshape('c', (long) rows * k, 1);
        INDArray picked = Nd4j.pullRows(column, 1, flat);                                  // a gather, (rows, 1)
        Nd4jTensor res = result(picked.reshape('c', Nd4jArrays.longShape(os)), x);
        if (res.requiresGrad) {
            tape.record(() -> {
                if (res.grad == null) {
                    return;
                }
                double[] g = Nd4jArrays.toDoubles(res.grad);
                double[] gx = new double[rows * k];
                for (int r = 0; r < rows; r++) {
                    gx[flat[r]] = g[r];
                }
                accumulate(x, Nd4jArrays.create(gx, x.shape, dtype), true);
            });
        }
        return res;
    }

    @Override
    public Nd4jTensor walshHadamard(Nd4jTensor x) {
        int n = Shapes.walshHadamard(x.shape);
        INDArray out = hadamard(x.value, n);
        Nd4jTensor res = result(out, x);
        if (res.requiresGrad) {
            tape.record(() -> {
                if (res.grad != null) {
                    accumulate(x, hadamard(res.grad, n), true);   // H is symmetric: dx = H dy
                }
            });
        }
        return res;
    }

    /** {@code H_n} applied to the last axis of {@code v} (a new array of {@code v}'s shape). */
    private INDArray hadamard(INDArray v, int n) {
        long[] shape = v.shape();
        long rows = v.length() / n;
        INDArray v2 = v.reshape('c', rows, n);
        INDArray out;
        if (n <= HADAMARD_GEMM_MAX) {
            out = Nd4j.matmul(v2, constants.hadamard(n, dtype));        // H symmetric: rows·H = (H·rowsᵀ)ᵀ
        } else {
            // butterflies of WalshHadamardTransform.transform, one stage per bit: same sums, same order
            out = Nd4jArrays.contiguous(v2);
            for (int len = 1; len < n; len <<= 1) {
                INDArray s = out.reshape('c', rows, n / (2L * len), 2, len);
                INDArray a = s.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all());
                INDArray b = s.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all());
                out = Nd4j.stack(2, a.add(b), a.sub(b)).reshape('c', rows, n);
            }
        }
        return out.reshape('c', shape);
    }

    // ------------------------------------------------------------------ fast-path hooks

    @Override
    public Optional<RecurrenceKernel<Nd4jTensor>> fusedRecurrence(StructuredVectorField field) {
        return fusion == null ? Optional.empty() : fusion.kernel(this, field);
    }

    @Override
    public Optional<SelectiveScanKernel<Nd4jTensor>> fusedSelectiveScan() {
        return fusion == null ? Optional.empty() : Optional.of(fusion.selectiveScan(this));
    }

    @Override
    public Optional<org.lincde.spi.Mamba2MixerKernel<Nd4jTensor>> fusedMamba2Mixer() {
        return fusion == null ? Optional.empty() : Optional.of(fusion.mamba2Mixer(this));
    }

    /** Records a fused op's backward step (for {@link Nd4jRecurrence}). */
    void record(Runnable backward) {
        tape.record(backward);
    }

    Nd4jTensor fromKernel(INDArray value, Nd4jTensor... inputs) {
        return result(value, inputs);
    }
}
