package org.lincde.spi;

import java.util.Arrays;

/**
 * A dense row-major tensor held in Java memory: the only tensor that crosses the SPI. Backends
 * copy it into their own tensors and copy results back into new instances; no native tensor ever
 * leaves a backend.
 *
 * <p>The backing array is shared, not copied, by {@link #data()}: treat an instance as immutable
 * once handed to another component.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class HostTensor {
    private final ElementType type;
    private final int[] shape;
    private final double[] data;

    private HostTensor(ElementType type, int[] shape, double[] data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied) with {@code shape}; the sizes must agree. */
    public static HostTensor of(ElementType type, double[] data, int... shape) {
        int[] s = shape.clone();
        long n = Shapes.size(s);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + n
                    + " values but data has " + data.length);
        }
        return new HostTensor(type, s, data);
    }

    /** A FLOAT64 tensor wrapping {@code data}. */
    public static HostTensor of(double[] data, int... shape) {
        return of(ElementType.FLOAT64, data, shape);
    }

    /** A zero-filled tensor. */
    public static HostTensor zeros(ElementType type, int... shape) {
        return of(type, new double[Math.toIntExact(Shapes.size(shape))], shape);
    }

    /** Element type. */
    public ElementType type() {
        return type;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Extent of dimension {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The backing row-major array (shared, not copied). */
    public double[] data() {
        return data;
    }

    /** Value at a multi-index. */
    public double get(int... index) {
        return data[Shapes.offset(shape, index)];
    }

    /** A deep copy. */
    public HostTensor copy() {
        return new HostTensor(type, shape.clone(), data.clone());
    }

    /** The same values with another element type (values are rounded to binary32 for FLOAT32). */
    public HostTensor as(ElementType newType) {
        double[] d = data.clone();
        if (newType == ElementType.FLOAT32) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) d[i];
            }
        }
        return new HostTensor(newType, shape.clone(), d);
    }

    /** The same values viewed with another shape of equal size (data shared). */
    public HostTensor reshape(int... newShape) {
        return of(type, data, newShape);
    }

    /** True when type, shape and every value (bitwise, NaN == NaN) agree. */
    public boolean sameAs(HostTensor other) {
        return type == other.type && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public String toString() {
        return "HostTensor[" + type + " " + Arrays.toString(shape) + "]";
    }
}
