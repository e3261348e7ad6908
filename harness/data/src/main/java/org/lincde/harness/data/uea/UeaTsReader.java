package org.lincde.harness.data.uea;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the UEA/UCR archive's {@code .ts} text format (the sktime/aeon format) for classification.
 *
 * <p>Header lines start with {@code @} ({@code @problemName}, {@code @timeStamps},
 * {@code @missing}, {@code @univariate}, {@code @dimensions}, {@code @equalLength},
 * {@code @seriesLength}, {@code @classLabel true l1 l2 …}, then {@code @data}); {@code #} lines
 * are comments. Each data line is one case: channels separated by {@code :}, values within a
 * channel by {@code ,}, the class label last. {@code ?} is a missing value (NaN); trailing
 * positions missing in every channel are padding and dropped. Cases may differ in length.
 *
 * <p>Not supported (refused with the file and line): {@code @timeStamps true} (values given as
 * {@code (t,v)} tuples), regression files ({@code @targetLabel}), files without class labels,
 * and labels not declared in {@code @classLabel}.
 */
public final class UeaTsReader {
    private UeaTsReader() {
    }

    /** Reads {@code file}. */
    public static UeaSeriesSet read(Path file) throws IOException {
        try (BufferedReader in = UeaFiles.lenientUtf8(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads the text of {@code in} (closed by the caller); {@code name} names the source in messages and in
     * {@link UeaSeriesSet#source()} (a file, or a class-path resource: {@link BundledUeaData}).
     */
    public static UeaSeriesSet read(BufferedReader in, String name) throws IOException {
        Integer dimensions = null;
        Set<String> declared = null;
        boolean inData = false;
        List<double[][]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int channels = -1;
        String raw;
        int lineNo = 0;
        while ((raw = in.readLine()) != null) {
            lineNo++;
            String line = UeaFiles.line(raw, name, lineNo);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!inData) {
                if (!line.startsWith("@")) {
                    throw new UeaFormatException(name, lineNo, "expected a header line starting with '@' before @data, got '"
                            + abbreviate(line) + "'");
                }
                String[] parts = line.split("\\s+");
                String tag = parts[0].toLowerCase(Locale.ROOT);
                switch (tag) {
                    case "@data" -> inData = true;
                    case "@timestamps" -> {
                        if (parts.length > 1 && parts[1].equalsIgnoreCase("true")) {
                            throw new UeaFormatException(name, lineNo, "@timeStamps true is not supported");
                        }
                    }
                    case "@targetlabel" -> {
                        if (parts.length > 1 && parts[1].equalsIgnoreCase("true")) {
                            throw new UeaFormatException(name, lineNo, "regression files (@targetLabel true) are not supported");
                        }
                    }
                    case "@dimensions" -> {
                        if (parts.length != 2) {
                            throw new UeaFormatException(name, lineNo, "@dimensions needs one integer, got '" + line + "'");
                        }
                        try {
                            dimensions = Integer.parseInt(parts[1]);
                        } catch (NumberFormatException e) {
                            throw new UeaFormatException(name, lineNo, "@dimensions '" + parts[1] + "' is not an integer", e);
                        }
                        if (dimensions < 1) {
                            throw new UeaFormatException(name, lineNo, "@dimensions must be ≥ 1, got " + dimensions);
                        }
                    }
                    case "@classlabel" -> {
                        if (parts.length < 2 || !parts[1].equalsIgnoreCase("true")) {
                            throw new UeaFormatException(name, lineNo, "only classification files (@classLabel true …) are supported");
                        }
                        declared = new LinkedHashSet<>();
                        for (int i = 2; i < parts.length; i++) {
                            declared.add(parts[i]);
                        }
                        if (declared.isEmpty()) {
                            throw new UeaFormatException(name, lineNo, "@classLabel true declares no labels");
                        }
                    }
                    default -> {
                        // @problemName, @missing, @univariate, @equalLength, @seriesLength: informative only
                    }
                }
                continue;
            }
            if (declared == null) {
                throw new UeaFormatException(name, lineNo, "data before any @classLabel declaration");
            }
            int colon = line.lastIndexOf(':');
            if (colon < 0) {
                throw new UeaFormatException(name, lineNo, "no ':' before the class label");
            }
            String label = line.substring(colon + 1).strip();
            if (!declared.contains(label)) {
                throw new UeaFormatException(name, lineNo, "class label '" + label + "' is not declared in @classLabel "
                        + declared);
            }
            String[] dims = line.substring(0, colon).split(":", -1);
            int expected = dimensions != null ? dimensions : (channels > 0 ? channels : dims.length);
            if (dims.length != expected) {
                throw new UeaFormatException(name, lineNo, "case has " + dims.length + " channels, expected " + expected);
            }
            channels = expected;
            List<double[]> rows = new ArrayList<>(dims.length);
            for (int c = 0; c < dims.length; c++) {
                if (dims[c].strip().startsWith("(")) {
                    throw new UeaFormatException(name, lineNo, "time-stamped values '(t,v)' are not supported");
                }
                rows.add(CaseParser.parseChannel(dims[c], name, lineNo, c));
            }
            series.add(CaseParser.toSeries(rows, name, lineNo));
            labels.add(label);
            lines.add(lineNo);
        }
        return CaseParser.finish(name, name, inData, channels, series, labels, lines);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
