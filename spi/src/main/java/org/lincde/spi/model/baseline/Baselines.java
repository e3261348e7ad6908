package org.lincde.spi.model.baseline;

import java.util.Optional;
import org.lincde.spi.LruSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.S5Spec;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.model.ModelGraph;

/** Resolves a baseline {@link ModelSpec} (SPEC §2) to its graph; {@code Models.graph} delegates here. */
public final class Baselines {
    private Baselines() {}

    /** The graph of a baseline spec, or empty when {@code spec} is not a baseline. */
    public static Optional<ModelGraph> graph(ModelSpec spec) {
        if (spec instanceof LstmSpec s) {
            return Optional.of(new StackedLstm(s));
        }
        if (spec instanceof TransformerSpec s) {
            return Optional.of(new CausalTransformer(s));
        }
        if (spec instanceof SequenceModelSpec s) {
            return Optional.of(new R2SequenceModel(s));
        }
        if (spec instanceof MambaSpec s) {
            return Optional.of(s.template() == MambaSpec.Template.R1_POSTNORM ? new StackedMamba(s) : R3SsmModel.of(s));
        }
        if (spec instanceof org.lincde.spi.Mamba2Spec s) {
            return Optional.of(new StackedMamba2(s)); // R1's Mamba2 baseline, docs/models/mamba2.md
        }
        if (spec instanceof org.lincde.spi.RwkvSpec s) {
            return Optional.of(new StackedRwkv(s)); // R1's fla RWKV-6/7 baselines, docs/models/rwkv.md
        }
        if (spec instanceof LruSpec s) {
            return Optional.of(R3SsmModel.of(s));
        }
        if (spec instanceof S5Spec s) {
            return Optional.of(R3SsmModel.of(s));
        }
        if (spec instanceof org.lincde.spi.XlstmSpec s) {
            return Optional.of(new XlstmStack(s)); // mLSTM / sLSTM / xLSTM, docs/models/xlstm.md
        }
        if (spec instanceof org.lincde.spi.DeltaNetSpec s) {
            return Optional.of(new StackedDeltaNet(s)); // R1 models/fla.py, models/deltanet2.py
        }
        return Optional.empty();
    }
}
