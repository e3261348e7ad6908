package org.lincde.spi;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A structure named by id plus options, resolved through the {@link StructureRegistry} (so a
 * plugin's structure is usable in any model spec). Options are text (as in a config file) and
 * are parsed by the structure with the typed getters below, whose errors name option and value.
 *
 * @param id      structure id ({@code block-diagonal}, {@code example.banded}, …)
 * @param options option name → value text
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public record StructureSpec(String id, Map<String, String> options) {
    /** Copies the options into a sorted, unmodifiable map. */
    public StructureSpec {
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** A spec with no options (defaults apply). */
    public static StructureSpec of(String id) {
        return new StructureSpec(id, Map.of());
    }

    /** A spec with alternating option names and values: {@code of("block-diagonal", "block_size", "4")}. */
    public static StructureSpec of(String id, String... nameValue) {
        if (nameValue.length % 2 != 0) {
            throw new IllegalArgumentException("options must be name/value pairs");
        }
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return new StructureSpec(id, m);
    }

    /** An integer option, or {@code defaultValue} when absent. */
    public int intOption(String name, int defaultValue) {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(id + "." + name, v, "not an integer");
        }
    }

    /** A real option, or {@code defaultValue} when absent. */
    public double doubleOption(String name, double defaultValue) {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new InvalidOptionException(id + "." + name, v, "not a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(id + "." + name, v, "not a number");
        }
    }

    /** A boolean option ({@code true|false}), or {@code defaultValue} when absent. */
    public boolean booleanOption(String name, boolean defaultValue) {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw new InvalidOptionException(id + "." + name, v, "expected true or false");
        }
    }

    /** A text option, or {@code defaultValue} when absent. */
    public String stringOption(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    /** {@code id(k=v, …)}, stable across runs (options sorted). */
    @Override
    public String toString() {
        if (options.isEmpty()) {
            return id;
        }
        StringBuilder sb = new StringBuilder(id).append('(');
        String sep = "";
        for (Map.Entry<String, String> e : options.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return sb.append(')').toString();
    }
}
