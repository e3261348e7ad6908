package org.lincde.spi;

import java.util.Locale;

/** Floating-point precision a {@link Session} computes in. No implicit promotion: mixing is an error. */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public enum DType {
    /** IEEE binary32: the training default on native backends. */
    FLOAT32("float32"),
    /** IEEE binary64: the oracle's precision, and the precision of signatures and least squares. */
    FLOAT64("float64");

    private final String label;

    DType(String label) {
        this.label = label;
    }

    /** The lower-case name used in configs and reports ({@code float32}, {@code float64}). */
    public String label() {
        return label;
    }

    /** Parses {@code float32|float64|f32|f64} (case-insensitive); the message names the bad value. */
    public static DType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "float32": case "f32": case "fp32": return FLOAT32;
            case "float64": case "f64": case "fp64": case "double": return FLOAT64;
            default: throw new IllegalArgumentException("unknown dtype '" + text + "' (expected float32 or float64)");
        }
    }

    /** Rounds {@code v} to this precision (identity for FLOAT64). */
    public double round(double v) {
        return this == FLOAT32 ? (double) (float) v : v;
    }
}
