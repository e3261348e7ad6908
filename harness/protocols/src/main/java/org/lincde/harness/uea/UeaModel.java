package org.lincde.harness.uea;

import java.util.ArrayList;
import java.util.List;

/**
 * What an R3-protocol UEA run trains (SPEC §4.3): a linear-NCDE variant ({@link LinearNcdeVariant}, on
 * log-signatures of the scaled series), one of R3's SSM baselines ({@link R3Baseline}: LRU, S5, S6, Mamba,
 * on the raw series) or one of R3's neural CDEs ({@link NeuralCdeModel}: NCDE, NRDE, Log-NCDE, on the unscaled
 * series). All are enums, so every model is a constant of one of three closed families.
 */
public sealed interface UeaModel permits LinearNcdeVariant, R3Baseline, NeuralCdeModel {

    /** R3's {@code model_name} ({@code bd_linear_ncde}, {@code lru}, {@code S5}, …). */
    String modelName();

    /** The paper's row label ({@code BD-LNCDE}, {@code LRU}, …). */
    String label();

    /** Every model: the linear-NCDE variants, the baselines, then the neural CDEs (NCDE, NRDE, Log-NCDE). */
    static List<UeaModel> all() {
        List<UeaModel> out = new ArrayList<>(List.of(LinearNcdeVariant.values()));
        out.addAll(List.of(R3Baseline.values()));
        out.addAll(List.of(NeuralCdeModel.values()));
        return List.copyOf(out);
    }

    /**
     * Parses an R3 model name ({@code bd_linear_ncde}, {@code lru}), a label ({@code BD-LNCDE}, {@code Mamba})
     * or an enum constant name, ignoring case.
     *
     * @throws IllegalArgumentException naming the input and every known model name
     */
    static UeaModel parse(String s) {
        String t = s == null ? "" : s.trim();
        for (UeaModel m : all()) {
            if (m.modelName().equalsIgnoreCase(t) || m.label().equalsIgnoreCase(t)
                    || ((Enum<?>) m).name().equalsIgnoreCase(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown UEA model '" + s + "' (known: "
                + all().stream().map(UeaModel::modelName).toList() + ")");
    }
}
