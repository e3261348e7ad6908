package org.lincde.spi.structure;

import java.util.List;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;

/** Shared state and helpers of the built-in fields. */
abstract class AbstractField implements StructuredVectorField {
    final Structure structure;
    final StructureSpec spec;
    final int h;
    final int d1;

    AbstractField(Structure structure, StructureSpec spec, int hidden, int controlChannels) {
        if (hidden <= 0) {
            throw new IllegalArgumentException(structure.id() + ": hidden size must be > 0, got " + hidden);
        }
        if (controlChannels <= 0) {
            throw new IllegalArgumentException(structure.id() + ": control channels must be > 0, got "
                    + controlChannels);
        }
        this.structure = structure;
        this.spec = spec;
        this.h = hidden;
        this.d1 = controlChannels;
    }

    @Override
    public StructureSpec spec() {
        return spec;
    }

    @Override
    public Structure structure() {
        return structure;
    }

    @Override
    public int hidden() {
        return h;
    }

    @Override
    public int controlChannels() {
        return d1;
    }

    /** Normal init of every declared trainable parameter with the std {@link #initStdOf} gives it. */
    ParameterSet normalInit(Rng rng, double initStd) {
        ParameterSet p = new ParameterSet();
        for (ParameterShape s : parameters()) {
            double[] v = new double[Math.toIntExact(s.size())];
            rng.stream(s.name()).fillNormal(v, 0.0, initStdOf(s.name(), initStd));
            p.put(s.name(), org.lincde.spi.HostTensor.of(v, s.shape()), s.role());
        }
        return p;
    }

    /** The init std of parameter {@code name} given the layer's {@code init_std}. */
    double initStdOf(String name, double initStd) {
        throw new UnsupportedOperationException(name);
    }

    /** {@code m = uᵀ W} for a {@code (d+1) × cols} parameter, plain loops. */
    static double[] project(double[] u, double[] w, int d1, int cols) {
        double[] m = new double[cols];
        for (int c = 0; c < d1; c++) {
            double uc = u[c];
            int row = c * cols;
            for (int j = 0; j < cols; j++) {
                m[j] += uc * w[row + j];
            }
        }
        return m;
    }

    static List<ParameterShape> shapes(ParameterShape... s) {
        return List.of(s);
    }

    static ParameterShape trainable(String name, int... shape) {
        return new ParameterShape(name, shape, ParameterSet.Role.TRAINABLE);
    }

    static void checkU(double[] u, int d1) {
        if (u.length != d1) {
            throw new IllegalArgumentException("control increment has " + u.length + " channels, expected " + d1);
        }
    }
}
