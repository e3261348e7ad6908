package org.lincde.backend.djl.internal;

import java.util.Optional;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;

/**
 * Which fields DJL fuses: those that offer a step kernel ({@link StepKernels#forField}, built-in or a
 * plugin's), up to a coefficient budget.
 */
public final class DjlKernels {
    /**
     * Largest coefficients-per-state ratio {@code P/h} fused in Java. Above it (dense and sparse at
     * R1's h = 128: {@code P = h²}, 0.65 GB of float32 coefficients per layer and step) the per-step
     * products are real matrix products that libtorch's batched kernels do well, while the Java
     * kernel would need four double copies of that array; such fields take the generic path.
     * ({@code -Dlincde.djl.maxCoefficientsPerState=N} overrides it, for measurements.)
     */
    public static final int MAX_COEFFICIENTS_PER_STATE =
            Integer.getInteger("lincde.djl.maxCoefficientsPerState", 64);

    private DjlKernels() {}

    /** The kernel DJL fuses for {@code field}, or empty when the field runs the generic path. */
    public static Optional<StepKernel> forField(StructuredVectorField field) {
        return StepKernels.forField(field)
                .filter(k -> k.coefficientCount() <= (long) MAX_COEFFICIENTS_PER_STATE * field.hidden());
    }
}
