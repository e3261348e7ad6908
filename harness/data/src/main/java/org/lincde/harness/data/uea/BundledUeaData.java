package org.lincde.harness.data.uea;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two small UEA datasets shipped inside lincde, BasicMotions and JapaneseVowels: the archive's {@code .ts}
 * files as class-path resources under {@value #RESOURCE_DIR} (its README gives their source, sktime's bundled
 * data, and licence, BSD-3-Clause), so that {@code uea-mini} runs on a fresh clone with no network.
 *
 * <p>Every file is hashed as it is read and refused, naming the file and both sums, when its SHA-256 differs
 * from the one in {@code SHA256SUMS} beside it: a damaged copy never trains silently.
 */
public final class BundledUeaData {
    /** The class-path folder of the shipped files, {@code SHA256SUMS}, README and LICENSE. */
    public static final String RESOURCE_DIR = "org/lincde/harness/data/uea/bundled/";

    /** The datasets shipped, in the order {@code uea-mini} shows them. */
    public static final List<String> NAMES = List.of("BasicMotions", "JapaneseVowels");

    /** Where the shipped files live in the source tree (for messages: how to restore a damaged copy). */
    public static final String SOURCE_DIR = "harness/data/src/main/resources/" + RESOURCE_DIR;

    private static final Pattern SUM_LINE = Pattern.compile("([0-9a-f]{64}) [ *]([A-Za-z0-9_./-]+)");

    private BundledUeaData() {
    }

    /** Whether lincde ships dataset {@code name}. */
    public static boolean contains(String name) {
        return NAMES.contains(name);
    }

    /** A short description of the shipped copies, for pages and messages. */
    public static String description() {
        return "lincde's bundled copy (" + SOURCE_DIR + ", SHA-256 checked)";
    }

    /**
     * The expected SHA-256 per file, keyed by its path below {@value #RESOURCE_DIR} (e.g.
     * {@code BasicMotions/BasicMotions_TRAIN.ts}), read from {@code SHA256SUMS} ({@code sha256sum}'s format).
     */
    public static Map<String, String> checksums() throws IOException {
        String text = new String(resource("SHA256SUMS"), StandardCharsets.UTF_8);
        Map<String, String> sums = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = SUM_LINE.matcher(line);
            if (!m.matches()) {
                throw new IOException(RESOURCE_DIR + "SHA256SUMS:" + (i + 1) + ": expected '<64 hex digits>  <file>',"
                        + " got '" + UeaTsReader.abbreviate(line) + "'");
            }
            sums.put(m.group(2), m.group(1));
        }
        return sums;
    }

    /** The path below {@value #RESOURCE_DIR} of split {@code split} ({@code TRAIN} or {@code TEST}) of {@code name}. */
    public static String file(String name, String split) {
        return name + "/" + name + "_" + split + ".ts";
    }

    /** Reads both splits of {@code name}, checksums checked, and combines them as {@link UeaRawDataset#load} does. */
    public static UeaRawDataset load(String name) throws IOException {
        if (!contains(name)) {
            throw new IllegalArgumentException("UEA dataset " + name + " is not shipped with lincde (shipped: " + NAMES
                    + ")");
        }
        Map<String, String> sums = checksums();
        UeaSeriesSet train = read(file(name, "TRAIN"), resource(file(name, "TRAIN")), sums);
        UeaSeriesSet test = read(file(name, "TEST"), resource(file(name, "TEST")), sums);
        return UeaRawDataset.combine(name, train, test);
    }

    /**
     * Parses {@code bytes} as the shipped file {@code relative} after checking their SHA-256 against
     * {@code sums}; a file with no sum, or a different one, is refused.
     */
    static UeaSeriesSet read(String relative, byte[] bytes, Map<String, String> sums) throws IOException {
        String where = "classpath:" + RESOURCE_DIR + relative;
        String expected = sums.get(relative);
        if (expected == null) {
            throw new IOException(where + ": no SHA-256 for it in " + RESOURCE_DIR + "SHA256SUMS");
        }
        String actual = sha256(bytes);
        if (!expected.equals(actual)) {
            throw new ChecksumMismatchException(where, expected, actual, "this copy of lincde is damaged: restore "
                    + SOURCE_DIR + relative + " (git checkout) and rebuild");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8))) {
            return UeaTsReader.read(in, where);
        }
    }

    private static byte[] resource(String relative) throws IOException {
        try (InputStream in = BundledUeaData.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + relative)) {
            if (in == null) {
                throw new IOException("classpath:" + RESOURCE_DIR + relative + " is missing: this build of lincde lacks"
                        + " its bundled UEA data (" + SOURCE_DIR + ")");
            }
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
