package org.lincde.harness.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict access to the fields of one JSON object read from {@code source}: every error names
 * the source, the key, the value and what was expected; {@link #rejectUnknown} names keys nobody read.
 */
final class JsonFields {
    private final String source;
    private final ObjectNode node;
    private final Set<String> read = new TreeSet<>();

    JsonFields(String source, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(source + ": expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        this.source = source;
        this.node = (ObjectNode) node;
        Iterator<Map.Entry<String, JsonNode>> it = this.node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                // an explicit null would silently become the default (e.g. "model_name": null → lcde)
                throw new ConfigException(source + ": key '" + e.getKey() + "' is null: give a value or leave the "
                        + "key out for its default");
            }
        }
    }

    String source() {
        return source;
    }

    boolean has(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** Whether {@code key} holds a string (e.g. {@code slstm_at: "all"} beside its list form). */
    boolean isString(String key) {
        JsonNode v = get(key);
        return v != null && v.isTextual();
    }

    private JsonNode get(String key) {
        read.add(key);
        return node.get(key);
    }

    private ConfigException wrong(String key, JsonNode v, String expected) {
        return new ConfigException(source + ": key '" + key + "' must be " + expected + ", got " + v
                + " (" + v.getNodeType().toString().toLowerCase() + ")");
    }

    String string(String key, String def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isTextual()) {
            throw wrong(key, v, "a string");
        }
        return v.asText();
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null) {
            throw missing(key);
        }
        return s;
    }

    long longValue(String key, Long def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw missing(key);
            }
            return def;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 1e15) {
            return (long) v.asDouble();
        }
        throw wrong(key, v, "an integer");
    }

    int intValue(String key, Integer def) {
        long l = longValue(key, def == null ? null : (long) def);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new ConfigException(source + ": key '" + key + "' = " + l + " is out of range");
        }
        return (int) l;
    }

    double doubleValue(String key, Double def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw missing(key);
            }
            return def;
        }
        if (!v.isNumber()) {
            throw wrong(key, v, "a number");
        }
        return v.asDouble();
    }

    boolean bool(String key, boolean def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw wrong(key, v, "true or false");
        }
        return v.asBoolean();
    }

    List<Integer> intList(String key, List<Integer> def) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isArray()) {
            throw wrong(key, v, "a list of integers");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isIntegralNumber()) {
                throw wrong(key, v, "a list of integers");
            }
            out.add(e.asInt());
        }
        return out;
    }

    /** A flat object of scalar values as text (e.g. structure options). */
    Map<String, String> stringMap(String key) {
        JsonNode v = get(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw wrong(key, v, "an object of option values");
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new ConfigException(source + ": key '" + key + "." + e.getKey() + "' must be a number, string or boolean");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    ConfigException missing(String key) {
        return new ConfigException(source + ": required key '" + key + "' is missing");
    }

    /** Fails on any key that was never read, naming it and the known keys. */
    void rejectUnknown(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!read.contains(k) && !known.contains(k)) {
                throw new ConfigException(source + ": unknown key '" + k + "' (known keys: " + new TreeSet<>(known) + ")");
            }
        }
    }
}
