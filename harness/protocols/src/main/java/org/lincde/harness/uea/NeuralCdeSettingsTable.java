package org.lincde.harness.uea;

import java.util.EnumMap;
import java.util.Map;

/**
 * The neural CDEs' per-dataset settings: {@link #paper} are R3's
 * {@code experiment_configs/repeats/{ncde,nrde,log_ncde}/<dataset>.json} (values copied verbatim, dt0 included);
 * {@link #mini} are lincde's own for the two small datasets of {@code uea-mini} (not from any paper).
 */
final class NeuralCdeSettingsTable {
    private NeuralCdeSettingsTable() {
    }

    /** R3's settings on one of the six paper datasets (empty for any other). */
    static Map<NeuralCdeModel, NeuralCdeSettings> paper(String dataset) {
        return switch (dataset) {
            case "EigenWorms" -> of(
                    NeuralCdeSettings.ncde(true, 1e-3, 128, 3, 128, 5.560189046427579e-05),
                    NeuralCdeSettings.nrde(false, 1e-3, 64, 3, 64, 0.00022237046920169, 2, 4),
                    NeuralCdeSettings.logNcde(true, 1e-3, 128, 2, 32, 0.00066711140760507, 2, 12, 1e-3));
            case "EthanolConcentration" -> of(
                    NeuralCdeSettings.ncde(true, 1e-3, 128, 4, 128, 0.0005707762557077625),
                    NeuralCdeSettings.nrde(true, 1e-3, 64, 4, 128, 0.0005707762557077625, 1, 1),
                    NeuralCdeSettings.logNcde(true, 1e-4, 64, 3, 64, 0.0005707762557077625, 1, 1, 1e-6));
            case "Heartbeat" -> of(
                    NeuralCdeSettings.ncde(true, 1e-3, 128, 4, 128, 0.002),
                    NeuralCdeSettings.nrde(false, 1e-3, 64, 3, 128, 0.002, 2, 2),
                    NeuralCdeSettings.logNcde(true, 1e-3, 16, 3, 128, 0.002, 2, 2, 1e-6));
            case "MotorImagery" -> of(
                    NeuralCdeSettings.ncde(true, 1e-3, 16, 4, 128, 0.0003332222592469177),
                    NeuralCdeSettings.nrde(false, 1e-4, 128, 4, 128, 0.0003332222592469177, 1, 1),
                    NeuralCdeSettings.logNcde(false, 1e-3, 16, 3, 64, 0.002, 2, 16, 1e-3));
            case "SelfRegulationSCP1" -> of(
                    NeuralCdeSettings.ncde(false, 1e-4, 128, 4, 128, 0.0011148272017837235),
                    NeuralCdeSettings.nrde(true, 1e-3, 64, 4, 128, 0.0011148272017837235, 1, 1),
                    NeuralCdeSettings.logNcde(false, 1e-4, 64, 3, 128, 0.002, 2, 16, 0.0));
            case "SelfRegulationSCP2" -> of(
                    NeuralCdeSettings.ncde(false, 1e-3, 128, 4, 128, 0.0008673026886383347),
                    NeuralCdeSettings.nrde(true, 1e-4, 128, 4, 128, 0.0008673026886383347, 1, 1),
                    NeuralCdeSettings.logNcde(false, 1e-4, 128, 2, 32, 0.002, 2, 4, 1e-3));
            default -> Map.of();
        };
    }

    /**
     * lincde's settings for BasicMotions (L = 100) and JapaneseVowels (L = 29): time channel, lr 1e−3, h = 16, an MLP
     * of depth 2 and width 32 (R3's grid holds these), log-signature depth 2 with the linear NCDEs' mini stepsizes
     * (4 and 2), Log-NCDE's scale 1000 and λ = 1e−3 (R3's values); dt0 = 1/L for NCDE (one Heun step per observation,
     * as R3's NCDE configs) and one step per interval for NRDE and Log-NCDE (dt0 = s/L).
     */
    static Map<NeuralCdeModel, NeuralCdeSettings> mini(String dataset) {
        return switch (dataset) {
            case "BasicMotions" -> of(
                    NeuralCdeSettings.ncde(true, 1e-3, 16, 2, 32, 0.01),
                    NeuralCdeSettings.nrde(true, 1e-3, 16, 2, 32, 0.04, 2, 4),
                    NeuralCdeSettings.logNcde(true, 1e-3, 16, 2, 32, 0.04, 2, 4, 1e-3));
            case "JapaneseVowels" -> of(
                    NeuralCdeSettings.ncde(true, 1e-3, 16, 2, 32, 1.0 / 29),
                    NeuralCdeSettings.nrde(true, 1e-3, 16, 2, 32, 2.0 / 29, 2, 2),
                    NeuralCdeSettings.logNcde(true, 1e-3, 16, 2, 32, 2.0 / 29, 2, 2, 1e-3));
            default -> Map.of();
        };
    }

    private static Map<NeuralCdeModel, NeuralCdeSettings> of(NeuralCdeSettings ncde, NeuralCdeSettings nrde,
                                                            NeuralCdeSettings logNcde) {
        Map<NeuralCdeModel, NeuralCdeSettings> m = new EnumMap<>(NeuralCdeModel.class);
        m.put(NeuralCdeModel.NCDE, ncde);
        m.put(NeuralCdeModel.NRDE, nrde);
        m.put(NeuralCdeModel.LOG_NCDE, logNcde);
        return m;
    }
}
