package org.lincde.spi;

/** Shared field checks of the model spec records; each failure names the config key. */
final class SpecChecks {
    private SpecChecks() {}

    static void positive(String key, int v) {
        if (v <= 0) {
            throw new InvalidOptionException(key, v, "must be > 0");
        }
    }

    static void rate(String key, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new InvalidOptionException(key, p, "must be in [0, 1)");
        }
    }

    static <E> E present(String key, E value) {
        if (value == null) {
            throw new InvalidOptionException(key, null, "is required");
        }
        return value;
    }
}
