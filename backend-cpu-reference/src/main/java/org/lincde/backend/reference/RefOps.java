package org.lincde.backend.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Shapes;
import org.lincde.spi.TensorOps;
import org.lincde.spi.structure.WalshHadamardTransform;

/**
 * {@link TensorOps} over the reference tape: float64, plain loops, {@link StrictMath} for
 * transcendental functions (bit-stable across machines, Tribuo's lesson), each backward rule written
 * out beside its forward. One instance per forward/backward pass.
 */
final class RefOps implements TensorOps<RefTensor> {
    private final Tape tape = new Tape();
    private final Gemm gemm;

    RefOps(Gemm gemm) {
        this.gemm = gemm;
    }

    Tape tape() {
        return tape;
    }

    /** A differentiable leaf holding a copy of {@code t}'s values. */
    RefTensor leaf(HostTensor t) {
        return new RefTensor(t.shape(), t.data().clone(), true);
    }

    @Override
    public DType dtype() {
        return DType.FLOAT64;
    }

    // ------------------------------------------------------------------ creation

    @Override
    public RefTensor constant(double[] values, int... shape) {
        Shapes.checkReshape(new int[] {values.length}, shape);
        return new RefTensor(shape.clone(), values.clone(), false);
    }

    @Override
    public int[] shape(RefTensor x) {
        return x.shape.clone();
    }

    @Override
    public HostTensor value(RefTensor x) {
        return HostTensor.of(x.data.clone(), x.shape);
    }

    @Override
    public RefTensor detach(RefTensor x) {
        return new RefTensor(x.shape.clone(), x.data, false);
    }

    private RefTensor result(int[] shape, double[] data, RefTensor... inputs) {
        boolean g = false;
        for (RefTensor in : inputs) {
            g |= in.requiresGrad;
        }
        return new RefTensor(shape, data, g);
    }

    // ------------------------------------------------------------------ element-wise binary

