package org.lincde.spi;

import java.util.List;

/**
 * A family of structured vector fields: the plugin point of lincde (a {@link java.util.ServiceLoader}
 * service; register implementations with {@code @AutoService(Structure.class)}).
 *
 * <p>A structure restricts each matrix {@code A_i} of the Linear CDE {@code dy = Σ_i A_i y dω^i}
 * (SPEC §1.0). Implementations are written once: a dense reference {@code A(u)} in plain
 * {@code double[]} math, and a differentiable transition over {@link TensorOps}, so a plugin runs
 * on every backend with no backend code. A field may also offer a fused step kernel
 * ({@link StructuredVectorField#stepKernel()}), which backends with fused recurrences then run.
 *
 * <p>Providers must be cheap to construct: no I/O and no native code in the constructor,
 * {@link #id()} or {@link #options()}.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface Structure {

    /**
     * Unique id. Built-in ids are reserved ({@code dense}, {@code diagonal}, {@code block-diagonal},
     * {@code sparse}, {@code walsh-hadamard}, {@code dplr}, {@code diagonal-dense}); plugin ids are
     * namespaced ({@code example.banded}).
     */
    String id();

    /** The paper's short name for a configured instance, e.g. {@code BD4-LNCDE}. */
    String label(StructureSpec spec);

    /** One line for {@code lincde structures}. */
    String description();

    /** The options this structure accepts, with defaults, for help texts and listings. */
    List<Option> options();

    /**
     * Validates {@code spec} for hidden size {@code h} and {@code controlChannels} control channels
     * ({@code d+1} in R1: the time channel plus {@code d} inputs) and returns the configured field.
     *
     * @throws InvalidOptionException naming the option and value when an option is out of range
     */
    StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec);

    /** The SPI major version this provider was built against ({@link Spi#VERSION}). */
    default int spiVersion() {
        return Spi.VERSION;
    }

    /** Provider version, from its jar manifest when available. */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * One accepted option.
     *
     * @param name         option key as written in configs ({@code block_size})
     * @param defaultValue default as text
     * @param description  what it means and its valid range
     */
    record Option(String name, String defaultValue, String description) {}
}
