package org.lincde.spi.structure;

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
}
