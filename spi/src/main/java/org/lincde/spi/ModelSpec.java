package org.lincde.spi;

/**
 * The closed family of model specifications. Each is a record of everything that defines a
 * model's graph and parameter shapes (not its training settings). Planned members
 * (docs/ARCHITECTURE.md): {@code LogLinearCdeSpec} (R3 UEA), {@code RandomLinearCdeSpec} (R2 toy) and the
 * baselines (LSTM, RNN, S6/Mamba, LRU, S4D, S5, Transformer).
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public sealed interface ModelSpec permits LinearCdeSpec, SequenceIoSpec,
        A5LinearCdeSpec, LogLinearCdeSpec, NeuralCdeSpec {
    /** Short family name used in configs and reports ({@code lcde}, …). */
    String family();

    /** Number of output classes or values {@code K}. */
    int outputDim();
}
