package org.lincde.harness.data.uea;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Expected SHA-256 checksums of downloaded files, keyed by file name (e.g.
 * {@code EigenWorms.zip}, {@code Multivariate2018_arff.zip}).
 *
 * <p><b>No built-in values.</b> lincde ships no checksums for the UEA archive's zip files: they
 * were not verifiable when this was written (no network), and a made-up checksum would be worse
 * than none. Supply them — e.g. a properties file of {@code EigenWorms.zip=<64 hex digits>}
 * lines loaded with {@link #load}, or values recorded from a first download you trust
 * ({@link UeaDownloader.Result#sha256()}). Without an entry a download is accepted unverified
 * (reported as such), unless the downloader is told to require checksums.
 *
 * @param sha256ByFile lower-case hex SHA-256 per file name
 */
public record UeaChecksums(Map<String, String> sha256ByFile) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates and copies the table (keys sorted). */
    public UeaChecksums {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, String> e : sha256ByFile.entrySet()) {
            m.put(e.getKey(), normalise(e.getValue(), "checksum for " + e.getKey()));
        }
        sha256ByFile = Map.copyOf(m);
    }

    /** No known checksums. */
    public static UeaChecksums none() {
        return new UeaChecksums(Map.of());
    }

    /** Reads a properties file of {@code fileName=sha256} lines; a bad value names the file and key. */
    public static UeaChecksums load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            m.put(key, normalise(p.getProperty(key), file + ": checksum for " + key));
        }
        return new UeaChecksums(m);
    }

    /** A copy with one more (or a replaced) entry. */
    public UeaChecksums with(String fileName, String sha256) {
        Map<String, String> m = new TreeMap<>(sha256ByFile);
        m.put(fileName, sha256);
        return new UeaChecksums(m);
    }

    /** The expected checksum of {@code fileName}, if known. */
    public Optional<String> expected(String fileName) {
        return Optional.ofNullable(sha256ByFile.get(fileName));
    }

    private static String normalise(String value, String where) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(v).matches()) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a SHA-256 (64 hex digits)");
        }
        return v;
    }
}
