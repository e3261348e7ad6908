package org.lincde.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The published numbers (the resource {@code paper_targets.json}, the machine-readable copy of
 * {@code docs/PAPER_RESULTS.md}), read once. Provenance of every number is in that file's {@code source}
 * strings and in {@code docs/PAPER_RESULTS.md}.
 */
public final class PaperTargets {
    private static final JsonNode ROOT = load();

    private PaperTargets() {}

    private static JsonNode load() {
        try (InputStream in = PaperTargets.class.getResourceAsStream("paper_targets.json")) {
            if (in == null) {
                throw new IllegalStateException("paper_targets.json missing from the paper-tables jar");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole document. */
    public static JsonNode root() {
        return ROOT;
    }

    /** A top-level section by name (e.g. {@code A_slice_regular_language_table}). */
    public static JsonNode section(String name) {
        JsonNode n = ROOT.get(name);
        if (n == null) {
            throw new IllegalArgumentException("paper_targets.json has no section '" + name + "'");
        }
        return n;
    }

    /** A published value with its spread (std, or 0 when none was published). */
    public record Published(double mean, double std) {
        /** Whether {@code measured} lies within {@code mean ± 2·std} (values in the same unit). */
        public boolean within2Std(double measured) {
            return Math.abs(measured - mean) <= 2 * std + 1e-9;
        }

        /** {@code "81.3 ± 12.2"}. */
        public String text() {
            return String.format("%.1f ± %.1f", mean, std);
        }
    }
}
