package org.lincde.harness.conformance.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.TypeVariable;
import java.util.Optional;
import java.util.Set;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * A {@link TensorOps} decorator over any backend's ops (here the reference's, through its op-level face)
 * that plants faults: a flipped {@code tanh} gradient, float32 rounding of every result (a fault when the
 * session claims float64; an honest float32 emulation when it says float32), an undeclared unsupported
 * op, and fused recurrence/scan kernels with their own faults.
 *
 * <p>One generic wrapper ({@link #wrap}, a {@link Proxy}) does the delegation: every op goes to the
 * delegate, and a tensor result is rounded unless the op is {@link #EXACT}; the few ops that carry a fault
 * are the cases of {@link #invoke}. The interface's default ops ({@code square}, {@code mean}, …) run as
 * defaults over this wrapper, as they would over any backend that does not override them.
 */
final class FaultyOps<T> implements InvocationHandler {
    /** Which kernel {@code fusedRecurrence} offers. */
    enum Kernel { NONE, LOOP, SCAN }

    /** The relative error of {@link PlantedFault#MATMUL_DRIFT}. */
    static final double MATMUL_DRIFT = 1e-4;

    /**
     * Ops whose results are passed through unrounded: they move, pick or negate values (or read them), so
     * they are exact in binary32 too.
     */
    private static final Set<String> EXACT = Set.of("shape", "value", "detach", "neg", "reshape", "transpose",
            "slice", "concat", "stack", "unstack", "embedding", "pickLast");

    private final TensorOps<T> d;
    private final DType dtype;
    private final boolean round;
    private final Set<PlantedFault> faults;
    private final Kernel kernel;
    private TensorOps<T> self;

    private FaultyOps(TensorOps<T> delegate, DType dtype, Set<PlantedFault> faults, Kernel kernel) {
        this.d = delegate;
        this.dtype = dtype;
        this.faults = faults;
        this.round = dtype == DType.FLOAT32 || faults.contains(PlantedFault.FLOAT32_ROUNDING);
        this.kernel = kernel;
    }

    /** {@code delegate} with the planted {@code faults}, at {@code dtype}, offering {@code kernel}. */
    @SuppressWarnings("unchecked")
    static <T> TensorOps<T> wrap(TensorOps<T> delegate, DType dtype, Set<PlantedFault> faults, Kernel kernel) {
        FaultyOps<T> handler = new FaultyOps<>(delegate, dtype, faults, kernel);
        handler.self = (TensorOps<T>) Proxy.newProxyInstance(TensorOps.class.getClassLoader(),
                new Class<?>[] {TensorOps.class}, handler);
        return handler.self;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        if (m.getDeclaringClass() == Object.class) {
            return m.invoke(this, args);
        }
        switch (m.getName()) {
            case "dtype":
                return dtype;
            case "constant":
                return d.constant(rounded((double[]) args[0]), (int[]) args[1]);
            case "tanh": {
                T t = r(d.tanh((T) args[0]));
                if (faults.contains(PlantedFault.GRADIENT_SIGN_FLIP)) {
                    // value 2t − t = t exactly; gradient −tanh'(x)
                    return d.sub(d.scale(d.detach(t), 2.0), t);
                }
                return t;
            }
            case "matmul": {
                T y = d.matmul((T) args[0], (T) args[1]);
                return r(faults.contains(PlantedFault.MATMUL_DRIFT) ? d.scale(y, 1 + MATMUL_DRIFT) : y);
            }
            case "walshHadamard":
                if (faults.contains(PlantedFault.UNDECLARED_UNSUPPORTED_OP)) {
                    throw new UnsupportedOperationException("walshHadamard is not implemented by this backend");
                }
                break;
            case "fusedRecurrence":
                return fusedRecurrence((StructuredVectorField) args[0]);
            default:
                break;
        }
        if (m.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, m, args);
        }
        Object y;
        try {
            y = m.invoke(d, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        boolean tensor = m.getGenericReturnType() instanceof TypeVariable<?>;
        return tensor && !EXACT.contains(m.getName()) ? r((T) y) : y;
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

    private Optional<?> fusedRecurrence(StructuredVectorField field) {
        int block = FaultyKernels.blockSize(field);
        if (block == 0 || kernel == Kernel.NONE) {
            return Optional.empty();
        }
        return Optional.of(kernel == Kernel.SCAN ? FaultyKernels.scan(self, field, block, faults)
                : FaultyKernels.loop(self, field, block, faults));
    }
}
