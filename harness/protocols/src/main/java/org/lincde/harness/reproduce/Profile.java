package org.lincde.harness.reproduce;

import java.util.Locale;

/** How much of a paper's protocol a reproduction runs (docs/ARCHITECTURE.md "Profiles"). */
public enum Profile {
    /** Every artifact end to end in minutes on 2 CPU cores; CI runs it. Numbers are not meaningful. */
    SMOKE,
    /** The papers' qualitative claims on a laptop-class CPU: {@value #QUICK_COST}. */
    QUICK,
    /** The papers' own settings (GPU-scale). */
    PAPER;

    /**
     * The measured wall time of the whole quick profile, as the README and {@code lincde help reproduce} state
     * it (a test holds them to this text; re-measure and change all three together).
     */
    public static final String QUICK_COST = "about 1¼ hours on 2 CPU cores";

    /** Lower-case name. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code smoke|quick|paper}. */
    public static Profile parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown profile '" + s + "' (expected smoke, quick or paper)");
        }
    }
}
