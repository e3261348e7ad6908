package org.lincde.harness.r2;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.lincde.harness.config.ConfigException;

/**
 * Typed, strict access to the top-level mapping of one YAML experiment config (R2's
 * {@code experiment_configs/*.yaml}): every error names the file, the key, the value and what was
 * expected; {@link #rejectUnknown} names keys the experiment does not take (R2 would fail with
 * "unexpected keyword argument"); duplicate keys are errors.
 */
final class YamlFields {
    private final String source;
    private final JsonNode node;
    private final Set<String> known = new TreeSet<>();

    private YamlFields(String source, JsonNode node) {
        this.source = source;
        this.node = node;
    }

    /** Reads {@code path}; a missing file or bad YAML is a {@link ConfigException} naming it. */
    static YamlFields read(Path path) {
        return parse(path.toString(), org.lincde.harness.io.StrictText.read(path, "config"));
    }

    /** Parses YAML text read from {@code source}. */
    static YamlFields parse(String source, String text) {
        JsonNode root = org.lincde.harness.io.StrictText.yaml(source, text);
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": expected a YAML mapping of keys to values, got "
                    + (root == null || root.isMissingNode() ? "an empty document" : root.getNodeType().toString().toLowerCase()));
        }
        return new YamlFields(source, root);
    }

    String source() {
        return source;
    }

    private JsonNode get(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    private ConfigException wrong(String key, JsonNode v, String expected) {
        return new ConfigException(source + ": key '" + key + "' must be " + expected + ", got " + v + " ("
                + v.getNodeType().toString().toLowerCase() + ")");
    }

    ConfigException missing(String key) {
        return new ConfigException(source + ": required key '" + key + "' is missing");
    }

    private static boolean isInteger(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToInt();
    }

    int requiredInt(String key) {
        JsonNode v = get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!isInteger(v)) {
            throw wrong(key, v, "an integer");
        }
        return v.asInt();
    }

    int intOr(String key, int def) {
        return node.get(key) == null || node.get(key).isNull() ? touch(key, def) : requiredInt(key);
    }

    private <V> V touch(String key, V def) {
        known.add(key);
        return def;
    }

    /** A positive integer. */
    int positiveInt(String key) {
        int v = requiredInt(key);
        if (v < 1) {
            throw new ConfigException(source + ": key '" + key + "' must be >= 1, got " + v);
        }
        return v;
    }

    long positiveLong(String key) {
        JsonNode v = get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!(v.isIntegralNumber() && v.canConvertToLong())) {
            throw wrong(key, v, "an integer");
        }
        if (v.asLong() < 1) {
            throw new ConfigException(source + ": key '" + key + "' must be >= 1, got " + v.asLong());
        }
        return v.asLong();
    }

    double requiredDouble(String key) {
        JsonNode v = get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!v.isNumber()) {
            throw wrong(key, v, "a number");
        }
        return v.asDouble();
    }

    double positiveDouble(String key) {
        double d = requiredDouble(key);
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new ConfigException(source + ": key '" + key + "' must be a positive number, got " + d);
        }
        return d;
    }

    List<Integer> positiveIntList(String key) {
        JsonNode v = get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!v.isArray() || v.isEmpty()) {
            throw wrong(key, v, "a non-empty list of integers");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!isInteger(e) || e.asInt() < 1) {
                throw new ConfigException(source + ": key '" + key + "' must list integers >= 1, got " + e + " in " + v);
            }
            out.add(e.asInt());
        }
        return List.copyOf(out);
    }

    List<String> stringList(String key, List<String> allowed) {
        JsonNode v = get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!v.isArray() || v.isEmpty()) {
            throw wrong(key, v, "a non-empty list of names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || !allowed.contains(e.asText())) {
                throw new ConfigException(source + ": key '" + key + "' lists " + e + ", expected one of " + allowed);
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    /** R2's {@code depth_nonlinears}: a list of {@code [depth, nonlinear]} pairs. */
    List<SsmToyConfig.DepthNonlinear> depthNonlinears(String key) {
        JsonNode v = get(key);
        if (v == null) {
            throw missing(key);
        }
        if (!v.isArray() || v.isEmpty()) {
            throw wrong(key, v, "a non-empty list of [depth, nonlinear] pairs");
        }
        List<SsmToyConfig.DepthNonlinear> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isArray() || e.size() != 2 || !isInteger(e.get(0)) || e.get(0).asInt() < 1 || !e.get(1).isBoolean()) {
                throw new ConfigException(source + ": key '" + key + "' must list [depth >= 1, true|false] pairs, got "
                        + e + " in " + v);
            }
            out.add(new SsmToyConfig.DepthNonlinear(e.get(0).asInt(), e.get(1).asBoolean()));
        }
        return List.copyOf(out);
    }

    /** Fails on any key the experiment does not take, naming it and the keys it takes. */
    void rejectUnknown() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!known.contains(k)) {
                throw new ConfigException(source + ": unknown key '" + k + "' (this experiment takes: " + known + ")");
            }
        }
    }
}
