package org.lincde.spi.structure;

import java.util.List;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Stability;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;

/**
 * A base class for {@link StructuredVectorField}s, the built-in ones and plugins': it holds the
 * structure, spec, hidden size {@code h} and control channels {@code d+1} (validated: both
 * {@code > 0}, or an {@link InvalidOptionException} naming {@code <structure id>.hidden} or
 * {@code .control_channels}), answers the four accessors, and offers the small helpers most fields
 * need: declaring trainable parameters, the normal initialisation from named {@link Rng} streams, the
 * projection {@code m = uᵀW} of the dense reference matrices. A subclass still writes its math:
 * {@link #parameters}, {@link #coefficients}, {@link #apply}, {@link #denseMatrix} and the rest.
 */
@Stability(value = Stability.Level.STABLE, since = "0.2")
public abstract class AbstractField implements StructuredVectorField {
    /** The structure that configured this field. */
    protected final Structure structure;
    /** The spec it was configured from. */
    protected final StructureSpec spec;
    /** Hidden size {@code h}. */
    protected final int h;
    /** Control channels {@code d+1}. */
    protected final int d1;

    /**
     * @param structure       the configuring structure (its id names the field in messages)
     * @param spec            the spec, options already validated by the structure
     * @param hidden          hidden size {@code h > 0}
     * @param controlChannels control channels {@code d+1 > 0}
     */
    protected AbstractField(Structure structure, StructureSpec spec, int hidden, int controlChannels) {
        if (hidden <= 0) {
            throw new InvalidOptionException(structure.id() + ".hidden", hidden, "the hidden size must be > 0");
        }
        if (controlChannels <= 0) {
            throw new InvalidOptionException(structure.id() + ".control_channels", controlChannels, "must be > 0");
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

    /**
     * Normal initialisation of every declared parameter: {@code N(0, σ²)} with {@code σ} from
     * {@link #initStdOf}, each drawn from the stream {@code rng.stream(name)}.
     */
    protected ParameterSet normalInit(Rng rng, double initStd) {
        ParameterSet p = new ParameterSet();
        for (ParameterShape s : parameters()) {
            double[] v = new double[Math.toIntExact(s.size())];
            rng.stream(s.name()).fillNormal(v, 0.0, initStdOf(s.name(), initStd));
            p.put(s.name(), HostTensor.of(v, s.shape()), s.role());
        }
        return p;
    }

    /** The init std of parameter {@code name} given the layer's {@code init_std} (for {@link #normalInit}). */
    protected double initStdOf(String name, double initStd) {
        throw new UnsupportedOperationException(name);
    }

    /** {@code m = uᵀ W} for a {@code (d+1) × cols} parameter {@code w}, plain loops. */
    protected static double[] project(double[] u, double[] w, int d1, int cols) {
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

    /** The declared parameters, in order. */
    protected static List<ParameterShape> shapes(ParameterShape... s) {
        return List.of(s);
    }

    /** A trainable parameter of {@code shape}. */
    protected static ParameterShape trainable(String name, int... shape) {
        return new ParameterShape(name, shape, ParameterSet.Role.TRAINABLE);
    }

    /** Checks that a control increment has {@code d+1} channels. */
    protected static void checkU(double[] u, int d1) {
        if (u.length != d1) {
            throw new IllegalArgumentException("control increment has " + u.length + " channels, expected " + d1);
        }
    }
}
