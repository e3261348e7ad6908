package org.lincde.tables.artifacts;

/**
 * Rows of the SLiCE tables that the authors' R1 code cannot produce and lincde builds itself: every table
 * marks them with a dagger and its page carries {@link #NOTE} (docs/protocols/fidelity.md, "D-DE in R1's
 * stack").
 */
final class LincdeConstructions {
    private LincdeConstructions() {}

    /** The footnote that goes with the dagger. */
    static final String NOTE = "† D-DE-LNCDE in R1's stack is lincde's construction: R1 has no diagonal-dense "
            + "structure, so lincde plugs R3's (the first h−b state dimensions diagonal, the last b dense) into R1's "
            + "stacked model with R1's rules: init N(0, init_std²) for the diagonal part and N(0, (init_std/√b)²) for "
            + "the dense block, the tanh clip, dt = 1/40 and R1's regulariser λ·‖vf_A‖ on both parts (λ = 1e-3). "
            + "R3's own D-DE (the UEA model, models/LinearNeuralCDEs.py) initialises with w_init_std = 0.25 and has no "
            + "regulariser (train.py applies λ only to Log-NCDEs). The paper does not say how its row was trained.";

    /** {@code label}, with the dagger if the row is lincde's construction. */
    static String label(String label) {
        return isConstruction(label) ? label + " †" : label;
    }

    /** Whether the row {@code label} is lincde's construction (a D-DE model in R1's stack). */
    static boolean isConstruction(String label) {
        return label.startsWith("D-DE") && label.endsWith("-LNCDE");
    }
}
