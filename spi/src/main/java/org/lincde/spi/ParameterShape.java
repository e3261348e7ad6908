package org.lincde.spi;

import java.util.Arrays;

/**
 * The declared name, shape and role of one parameter of a component.
 *
 * @param name  relative name (e.g. {@code vf_A}, {@code vf_A.weight}, {@code mask})
 * @param shape its shape
 * @param role  trainable or fixed buffer
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record ParameterShape(String name, int[] shape, ParameterSet.Role role) {
    /** Number of scalars. */
    public long size() {
        return Shapes.size(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterShape p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.role == role;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (role == ParameterSet.Role.BUFFER ? " (buffer)" : "");
    }
}