    /** Offsets into an operand of shape {@code in} for every element of the broadcast shape {@code out}. */
    private static int[] broadcastOffsets(int[] in, int[] out) {
        int n = Math.toIntExact(Shapes.size(out));
        int[] offs = new int[n];
        int rank = out.length;
        int[] stride = new int[rank];
        int[] inStrides = Shapes.strides(in);
        for (int i = 0; i < rank; i++) {
            int ii = i - (rank - in.length);
            stride[i] = ii < 0 || in[ii] == 1 ? 0 : inStrides[ii];
        }
        int[] idx = new int[rank];
        int off = 0;
        for (int e = 0; e < n; e++) {
            offs[e] = off;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += stride[d];
                if (idx[d] < out[d]) {
                    break;
                }
                off -= stride[d] * idx[d];
                idx[d] = 0;
            }
        }
        return offs;
    }

    private interface Binary {
        double apply(double a, double b);
    }

    /** d(out)/d(a) and d(out)/d(b) at (a, b). */
    private interface BinaryGrad {
        double da(double a, double b);

        double db(double a, double b);
    }

    private RefTensor binary(String op, RefTensor a, RefTensor b, Binary f, BinaryGrad g) {
        int[] os = Arrays.equals(a.shape, b.shape) ? a.shape.clone() : Shapes.broadcast(op, a.shape, b.shape);
        int n = Math.toIntExact(Shapes.size(os));
        double[] out = new double[n];
        final int[] ia = Arrays.equals(a.shape, os) ? null : broadcastOffsets(a.shape, os);
        final int[] ib = Arrays.equals(b.shape, os) ? null : broadcastOffsets(b.shape, os);
        for (int i = 0; i < n; i++) {
            out[i] = f.apply(a.data[ia == null ? i : ia[i]], b.data[ib == null ? i : ib[i]]);
        }
        RefTensor r = result(os, out, a, b);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                double[] gr = r.grad;
                double[] ga = a.requiresGrad ? a.gradBuffer() : null;
                double[] gb = b.requiresGrad ? b.gradBuffer() : null;
                for (int i = 0; i < n; i++) {
                    int pa = ia == null ? i : ia[i];
                    int pb = ib == null ? i : ib[i];
                    if (ga != null) {
                        ga[pa] += gr[i] * g.da(a.data[pa], b.data[pb]);
                    }
                    if (gb != null) {
                        gb[pb] += gr[i] * g.db(a.data[pa], b.data[pb]);
                    }
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor add(RefTensor a, RefTensor b) {
        return binary("add", a, b, Double::sum, new BinaryGrad() {
            public double da(double x, double y) {
                return 1;
            }

            public double db(double x, double y) {
                return 1;
            }
        });
    }

    @Override
    public RefTensor sub(RefTensor a, RefTensor b) {
        return binary("sub", a, b, (x, y) -> x - y, new BinaryGrad() {
            public double da(double x, double y) {
                return 1;
            }

            public double db(double x, double y) {
                return -1;
            }
        });
    }

    @Override
    public RefTensor mul(RefTensor a, RefTensor b) {
        return binary("mul", a, b, (x, y) -> x * y, new BinaryGrad() {
            public double da(double x, double y) {
                return y;
            }

            public double db(double x, double y) {
                return x;
            }
        });
    }

    @Override
    public RefTensor div(RefTensor a, RefTensor b) {
        return binary("div", a, b, (x, y) -> x / y, new BinaryGrad() {
            public double da(double x, double y) {
                return 1 / y;
            }

            public double db(double x, double y) {
                return -x / (y * y);
            }
        });
    }

    // ------------------------------------------------------------------ element-wise unary

    /** Maps {@code x} by {@code f}; the gradient is {@code dOut · d(x, f(x))}. */
    private RefTensor unary(RefTensor x, DoubleUnaryOperator f, UnaryGrad d) {
        int n = x.size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = f.applyAsDouble(x.data[i]);
        }
        RefTensor r = result(x.shape.clone(), out, x);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                double[] gx = x.gradBuffer();
                for (int i = 0; i < n; i++) {
                    gx[i] += r.grad[i] * d.at(x.data[i], out[i]);
                }
            });
        }
        return r;
    }

    private interface UnaryGrad {
        double at(double x, double y);
    }

    @Override
    public RefTensor neg(RefTensor x) {
        return unary(x, v -> -v, (v, y) -> -1);
    }

    @Override
    public RefTensor scale(RefTensor x, double c) {
        return unary(x, v -> c * v, (v, y) -> c);
    }

    @Override
    public RefTensor addScalar(RefTensor x, double c) {
        return unary(x, v -> v + c, (v, y) -> 1);
    }

    @Override
    public RefTensor exp(RefTensor x) {
        return unary(x, StrictMath::exp, (v, y) -> y);
    }

    @Override
    public RefTensor log(RefTensor x) {
        return unary(x, StrictMath::log, (v, y) -> 1 / v);
    }

    @Override
    public RefTensor tanh(RefTensor x) {
        return unary(x, StrictMath::tanh, (v, y) -> 1 - y * y);
    }

    @Override
    public RefTensor sigmoid(RefTensor x) {
        return unary(x, RefOps::sigmoid, (v, y) -> y * (1 - y));
    }

    static double sigmoid(double v) {
        if (v >= 0) {
            return 1 / (1 + StrictMath.exp(-v));
        }
        double e = StrictMath.exp(v);
        return e / (1 + e);
    }

    @Override
    public RefTensor relu(RefTensor x) {
        return unary(x, v -> v > 0 ? v : 0.0, (v, y) -> v > 0 ? 1 : 0);
    }

    @Override
    public RefTensor gelu(RefTensor x) {
        // x·Φ(x); d/dx = Φ(x) + x·φ(x)
        return unary(x, v -> v * normalCdf(v),
                (v, y) -> normalCdf(v) + v * StrictMath.exp(-0.5 * v * v) / StrictMath.sqrt(2 * Math.PI));
    }

    static double normalCdf(double v) {
        return 0.5 * (1 + Erf.erf(v / StrictMath.sqrt(2)));
    }

    @Override
    public RefTensor softplus(RefTensor x) {
        return unary(x, v -> Math.max(v, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(v))),
                (v, y) -> sigmoid(v));
    }

    @Override
    public RefTensor sqrt(RefTensor x) {
        return unary(x, StrictMath::sqrt, (v, y) -> 0.5 / y);
    }

    @Override
    public RefTensor sin(RefTensor x) {
        return unary(x, StrictMath::sin, (v, y) -> StrictMath.cos(v));
    }

    @Override
    public RefTensor cos(RefTensor x) {
        return unary(x, StrictMath::cos, (v, y) -> -StrictMath.sin(v));
    }

    @Override
    public RefTensor square(RefTensor x) {
        return unary(x, v -> v * v, (v, y) -> 2 * v);
    }

    // ------------------------------------------------------------------ shape

    @Override
    public RefTensor reshape(RefTensor x, int... shape) {
        int[] s = shape.clone();
        Shapes.checkReshape(x.shape, s);
        RefTensor r = result(s, x.data, x);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                double[] gx = x.gradBuffer();
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += r.grad[i];
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor transpose(RefTensor x, int a, int b) {
        int rank = x.rank();
        int ax = Shapes.axis("transpose", a, rank);
        int bx = Shapes.axis("transpose", b, rank);
        if (ax == bx) {
            return reshape(x, x.shape);
        }
        int[] os = x.shape.clone();
        os[ax] = x.shape[bx];
        os[bx] = x.shape[ax];
        // view x with the two axes swapped: out element e reads x at src[e]
        int[] xs = Shapes.strides(x.shape);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = xs[i];
        }
        perm[ax] = xs[bx];
        perm[bx] = xs[ax];
        int n = x.size();
        int[] src = new int[n];
        int[] idx = new int[rank];
        int off = 0;
        for (int e = 0; e < n; e++) {
            src[e] = off;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += perm[d];
                if (idx[d] < os[d]) {
                    break;
                }
                off -= perm[d] * idx[d];
                idx[d] = 0;
            }
        }
        double[] out = new double[n];
        for (int e = 0; e < n; e++) {
            out[e] = x.data[src[e]];
        }
        RefTensor r = result(os, out, x);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                double[] gx = x.gradBuffer();
                for (int e = 0; e < n; e++) {
                    gx[src[e]] += r.grad[e];
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor slice(RefTensor x, int axis, int start, int end) {
        int ax = Shapes.slice(x.shape, axis, start, end);
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= x.shape[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < x.rank(); i++) {
            inner *= x.shape[i];
        }
        int len = end - start;
        int dim = x.shape[ax];
        int[] os = x.shape.clone();
        os[ax] = len;
        double[] out = new double[outer * len * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x.data, (o * dim + start) * inner, out, o * len * inner, len * inner);
        }
        RefTensor r = result(os, out, x);
        if (r.requiresGrad) {
            final int fOuter = outer;
            final int fInner = inner;
            tape.record(r, () -> {
                double[] gx = x.gradBuffer();
                for (int o = 0; o < fOuter; o++) {
                    int src = o * len * fInner;
                    int dst = (o * dim + start) * fInner;
                    for (int i = 0; i < len * fInner; i++) {
                        gx[dst + i] += r.grad[src + i];
                    }
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor concat(List<RefTensor> xs, int axis) {
        int[] os = Shapes.concat(Shapes.of(this, xs), axis);
        RefTensor first = xs.get(0);
        int ax = Shapes.axis("concat", axis, first.rank());
        int total = os[ax];
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= first.shape[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < first.rank(); i++) {
            inner *= first.shape[i];
        }
        double[] out = new double[outer * total * inner];
        int at = 0;
        int[] starts = new int[xs.size()];
        for (int k = 0; k < xs.size(); k++) {
            RefTensor t = xs.get(k);
            int len = t.shape[ax];
            starts[k] = at;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data, o * len * inner, out, (o * total + at) * inner, len * inner);
            }
            at += len;
        }
        RefTensor r = result(os, out, xs.toArray(new RefTensor[0]));
        if (r.requiresGrad) {
            final int fOuter = outer;
            final int fInner = inner;
            final int fTotal = total;
            tape.record(r, () -> {
                for (int k = 0; k < xs.size(); k++) {
                    RefTensor t = xs.get(k);
                    if (!t.requiresGrad) {
                        continue;
                    }
                    double[] gt = t.gradBuffer();
                    int len = t.shape[ax];
                    for (int o = 0; o < fOuter; o++) {
                        int src = (o * fTotal + starts[k]) * fInner;
                        int dst = o * len * fInner;
                        for (int i = 0; i < len * fInner; i++) {
                            gt[dst + i] += r.grad[src + i];
                        }
                    }
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor stack(List<RefTensor> xs, int axis) {
        Shapes.stack(Shapes.of(this, xs), axis);
        int[] s = xs.get(0).shape;
        int ax = Shapes.axis("stack", axis, s.length + 1);
        int[] expanded = new int[s.length + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) {
            expanded[i] = i == ax ? 1 : s[j++];
        }
        List<RefTensor> parts = new ArrayList<>(xs.size());
        for (RefTensor t : xs) {
            parts.add(reshape(t, expanded));
        }
        return concat(parts, ax);
    }

    @Override
    public List<RefTensor> unstack(RefTensor x, int axis) {
        int ax = Shapes.axis("unstack", axis, x.rank());
        int[] rest = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (i != ax) {
                rest[j++] = x.shape[i];
            }
        }
        List<RefTensor> out = new ArrayList<>(x.shape[ax]);
        for (int i = 0; i < x.shape[ax]; i++) {
            out.add(reshape(slice(x, ax, i, i + 1), rest));
        }
        return out;
    }

    // ------------------------------------------------------------------ matmul

    @Override
    public RefTensor matmul(RefTensor a, RefTensor b) {
        int[] os = Shapes.matmul(a.shape, b.shape);
        int n = a.shape[a.rank() - 2];
        int k = a.shape[a.rank() - 1];
        int m = b.shape[b.rank() - 1];
        if (b.rank() == 2 && a.rank() > 2) {
            // fold a's batch axes into rows: one large GEMM (linear layers, coefficient projections)
            int rows = a.size() / k;
            RefTensor r2 = matmul(reshape(a, rows, k), b);
            return reshape(r2, os);
        }
        int batchRank = os.length - 2;
        int[] batchShape = Arrays.copyOf(os, batchRank);
        int batches = Math.toIntExact(Shapes.size(batchShape));
        int[] aBatch = Arrays.copyOf(a.shape, a.rank() - 2);
        int[] bBatch = Arrays.copyOf(b.shape, b.rank() - 2);
        int[] offA = batchRank == 0 ? new int[] {0} : broadcastOffsets(aBatch, batchShape);
        int[] offB = batchRank == 0 ? new int[] {0} : broadcastOffsets(bBatch, batchShape);
        boolean aFull = Arrays.equals(aBatch, batchShape);
        boolean bFull = Arrays.equals(bBatch, batchShape);
        double[] out = new double[Math.toIntExact(Shapes.size(os))];
        long work = (long) batches * n * k * m;
        if (batches == 1) {
            gemm.nn(a.data, 0, b.data, 0, out, 0, n, k, m);
        } else {
            gemm.batches(batches, work, true, bi -> {
                int ao = offA[bi] * n * k;
                int bo = offB[bi] * k * m;
                int co = bi * n * m;
                for (int i = 0; i < n; i++) {
                    Gemm.nnRow(a.data, ao, b.data, bo, out, co, i, k, m);
                }
            });
        }
        RefTensor r = result(os, out, a, b);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                if (a.requiresGrad) {
                    // dA = dC · Bᵀ
                    double[] ga = a.gradBuffer();
                    if (batches == 1) {
                        gemm.nt(r.grad, 0, b.data, 0, ga, 0, n, m, k);
                    } else {
                        gemm.batches(batches, work, aFull, bi -> {
                            for (int i = 0; i < n; i++) {
                                Gemm.ntRow(r.grad, bi * n * m, b.data, offB[bi] * k * m, ga, offA[bi] * n * k, i, m, k);
                            }
                        });
                    }
                }
                if (b.requiresGrad) {
                    // dB = Aᵀ · dC
                    double[] gb = b.gradBuffer();
                    if (batches == 1) {
                        gemm.tn(a.data, 0, r.grad, 0, gb, 0, n, k, m);
                    } else {
                        gemm.batches(batches, work, bFull, bi -> {
                            int ao = offA[bi] * n * k;
                            int go = bi * n * m;
                            int bo = offB[bi] * k * m;
                            for (int i = 0; i < n; i++) {
                                for (int p = 0; p < k; p++) {
                                    double aip = a.data[ao + i * k + p];
                                    for (int j = 0; j < m; j++) {
                                        gb[bo + p * m + j] += aip * r.grad[go + i * m + j];
                                    }
                                }
                            }
                        });
                    }
                }
            });
        }
        return r;
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public RefTensor sum(RefTensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis("sum", axis, x.rank());
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= x.shape[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < x.rank(); i++) {
            inner *= x.shape[i];
        }
        int dim = x.shape[ax];
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int d = 0; d < dim; d++) {
                int base = (o * dim + d) * inner;
                for (int i = 0; i < inner; i++) {
                    out[o * inner + i] += x.data[base + i];
                }
            }
        }
        int[] os;
        if (keepDim) {
            os = x.shape.clone();
            os[ax] = 1;
        } else {
            os = new int[x.rank() - 1];
            for (int i = 0, j = 0; i < x.rank(); i++) {
                if (i != ax) {
                    os[j++] = x.shape[i];
                }
            }
        }
        RefTensor r = result(os, out, x);
        if (r.requiresGrad) {
            final int fOuter = outer;
            final int fInner = inner;
            tape.record(r, () -> {
                double[] gx = x.gradBuffer();
                for (int o = 0; o < fOuter; o++) {
                    for (int d = 0; d < dim; d++) {
                        int base = (o * dim + d) * fInner;
                        for (int i = 0; i < fInner; i++) {
                            gx[base + i] += r.grad[o * fInner + i];
                        }
                    }
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor sumAll(RefTensor x) {
        double acc = 0;
        for (double v : x.data) {
            acc += v;
        }
        RefTensor r = result(new int[0], new double[] {acc}, x);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                double[] gx = x.gradBuffer();
                double g = r.grad[0];
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g;
                }
            });
        }
        return r;
    }

    // ------------------------------------------------------------------ neural-network ops

    @Override
    public RefTensor embedding(RefTensor table, int[] ids, int... idsShape) {
        int[] os = Shapes.embedding(table.shape, ids, idsShape);
        int h = table.shape[1];
        double[] out = new double[ids.length * h];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(table.data, ids[i] * h, out, i * h, h);
        }
        RefTensor r = result(os, out, table);
        if (r.requiresGrad) {
            tape.record(r, () -> {
                double[] gt = table.gradBuffer();
                for (int i = 0; i < ids.length; i++) {
                    int base = ids[i] * h;
                    for (int j = 0; j < h; j++) {
                        gt[base + j] += r.grad[i * h + j];
                    }
                }
            });
        }
        return r;
    }

    @Override
    public RefTensor layerNorm(RefTensor x, RefTensor gamma, RefTensor beta, double eps) {
        Shapes.layerNorm(x.shape, gamma.shape, beta.shape);
        int h = x.shape[x.rank() - 1];
        int rows = x.size() / h;
        double[] xhat = new double[x.size()];
        double[] inv = new double[rows];
        double[] out = new double[x.size()];
        for (int r = 0; r < rows; r++) {
            int base = r * h;
            double mean = 0;
            for (int j = 0; j < h; j++) {
                mean += x.data[base + j];
            }
            mean /= h;
            double var = 0;
            for (int j = 0; j < h; j++) {
                double c = x.data[base + j] - mean;
                var += c * c;
            }
            var /= h;
            double is = 1.0 / StrictMath.sqrt(var + eps);
            inv[r] = is;
            for (int j = 0; j < h; j++) {
                double xh = (x.data[base + j] - mean) * is;
                xhat[base + j] = xh;
                out[base + j] = xh * gamma.data[j] + beta.data[j];
            }
        }
        RefTensor res = result(x.shape.clone(), out, x, gamma, beta);
        if (res.requiresGrad) {
            tape.record(res, () -> {
                double[] g = res.grad;
                double[] gg = gamma.requiresGrad ? gamma.gradBuffer() : null;
                double[] gb = beta.requiresGrad ? beta.gradBuffer() : null;
                double[] gx = x.requiresGrad ? x.gradBuffer() : null;
                for (int r = 0; r < rows; r++) {
                    int base = r * h;
                    double sumD = 0;
                    double sumDX = 0;
                    for (int j = 0; j < h; j++) {
                        double dy = g[base + j];
                        if (gg != null) {
                            gg[j] += dy * xhat[base + j];
                        }
                        if (gb != null) {
                            gb[j] += dy;
                        }
                        double dxh = dy * gamma.data[j];
                        sumD += dxh;
                        sumDX += dxh * xhat[base + j];
                    }
                    if (gx != null) {
                        // dx = (1/σ)(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂))
                        for (int j = 0; j < h; j++) {
                            double dxh = g[base + j] * gamma.data[j];
                            gx[base + j] += inv[r] * (dxh - sumD / h - xhat[base + j] * sumDX / h);
                        }
                    }
                }
            });
        }
        return res;
    }

    @Override
    public RefTensor logSoftmax(RefTensor x) {
        int k = x.shape[x.rank() - 1];
        int rows = x.size() / k;
        double[] out = new double[x.size()];
        for (int r = 0; r < rows; r++) {
            int base = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, x.data[base + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += StrictMath.exp(x.data[base + j] - max);
            }
            double lse = max + StrictMath.log(s);
            for (int j = 0; j < k; j++) {
                out[base + j] = x.data[base + j] - lse;
            }
        }
        RefTensor res = result(x.shape.clone(), out, x);
        if (res.requiresGrad) {
            tape.record(res, () -> {
                // dx = dy − softmax · Σ dy
                double[] gx = x.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    int base = r * k;
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        s += res.grad[base + j];
                    }
                    for (int j = 0; j < k; j++) {
                        gx[base + j] += res.grad[base + j] - StrictMath.exp(out[base + j]) * s;
                    }
                }
            });
        }
        return res;
    }

    @Override
    public RefTensor softmax(RefTensor x) {
        int k = x.shape[x.rank() - 1];
        int rows = x.size() / k;
        double[] out = new double[x.size()];
        for (int r = 0; r < rows; r++) {
            int base = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, x.data[base + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                double e = StrictMath.exp(x.data[base + j] - max);
                out[base + j] = e;
                s += e;
            }
            for (int j = 0; j < k; j++) {
                out[base + j] /= s;
            }
        }
        RefTensor res = result(x.shape.clone(), out, x);
        if (res.requiresGrad) {
            tape.record(res, () -> {
                // dx = y ⊙ (dy − Σ dy⊙y)
                double[] gx = x.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    int base = r * k;
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        s += res.grad[base + j] * out[base + j];
                    }
                    for (int j = 0; j < k; j++) {
                        gx[base + j] += out[base + j] * (res.grad[base + j] - s);
                    }
                }
            });
        }
        return res;
    }

    @Override
    public RefTensor pickLast(RefTensor x, int[] index) {
        int rows = Shapes.pickLast(x.shape, index);
        int k = x.shape[x.rank() - 1];
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = x.data[r * k + index[r]];
        }
        RefTensor res = result(Arrays.copyOf(x.shape, x.rank() - 1), out, x);
        if (res.requiresGrad) {
            tape.record(res, () -> {
                double[] gx = x.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    gx[r * k + index[r]] += res.grad[r];
                }
            });
        }
        return res;
    }

    @Override
    public RefTensor walshHadamard(RefTensor x) {
        int n = Shapes.walshHadamard(x.shape);
        double[] out = x.data.clone();
        for (int off = 0; off < out.length; off += n) {
            WalshHadamardTransform.transform(out, off, n);
        }
        RefTensor res = result(x.shape.clone(), out, x);
        if (res.requiresGrad) {
            tape.record(res, () -> {
                // H is symmetric: dx = H dy
                double[] g = res.grad.clone();
                for (int off = 0; off < g.length; off += n) {
                    WalshHadamardTransform.transform(g, off, n);
                }
                double[] gx = x.gradBuffer();
                for (int i = 0; i < g.length; i++) {
                    gx[i] += g[i];
                }
            });
        }
        return res;
    }
}
