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
            .build();

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
