package org.lincde.spi.model.baseline;

import org.lincde.spi.ModelSpec;
import org.lincde.spi.SequenceIo;

/**
 * The frame of R1's sequence models, held once: the spec, R1's input layer ({@code embedding},
 * {@code embedding2} or {@code encoder}) and its {@code linear} readout, around the layers each model writes.
 */
abstract class R1Graph<S extends ModelSpec> extends BaselineGraph {
    final S spec;
    final InputLayer input;
    final Readout readout;

    R1Graph(S spec, SequenceIo io, int width) {
        this.spec = spec;
        this.input = new InputLayer(io, width, "embedding", "embedding2", "encoder");
        this.readout = new Readout(io.output(), width, io.outputDim(), "linear");
    }

    @Override
    public final ModelSpec spec() {
        return spec;
    }
}
