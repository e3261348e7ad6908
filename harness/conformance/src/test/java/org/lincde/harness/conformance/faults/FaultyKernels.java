package org.lincde.harness.conformance.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.structure.BlockDiagonalStructure;

/**
 * The faulty backend's "fused" kernels for the diagonal (block size 1) and block-diagonal structures: a
 * recurrence loop and an associative scan over {@code b×b} blocks, written here (not taken from the SPI)
 * so faults can be planted in them, as they would creep into a real backend's kernels.
 */
final class FaultyKernels {
    private FaultyKernels() {}

    /** The block size of a field these kernels handle, or 0 when they do not handle it. */
    static int blockSize(StructuredVectorField f) {
        String id = f.structure().id();
        if (id.equals("diagonal")) {
            return 1;
        }
        if (id.equals("block-diagonal") && f instanceof BlockDiagonalStructure.Field bd) {
            return bd.blockSize();
        }
        return 0;
    }

    /** The {@code (B, S, nb, b, b)} blocks {@code M_j} of the coefficients (transposed under the fault). */
    private static <T> T blocks(TensorOps<T> ops, T coef, int h, int b, Set<PlantedFault> faults) {
        int[] s = ops.shape(coef);
        T m = ops.reshape(coef, s[0], s[1], h / b, b, b);
        return faults.contains(PlantedFault.TRANSPOSED_BLOCK) ? ops.transpose(m, 3, 4) : m;
    }

    /** SPEC §1.1 eq. (2) step by step: {@code y_i = y_{i−1} + c·tanh(M_i y_{i−1} / c)} per block. */
    static <T> RecurrenceKernel<T> loop(TensorOps<T> ops, StructuredVectorField f, int b, Set<PlantedFault> faults) {
        int h = f.hidden();
        return (y0, coef, clip) -> {
            int n = ops.shape(y0)[0];
            List<T> steps = ops.unstack(blocks(ops, coef, h, b, faults), 1);
            List<T> ys = new ArrayList<>();
            T y = y0;
            ys.add(y);
            for (T m : steps) {
                T s = ops.reshape(ops.matmul(m, ops.reshape(y, n, h / b, b, 1)), n, h);
                y = ops.add(y, Double.isInfinite(clip) ? s : ops.scale(ops.tanh(ops.scale(s, 1.0 / clip)), clip));
                ys.add(y);
            }
            return ops.stack(ys, 1);
        };
    }

    /**
     * Hillis–Steele scan of {@code T_i = I + M_i} with composition {@code (P, Q) ↦ Q·P} (SPEC §1.3); the
     * clip is not applied (linear, as the SPI's scan). Under {@link PlantedFault#SCAN_OFF_BY_ONE} state
     * {@code i} is {@code P_{i−1} y_0}: one step is dropped and {@code y_0} repeated.
     */
    static <T> RecurrenceKernel<T> scan(TensorOps<T> ops, StructuredVectorField f, int b, Set<PlantedFault> faults) {
        int h = f.hidden();
        return (y0, coef, clip) -> {
            int n = ops.shape(y0)[0];
            int steps = ops.shape(coef)[1];
            double[] eye = new double[b * b];
            for (int i = 0; i < b; i++) {
                eye[i * b + i] = 1;
            }
            T prefix = ops.add(blocks(ops, coef, h, b, faults), ops.constant(eye, b, b));
            for (int offset = 1; offset < steps; offset <<= 1) {
                T earlier = ops.slice(prefix, 1, 0, steps - offset);
                T later = ops.slice(prefix, 1, offset, steps);
                prefix = ops.concat(List.of(ops.slice(prefix, 1, 0, offset), ops.matmul(later, earlier)), 1);
            }
            T ys = ops.reshape(ops.matmul(prefix, ops.reshape(y0, n, 1, h / b, b, 1)), n, steps, h);
            T first = ops.reshape(y0, n, 1, h);
            if (faults.contains(PlantedFault.SCAN_OFF_BY_ONE)) {
                ys = ops.concat(List.of(first, ops.slice(ys, 1, 0, steps - 1)), 1);
            }
            return ops.concat(List.of(first, ys), 1);
        };
    }
}
