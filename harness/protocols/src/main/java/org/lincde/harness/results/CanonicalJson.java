package org.lincde.harness.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one JSON writer used for hashing, storing and diffing (Tribuo's lesson): sorted keys, no
 * insignificant whitespace in the hashed form, pretty-printed in files. A run's key is the SHA-256 of
 * the canonical form of its resolved config, so it does not depend on field order or machine.
 */
public final class CanonicalJson {
    /** Sorted keys, compact. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(nonFiniteAsNull())
            .build();

    /**
     * A number that is not finite (the training loss before any step, an accuracy a run never measured) is written
     * as JSON {@code null}, never as the string {@code "NaN"} a JSON reader would take for text; {@code null} (and
     * the strings older records hold) read back as NaN.
     */
    private static com.fasterxml.jackson.databind.Module nonFiniteAsNull() {
        var m = new com.fasterxml.jackson.databind.module.SimpleModule("lincde-non-finite");
        var ser = new com.fasterxml.jackson.databind.JsonSerializer<Double>() {
            @Override
            public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g,
                                  com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
                if (v == null || !Double.isFinite(v)) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
        };
        m.addSerializer(Double.class, ser);
        m.addSerializer(double.class, ser);
        m.addDeserializer(Double.class, new NonFinite());
        m.addDeserializer(double.class, new NonFinite());
        return m;
    }

    /** Reads a number, {@code null} (NaN) or the text of a non-finite number. */
    private static final class NonFinite extends com.fasterxml.jackson.databind.JsonDeserializer<Double> {
        @Override
        public Double deserialize(com.fasterxml.jackson.core.JsonParser p,
                                  com.fasterxml.jackson.databind.DeserializationContext ctx) throws java.io.IOException {
            if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                String t = p.getText().strip();
                switch (t) {
                    case "NaN": return Double.NaN;
                    case "Infinity": return Double.POSITIVE_INFINITY;
                    case "-Infinity": return Double.NEGATIVE_INFINITY;
                    default:
                        try {
                            return Double.parseDouble(t);
                        } catch (NumberFormatException e) {
                            return (Double) ctx.handleWeirdStringValue(Double.class, t, "not a number");
                        }
                }
            }
            if (!p.currentToken().isNumeric()) {
                return (Double) ctx.handleUnexpectedToken(Double.class, p);
            }
            return p.getDoubleValue();
        }

        @Override
        public Double getNullValue(com.fasterxml.jackson.databind.DeserializationContext ctx) {
            return Double.NaN;
        }
    }

    private CanonicalJson() {}

    /** The canonical compact text of {@code value}. */
    public static String compact(Object value) {
        try {
            JsonNode tree = MAPPER.valueToTree(value);
            return MAPPER.writeValueAsString(sortTree(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical pretty text of {@code value} (for files people read). */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sortTree(MAPPER.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sortTree(JsonNode n) {
        if (n.isObject()) {
            var sorted = MAPPER.createObjectNode();
            java.util.List<String> names = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            for (String k : names) {
                sorted.set(k, sortTree(n.get(k)));
            }
            return sorted;
        }
        if (n.isArray()) {
            var arr = MAPPER.createArrayNode();
            n.forEach(e -> arr.add(sortTree(e)));
            return arr;
        }
        return n;
    }

    /** First 16 hex digits of the SHA-256 of the canonical compact form. */
    public static String key(Object value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(compact(value).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", d[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
