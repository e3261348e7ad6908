package org.lincde.harness.data.a5;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.lincde.harness.data.DataFileException;

/**
 * The word-problem CSV format of R1's {@code data_dir/illusion/A5=N.csv} (SPEC §3.1): header
 * {@code seed,input,target}, then one row per sequence
 * {@code <integer seed>,<N space-separated ids>,<N space-separated ids>} with ids in 0..59.
 *
 * <p>The reader, like R1's loader, uses only the {@code input} and {@code target} columns (the
 * seed must still be an integer). Each problem stops reading with one {@link DataFileException}
 * naming the file, the line and the offending value: a bad header, a wrong number of columns, a
 * non-integer, an id outside 0..59, a target whose length differs from its input, or a row whose
 * length differs from the first row's. Blank lines are skipped and a {@code \r} before the line
 * end is ignored.
 */
public final class A5Csv {
    /** The header line. */
    public static final String HEADER = "seed,input,target";

    private A5Csv() {
    }

    /** How target lengths are checked. */
    public enum TargetLength {
        /** Every target has its input's length N (the real files). */
        EQUAL_TO_INPUT,
        /**
         * Targets are kept as given, with one length for the whole file that is at most N. Only
         * R1's mocked-CSV test needs this (inputs of 3 ids, targets of 2); R1's loader never checks.
         */
        AS_GIVEN
    }

    /** Reads {@code file}, requiring targets as long as their inputs. */
    public static A5Dataset read(Path file) {
        return read(file, TargetLength.EQUAL_TO_INPUT);
    }

    /** Reads {@code file} with the given target-length rule. */
    public static A5Dataset read(Path file, TargetLength rule) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file, rule);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read A5 CSV " + file, e);
        }
    }

    private static A5Dataset read(BufferedReader in, Path file, TargetLength rule) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new DataFileException(file, 0, "empty file: expected header '" + HEADER + "'");
        }
        header = stripLineEnd(header);
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        if (!header.trim().equals(HEADER)) {
            throw new DataFileException(file, 1, "header is '" + header + "', expected '" + HEADER + "'");
        }
        ByteBuffer inputs = new ByteBuffer();
        ByteBuffer targets = new ByteBuffer();
        int inputLength = -1;
        int targetLength = -1;
        int rows = 0;
        long lineNo = 1;
        for (String raw = in.readLine(); raw != null; raw = in.readLine()) {
            lineNo++;
            String line = stripLineEnd(raw);
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split(",", -1);
            if (cols.length != 3) {
                throw new DataFileException(file, lineNo, "expected 3 columns (seed,input,target), found "
                        + cols.length + " in '" + line + "'");
            }
            String seed = unquote(cols[0]);
            try {
                Long.parseLong(seed);
            } catch (NumberFormatException e) {
                throw new DataFileException(file, lineNo, "seed '" + seed + "' is not an integer");
            }
            int[] input = ids(unquote(cols[1]), "input", file, lineNo);
            int[] target = ids(unquote(cols[2]), "target", file, lineNo);
            if (inputLength < 0) {
                inputLength = input.length;
                targetLength = target.length;
                if (rule == TargetLength.EQUAL_TO_INPUT && targetLength != inputLength) {
                    throw lengthMismatch(file, lineNo, input, target);
                }
                if (rule == TargetLength.AS_GIVEN && targetLength > inputLength) {
                    throw new DataFileException(file, lineNo, "target has " + targetLength
                            + " ids, more than the input's " + inputLength);
                }
            } else if (input.length != inputLength) {
                throw new DataFileException(file, lineNo, "input has " + input.length
                        + " ids but the first row has " + inputLength + " (inconsistent N)");
            } else if (target.length != targetLength) {
                throw rule == TargetLength.EQUAL_TO_INPUT ? lengthMismatch(file, lineNo, input, target)
                        : new DataFileException(file, lineNo, "target has " + target.length
                                + " ids but the first row's has " + targetLength);
            }
            inputs.add(input);
            targets.add(target);
            rows++;
        }
        if (rows == 0) {
            throw new DataFileException(file, 0, "no data rows after the header");
        }
        return new A5Dataset(rows, inputLength, targetLength, inputs.toArray(), targets.toArray());
    }

    private static DataFileException lengthMismatch(Path file, long line, int[] input, int[] target) {
        return new DataFileException(file, line, "input has " + input.length + " ids but target has "
                + target.length);
    }

    private static int[] ids(String field, String column, Path file, long line) {
        String trimmed = field.trim();
        if (trimmed.isEmpty()) {
            throw new DataFileException(file, line, "column '" + column + "' is empty");
        }
        String[] parts = trimmed.split(" +");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int id;
            try {
                id = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new DataFileException(file, line, "'" + parts[i] + "' in column '" + column
                        + "' is not an integer");
            }
            if (id < 0 || id >= A5Group.ORDER) {
                throw new DataFileException(file, line, "id " + id + " in column '" + column
                        + "' is outside 0..59");
            }
            out[i] = id;
        }
        return out;
    }

    private static String stripLineEnd(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String unquote(String field) {
        String f = field.trim();
        return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
    }

    /**
     * Writes {@code data} in the original format; every row's seed column is {@code seed} (the
     * generator seed that produced the file).
     */
    public static void write(Path file, A5Dataset data, long seed) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            StringBuilder row = new StringBuilder();
            for (int r = 0; r < data.size(); r++) {
                row.setLength(0);
                row.append(seed).append(',');
                for (int k = 0; k < data.inputLength(); k++) {
                    row.append(k == 0 ? "" : " ").append(data.inputId(r, k));
                }
                row.append(',');
                for (int k = 0; k < data.targetLength(); k++) {
                    row.append(k == 0 ? "" : " ").append(data.targetId(r, k));
                }
                row.append('\n');
                out.append(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write A5 CSV " + file, e);
        }
    }

    /** A growable byte array (ids fit in a byte). */
    private static final class ByteBuffer {
        private byte[] data = new byte[1024];
        private int size;

        void add(int[] ids) {
            if (size + ids.length > data.length) {
                long grown = Math.max((long) data.length * 2, (long) size + ids.length);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("A5 CSV too large: more than 2^31 ids");
                }
                data = Arrays.copyOf(data, (int) grown);
            }
            for (int id : ids) {
                data[size++] = (byte) id;
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
