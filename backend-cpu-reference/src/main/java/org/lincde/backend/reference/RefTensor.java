package org.lincde.backend.reference;

import java.util.Arrays;

/**
 * A node of the reference tape: row-major float64 values, an optional gradient and the closure that
 * pushes this node's gradient into its inputs. Values are never mutated after creation, so views
 * (reshape) may share the value array.
 */
final class RefTensor {
    final int[] shape;
    final double[] data;
    final boolean requiresGrad;
    double[] grad;
    Runnable backward;

    RefTensor(int[] shape, double[] data, boolean requiresGrad) {
        this.shape = shape;
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    int size() {
        return data.length;
    }

    int rank() {
        return shape.length;
    }

    /** The gradient buffer, allocated on first use. */
    double[] gradBuffer() {
        if (grad == null) {
            grad = new double[data.length];
        }
        return grad;
    }

    @Override
    public String toString() {
        return "RefTensor" + Arrays.toString(shape) + (requiresGrad ? " (grad)" : "");
    }
}
