package org.lincde.spi.structure;

import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * The built-in fields: their coefficient maps are products {@code u·W} (or {@code u·tanh(W)}), which
 * act row by row, so they declare {@link #rowWiseCoefficients()}.
 */
abstract class BuiltInField extends AbstractField {
    BuiltInField(Structure structure, StructureSpec spec, int hidden, int controlChannels) {
        super(structure, spec, hidden, controlChannels);
    }

    @Override
    public boolean rowWiseCoefficients() {
        return true;
    }

    /** The normal initialisation of every declared parameter (std from {@link #initStdOf}). */
    @Override
    public ParameterSet initialize(Rng rng, double initStd) {
        return normalInit(rng, initStd);
    }

    /** The {@code h×h} row-major matrix with {@code a} ({@code a.length ≤ h}) leading its diagonal, 0 elsewhere. */
    static double[] diagonalMatrix(double[] a, int h) {
        double[] m = new double[h * h];
        for (int i = 0; i < a.length; i++) {
            m[i * h + i] = a[i];
        }
        return m;
    }
}
