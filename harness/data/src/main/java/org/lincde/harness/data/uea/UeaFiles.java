package org.lincde.harness.data.uea;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds and reads the files of one UEA dataset: {@code <dir>/<Name>_TRAIN.arff} and
 * {@code <Name>_TEST.arff}, or the {@code .ts} files (ARFF preferred: it is what the Log-NCDE
 * pipeline read, SPEC §3.5; both formats hold the same numbers).
 */
public final class UeaFiles {
    private UeaFiles() {
    }

    /** Reads one file, choosing the reader by its extension ({@code .ts} or {@code .arff}). */
    public static UeaSeriesSet read(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".ts")) {
            return UeaTsReader.read(file);
        }
        if (n.endsWith(".arff")) {
            return UeaArffReader.read(file);
        }
        throw new UeaFormatException(file, 0, "unknown UEA file type: expected .ts or .arff");
    }

    /**
     * A reader of {@code file} that decodes UTF-8 without stopping at a malformed byte (it becomes U+FFFD), so that
     * {@link #checkUtf8} can name the line; only a regular file is opened (a FIFO would block).
     */
    static java.io.BufferedReader lenientUtf8(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UeaFormatException(file, 0, "not a regular file");
        }
        return new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)), 1 << 16);
    }

    /** Fails naming {@code file} and {@code line} when the line held bytes that are not UTF-8. */
    static void checkUtf8(String raw, String file, int line) {
        int at = raw.indexOf('\uFFFD');
        if (at >= 0) {
            throw new UeaFormatException(file, line, "not UTF-8 text at column " + (at + 1)
                    + " (the archive's files are ASCII; was the file converted to another encoding?)");
        }
    }

    /**
     * Line {@code lineNo} of {@code file} as the readers parse it: checked to be UTF-8, stripped, without the
     * byte-order mark the first line may start with.
     */
    static String line(String raw, String file, int lineNo) {
        checkUtf8(raw, file, lineNo);
        String line = raw.strip();
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1).strip();
        }
        return line;
    }

    /**
     * The file of split {@code split} ({@code "TRAIN"} or {@code "TEST"}) of dataset {@code name}
     * in {@code dir}; fails naming both candidates when neither exists.
     */
    public static Path locate(Path dir, String name, String split) {
        Path arff = dir.resolve(name + "_" + split + ".arff");
        if (Files.isRegularFile(arff)) {
            return arff;
        }
        Path ts = dir.resolve(name + "_" + split + ".ts");
        if (Files.isRegularFile(ts)) {
            return ts;
        }
        throw new IllegalArgumentException("UEA dataset " + name + ": neither " + arff + " nor " + ts + " exists");
    }
}
