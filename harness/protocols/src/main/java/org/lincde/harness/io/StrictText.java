package org.lincde.harness.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.lincde.harness.config.ConfigException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the small text files a user hands lincde (JSON and YAML configs, eval inputs, checksum tables) so that
 * no file can hang, exhaust or fool the reader: only a regular file is opened (a FIFO or a device would block or
 * never end), its size is bounded, its bytes must be UTF-8 (an error names the line), and JSON/YAML is parsed
 * strictly — a duplicate key, a second document or value after the first, nesting deeper than
 * {@link #MAX_NESTING} and a number longer than {@link #MAX_NUMBER_LENGTH} digits are errors naming the source and
 * the line. Every error is a {@link ConfigException} (one line, no stack trace at the command line).
 */
public final class StrictText {
    /** The largest config file read (bytes): the authors' biggest is under 4 KB. */
    public static final long MAX_BYTES = 16L << 20;

    /** Deepest nesting of arrays and objects (the authors' configs nest 3 deep). */
    public static final int MAX_NESTING = 64;

    /** Longest number literal, in characters (a double needs at most 24). */
    public static final int MAX_NUMBER_LENGTH = 64;

    /** Longest string value, in characters. */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(4096).maxDocumentLength(MAX_BYTES).build();

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final YAMLMapper YAML;

    static {
        LoaderOptions loader = new LoaderOptions();
        loader.setNestingDepthLimit(MAX_NESTING);
        loader.setCodePointLimit((int) MAX_BYTES);
        loader.setAllowDuplicateKeys(false);
        loader.setMaxAliasesForCollections(50);
        YAML = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(loader).streamReadConstraints(LIMITS).build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private StrictText() {}

    /**
     * The UTF-8 text of {@code path}, a regular file of at most {@code maxBytes}; {@code what} names the kind of
     * file in messages ("config", "input file").
     */
    public static String read(Path path, String what, long maxBytes) {
        if (!Files.exists(path)) {
            throw new ConfigException(what + " file not found: " + path);
        }
        if (Files.isDirectory(path)) {
            throw new ConfigException(what + " " + path + " is a folder, not a file");
        }
        if (!Files.isRegularFile(path)) {
            // a FIFO would block the read forever, a device would never end
            throw new ConfigException(what + " " + path + " is not a regular file (a pipe, socket or device is not read)");
        }
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new ConfigException(what + " " + path + " is " + size + " bytes; at most " + maxBytes
                        + " are read");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes((int) maxBytes + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + " file not found: " + path);
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read " + what + " " + path + ": permission denied");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new ConfigException(what + " " + path + " grew past " + maxBytes + " bytes while being read");
        }
        return utf8(path.toString(), bytes);
    }

    /** The default bound: {@link #MAX_BYTES}. */
    public static String read(Path path, String what) {
        return read(path, what, MAX_BYTES);
    }

    /** {@code bytes} decoded as UTF-8; a malformed sequence is an error naming the source, line and column. */
    public static String utf8(String source, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstMalformed(bytes);
            int line = 1;
            int col = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    col = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    col++;
                }
            }
            throw new ConfigException(source + ":" + line + ": not UTF-8 text (byte 0x"
                    + String.format("%02x", bytes[Math.min(bad, bytes.length - 1)] & 0xff) + " at column " + col
                    + ", byte offset " + bad + ")");
        }
    }

    private static int firstMalformed(byte[] b) {
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length + 1);
        var r = dec.decode(in, out, true);
        return r.isError() ? in.position() : Math.max(0, b.length - 1);
    }

    /** Strict JSON: one value, no duplicate keys, bounded nesting and number length. */
    public static JsonNode json(String source, String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new ConfigException(source + ": empty file, expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid JSON" + where(e.getLocation()) + ": " + message(e));
        }
    }

    /** Strict YAML: one document, no duplicate keys, bounded nesting, no alias bombs. */
    public static JsonNode yaml(String source, String text) {
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonNode n = YAML.readTree(p);
            if (n == null || n.isMissingNode()) {
                throw new ConfigException(source + ": expected a YAML mapping of keys to values, got an empty document");
            }
            JsonToken next = p.nextToken();
            if (next != null) {
                throw new ConfigException(source + ": a second YAML document" + where(p.currentLocation())
                        + " (only one is read; remove it or the '---' separator)");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML" + where(e.getLocation()) + ": " + message(e));
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot parse YAML: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            // SnakeYAML's own limits (nesting, aliases, code points) surface as its runtime exceptions
            throw new ConfigException(source + ": not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String message(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        if (m.contains("Duplicate field") || m.contains("duplicate key")) {
            return "duplicate key: " + firstLine(m);
        }
        if (m.contains("Trailing token")) {
            return "more than one JSON value (only one object is read): " + firstLine(m);
        }
        return firstLine(m);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        String s = nl < 0 ? m : m.substring(0, nl);
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
}
