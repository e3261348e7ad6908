package org.lincde.backend.nd4j.internal;

import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between Java values ({@link HostTensor}, {@code double[]}) and ND4J arrays. */
public final class Nd4jArrays {
    private Nd4jArrays() {}

    /** The ND4J data type of {@code dtype}. */
    public static DataType dataType(DType dtype) {
        return dtype == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
    }

    /** The element type host copies of {@code dtype} tensors carry. */
    public static ElementType elementType(DType dtype) {
        return dtype == DType.FLOAT32 ? ElementType.FLOAT32 : ElementType.FLOAT64;
    }

    static long[] longShape(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    static int[] intShape(INDArray a) {
        long[] s = a.shape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Math.toIntExact(s[i]);
        }
        return out;
    }

    /** An array in the current workspace (if any) holding {@code values} rounded to {@code dtype}. */
    public static INDArray create(double[] values, int[] shape, DType dtype) {
        return Nd4j.create(values, longShape(shape), dataType(dtype));
    }

    /** Like {@link #create} but outside every workspace: for parameters and other arrays that outlive a call. */
    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    public static INDArray createDetached(double[] values, int[] shape, DType dtype) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return create(values, shape, dtype);
        }
    }

    /**
     * {@code a} itself when its buffer holds exactly its elements in row-major order from offset 0
     * (so {@code a.data()} can be read directly), else a row-major copy. Reshapes of dense arrays pass
     * (ND4J marks them as views, but they cover the whole buffer); slices with an offset or with
     * non-default strides are copied (checked against every kind of ND4J view in the tests).
     */
    public static INDArray contiguous(INDArray a) {
        if (a.ordering() == 'c' && a.offset() == 0 && Shape.hasDefaultStridesForShape(a)
                && a.data().length() == a.length()) {
            return a;
        }
        return a.dup('c');
    }

    /** The values of {@code a} in row-major order, as doubles. */
    public static double[] toDoubles(INDArray a) {
        if (a.length() == 0) {
            return new double[0];
        }
        return contiguous(a).data().asDouble();
    }

    /** A host copy of {@code a} with element type {@code type}. */
    public static HostTensor toHost(INDArray a, ElementType type) {
        return HostTensor.of(type, toDoubles(a), intShape(a));
    }
}
