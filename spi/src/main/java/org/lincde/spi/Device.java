package org.lincde.spi;

import java.util.Locale;

/** Where a {@link Session} computes. GPU paths are always optional: CI never has one. */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public enum Device {
    /** The host CPU. */
    CPU,
    /** A CUDA GPU, when the backend's native artifact and a driver are present. */
    GPU;

    /** Parses {@code cpu|gpu|cuda} (case-insensitive). */
    public static Device parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "cpu": return CPU;
            case "gpu": case "cuda": return GPU;
            default: throw new IllegalArgumentException("unknown device '" + text + "' (expected cpu or gpu)");
        }
    }
}
