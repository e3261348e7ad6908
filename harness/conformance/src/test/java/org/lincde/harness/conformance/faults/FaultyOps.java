package org.lincde.harness.conformance.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * A {@link TensorOps} decorator over any backend's ops (here the reference's, through its op-level face)
 * that plants faults: a flipped {@code tanh} gradient, float32 rounding of every result (a fault when the
 * session claims float64; an honest float32 emulation when it says float32), an undeclared unsupported
 * op, and fused recurrence/scan kernels with their own faults.
 */
final class FaultyOps<T> implements TensorOps<T> {
    /** Which kernel {@link #fusedRecurrence} offers. */
    enum Kernel { NONE, LOOP, SCAN }

    private final TensorOps<T> d;
    private final DType dtype;
    private final boolean round;
    private final Set<PlantedFault> faults;
    private final Kernel kernel;

    FaultyOps(TensorOps<T> delegate, DType dtype, Set<PlantedFault> faults, Kernel kernel) {
        this.d = delegate;
        this.dtype = dtype;
        this.faults = faults;
        this.round = dtype == DType.FLOAT32 || faults.contains(PlantedFault.FLOAT32_ROUNDING);
        this.kernel = kernel;
    }

    /** {@code x} with its values rounded to binary32 and its gradient passed straight through. */
    private T r(T x) {
        if (!round) {
            return x;
        }
        HostTensor v = d.value(x);
        double[] delta = new double[v.size()];
        boolean any = false;
        for (int i = 0; i < delta.length; i++) {
            double rounded = (float) v.data()[i];
            delta[i] = rounded - v.data()[i]; // exact (Sterbenz), and v + delta == rounded exactly
            any |= delta[i] != 0;
        }
        return any ? d.add(x, d.constant(delta, v.shape())) : x;
    }

    private List<T> r(List<T> xs) {
        List<T> out = new ArrayList<>(xs.size());
        for (T x : xs) {
            out.add(r(x));
        }
        return out;
    }

    private double[] rounded(double[] v) {
        if (!round) {
            return v;
        }
        double[] c = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = (float) v[i];
        }
        return c;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public T constant(double[] values, int... shape) {
        return d.constant(rounded(values), shape);
    }

    @Override
    public int[] shape(T x) {
        return d.shape(x);
    }

    @Override
    public HostTensor value(T x) {
        return d.value(x);
    }

    @Override
    public T detach(T x) {
        return d.detach(x);
    }

    @Override
    public T add(T a, T b) {
        return r(d.add(a, b));
    }

    @Override
    public T sub(T a, T b) {
        return r(d.sub(a, b));
    }

    @Override
    public T mul(T a, T b) {
        return r(d.mul(a, b));
    }

    @Override
    public T div(T a, T b) {
        return r(d.div(a, b));
    }

    @Override
    public T neg(T x) {
        return d.neg(x);
    }

    @Override
    public T scale(T x, double c) {
        return r(d.scale(x, c));
    }

    @Override
    public T addScalar(T x, double c) {
        return r(d.addScalar(x, c));
    }

    @Override
    public T exp(T x) {
        return r(d.exp(x));
    }

    @Override
    public T log(T x) {
        return r(d.log(x));
    }

    @Override
    public T tanh(T x) {
        T t = r(d.tanh(x));
        if (faults.contains(PlantedFault.GRADIENT_SIGN_FLIP)) {
            // value 2t − t = t exactly; gradient −tanh'(x)
            return d.sub(d.scale(d.detach(t), 2.0), t);
        }
        return t;
    }

    @Override
    public T sigmoid(T x) {
        return r(d.sigmoid(x));
    }

    @Override
    public T relu(T x) {
        return r(d.relu(x));
    }

    @Override
    public T gelu(T x) {
        return r(d.gelu(x));
    }

    @Override
    public T softplus(T x) {
        return r(d.softplus(x));
    }

    @Override
    public T sqrt(T x) {
        return r(d.sqrt(x));
    }

    @Override
    public T sin(T x) {
        return r(d.sin(x));
    }

    @Override
    public T cos(T x) {
        return r(d.cos(x));
    }

    @Override
    public T reshape(T x, int... shape) {
        return d.reshape(x, shape);
    }

    @Override
    public T transpose(T x, int a, int b) {
        return d.transpose(x, a, b);
    }

    @Override
    public T slice(T x, int axis, int start, int end) {
        return d.slice(x, axis, start, end);
    }

    @Override
    public T concat(List<T> xs, int axis) {
        return d.concat(xs, axis);
    }

    @Override
    public T stack(List<T> xs, int axis) {
        return d.stack(xs, axis);
    }

    @Override
    public List<T> unstack(T x, int axis) {
        return d.unstack(x, axis);
    }

    @Override
    public T matmul(T a, T b) {
        T y = d.matmul(a, b);
        return r(faults.contains(PlantedFault.MATMUL_DRIFT) ? d.scale(y, 1 + MATMUL_DRIFT) : y);
    }

    /** The relative error of {@link PlantedFault#MATMUL_DRIFT}. */
    static final double MATMUL_DRIFT = 1e-4;

    @Override
    public T sum(T x, int axis, boolean keepDim) {
        return r(d.sum(x, axis, keepDim));
    }

    @Override
    public T sumAll(T x) {
        return r(d.sumAll(x));
    }

    @Override
    public T embedding(T table, int[] ids, int... idsShape) {
        return d.embedding(table, ids, idsShape);
    }

    @Override
    public T layerNorm(T x, T gamma, T beta, double eps) {
        return r(d.layerNorm(x, gamma, beta, eps));
    }

    @Override
    public T logSoftmax(T x) {
        return r(d.logSoftmax(x));
    }

    @Override
    public T softmax(T x) {
        return r(d.softmax(x));
    }

    @Override
    public T pickLast(T x, int[] index) {
        return d.pickLast(x, index);
    }

    @Override
    public T walshHadamard(T x) {
        if (faults.contains(PlantedFault.UNDECLARED_UNSUPPORTED_OP)) {
            throw new UnsupportedOperationException("walshHadamard is not implemented by this backend");
        }
        return r(d.walshHadamard(x));
    }

    @Override
    public Optional<RecurrenceKernel<T>> fusedRecurrence(StructuredVectorField field) {
        int block = FaultyKernels.blockSize(field);
        if (block == 0 || kernel == Kernel.NONE) {
            return Optional.empty();
        }
        return Optional.of(kernel == Kernel.SCAN ? FaultyKernels.scan(this, field, block, faults)
                : FaultyKernels.loop(this, field, block, faults));
    }
}
