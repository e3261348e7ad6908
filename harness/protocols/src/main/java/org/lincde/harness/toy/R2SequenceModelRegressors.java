package org.lincde.harness.toy;

import com.google.auto.service.AutoService;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModelSpec;

/**
 * The toy figure's trained regressors (SPEC §4.2 {@code ssm_toy.yaml}, §2.8): R2's {@code SequenceModel}
 * wrapper ({@link SequenceModelSpec}) around the S6 core ({@code mamba}) or S4D ({@code s4}), reading the
 * raw path values, GELU mixing when non-linear, a linear mixing layer otherwise, no LayerNorm, no dropout,
 * mean over time to one output.
 */
@AutoService(ToyRegressors.Provider.class)
public final class R2SequenceModelRegressors implements ToyRegressors.Provider {
    @Override
    public Optional<ToyRegressors.ToyRegressor> regressor(ToyModelKey key) {
        SequenceModelSpec.Core core = switch (key.model()) {
            case "mamba" -> SequenceModelSpec.Core.S6;
            case "s4" -> SequenceModelSpec.Core.S4D;
            default -> null;
        };
        if (core == null) {
            return Optional.empty();
        }
        SequenceModelSpec spec = new SequenceModelSpec(SequenceIo.channels(key.inputDim(), 1), core, key.hidden(),
                key.state(), key.depth(), key.nonlinear() ? SequenceModelSpec.Mix.GELU : SequenceModelSpec.Mix.LINEAR,
                false, 0.0);
        return Optional.of(new ToyRegressors.ToyRegressor(spec, UnaryOperator.identity()));
    }
}
