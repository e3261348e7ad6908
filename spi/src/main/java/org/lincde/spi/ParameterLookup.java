package org.lincde.spi;

/**
 * Resolves a parameter by its name relative to the component asking ({@code "vf_A"} inside a
 * structure, {@code "init_layer.weight"} inside a layer) to the backend's tensor.
 *
 * @param <T> the backend's tensor type
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
@FunctionalInterface
public interface ParameterLookup<T> {
    /** The tensor named {@code name}; an unknown name is an error naming it. */
    T get(String name);

    /** A lookup that prepends {@code prefix} to every name. */
    default ParameterLookup<T> scoped(String prefix) {
        return name -> get(prefix + name);
    }
}
