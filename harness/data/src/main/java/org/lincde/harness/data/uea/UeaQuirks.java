package org.lincde.harness.data.uea;

/**
 * Dataset-specific constants of the Log-NCDE code base that are not in any config file
 * (SPEC §3.5 item 6), as a documented helper for whoever builds a linear-NCDE run.
 *
 * <p>[QUIRK] In training and evaluation the linear-NCDE models divide every log-signature
 * coordinate by 10 on Heartbeat; the DPLR variant divides by 100 on Heartbeat and MotorImagery
 * instead. Other models (the SSM baselines read raw series) and datasets: 1.
 */
public final class UeaQuirks {
    private UeaQuirks() {
    }

    /**
     * The divisor for the log-signature coordinates of a linear-NCDE model on {@code dataset}
     * (the archive's name, e.g. {@code "Heartbeat"}); {@code dplr} for the DPLR variant.
     */
    public static double linearNcdeLogSignatureDivisor(String dataset, boolean dplr) {
        return switch (dataset) {
            case "Heartbeat" -> dplr ? 100.0 : 10.0;
            case "MotorImagery" -> dplr ? 100.0 : 1.0;
            default -> 1.0;
        };
    }
}
