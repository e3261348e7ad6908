package org.lincde.spi;

/**
 * What training minimises: a data loss plus {@code regularizerWeight ×} the model's regulariser
 * (R1: {@code vf_A_norm_lambda · Σ_blocks ||vf_A||_F}, SPEC §4.1).
 *
 * @param loss              the data loss
 * @param regularizerWeight λ (0 disables the regulariser)
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record Objective(LossSpec loss, double regularizerWeight) {
    /** Validates λ. */
    public Objective {
        if (!(regularizerWeight >= 0) || Double.isInfinite(regularizerWeight)) {
            throw new InvalidOptionException("vf_A_norm_lambda", regularizerWeight, "must be finite and >= 0");
        }
    }

    /** R1's objective: masked cross-entropy + λ·Σ||vf_A||_F. */
    public static Objective maskedCrossEntropy(double lambda) {
        return new Objective(new LossSpec.CrossEntropy(0.0), lambda);
    }
}
