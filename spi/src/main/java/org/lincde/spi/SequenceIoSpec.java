package org.lincde.spi;

/**
 * The model specs whose inputs and outputs a {@link SequenceIo} describes (the R1 and R3 sequence models): their
 * output dimension is the I/O's, written once here.
 */
@Stability(value = Stability.Level.STABLE, since = "0.2")
public sealed interface SequenceIoSpec extends ModelSpec
        permits LstmSpec, TransformerSpec, SequenceModelSpec,
        MambaSpec, LruSpec, S5Spec, Mamba2Spec, RwkvSpec, XlstmSpec, DeltaNetSpec {
    /** What the model reads (tokens or channels) and predicts (per token or per sequence, {@code K} outputs). */
    SequenceIo io();

    /** {@code K}, the I/O's output dimension. */
    @Override
    default int outputDim() {
        return io().outputDim();
    }
}
