package org.lincde.harness.cli;

import org.lincde.spi.Backend;
import org.lincde.spi.DType;

/** Picks the dtype of a run: as asked, else float32 where the backend has it (the training default). */
final class Dtypes {
    private Dtypes() {}

    static DType choose(Backend b, String asked) {
        if (asked != null) {
            DType d = DType.parse(asked);
            if (!b.capabilities().dtypes().contains(d)) {
                throw new IllegalArgumentException("backend '" + b.id() + "' does not compute in " + d.label()
                        + " (it has " + b.capabilities().dtypes() + ")");
            }
            return d;
        }
        return b.capabilities().dtypes().contains(DType.FLOAT32) ? DType.FLOAT32 : DType.FLOAT64;
    }
}
