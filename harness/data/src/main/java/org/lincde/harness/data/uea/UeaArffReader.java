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
 * Reads the multivariate ARFF files of the UEA 2018 archive ({@code Multivariate2018_arff.zip}),
 * the files the Log-NCDE pipeline reads (SPEC §3.5).
 *
 * <p>Layout: {@code @relation}; one relational attribute whose inner {@code @attribute} lines are
 * the time steps, closed by {@code @end}; then a nominal class attribute
 * {@code @attribute class {a,b,…}}; then {@code @data}. Each data line is one case: a quoted
 * string holding the channels as rows separated by the two characters {@code \n}, values by
 * {@code ,}, then {@code ,label}. {@code %} lines are comments. {@code ?} is a missing value
 * (NaN); trailing positions missing in every channel are padding and dropped, so
 * variable-length data come back with their true lengths.
 *
 * <p>Refused with file and line: univariate (non-relational) ARFF, a non-nominal class
 * attribute, labels outside the declared set, malformed quoting and numbers.
 */
public final class UeaArffReader {
    private UeaArffReader() {
    }

    /** Reads {@code file}. */
    public static UeaSeriesSet read(Path file) throws IOException {
        String name = file.toString();
        boolean inRelational = false;
        boolean sawRelational = false;
        Set<String> classes = null;
        boolean inData = false;
        List<double[][]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int channels = -1;
        try (BufferedReader in = UeaFiles.lenientUtf8(file)) {
            String raw;
            int lineNo = 0;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                String line = UeaFiles.line(raw, name, lineNo);
                if (line.isEmpty() || line.startsWith("%")) {
                    continue;
                }
                if (!inData) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("@relation")) {
                        continue;
                    }
                    if (lower.startsWith("@end")) {
                        if (!inRelational) {
                            throw new UeaFormatException(file, lineNo, "@end outside a relational attribute");
                        }
                        inRelational = false;
                        continue;
                    }
                    if (lower.startsWith("@attribute")) {
                        if (inRelational) {
                            continue; // one inner attribute per time step
                        }
                        String rest = line.substring("@attribute".length()).strip();
                        String type = attributeType(rest);
                        if (type.toLowerCase(Locale.ROOT).startsWith("relational")) {
                            if (sawRelational) {
                                throw new UeaFormatException(file, lineNo, "more than one relational attribute");
                            }
                            sawRelational = true;
                            inRelational = true;
                        } else if (type.startsWith("{")) {
                            if (!type.endsWith("}")) {
                                throw new UeaFormatException(file, lineNo, "unterminated nominal value list '" + type + "'");
                            }
                            classes = new LinkedHashSet<>();
                            for (String v : type.substring(1, type.length() - 1).split(",")) {
                                String value = CaseParser.unquote(v);
                                if (!value.isEmpty()) {
                                    classes.add(value);
                                }
                            }
                        } else {
                            throw new UeaFormatException(file, lineNo, "attribute of type '" + type
                                    + "': only a relational series attribute and a nominal class attribute are supported");
                        }
                        continue;
                    }
                    if (lower.startsWith("@data")) {
                        if (!sawRelational) {
                            throw new UeaFormatException(file, lineNo,
                                    "no relational attribute: not a multivariate ARFF file of the UEA archive");
                        }
                        if (inRelational) {
                            throw new UeaFormatException(file, lineNo, "@data inside the relational attribute (missing @end)");
                        }
                        if (classes == null || classes.isEmpty()) {
                            throw new UeaFormatException(file, lineNo, "no nominal class attribute before @data");
                        }
                        inData = true;
                        continue;
                    }
                    throw new UeaFormatException(file, lineNo, "unexpected header line '" + UeaTsReader.abbreviate(line) + "'");
                }
                char quote = line.charAt(0);
                if (quote != '\'' && quote != '"') {
                    throw new UeaFormatException(file, lineNo, "a case must start with a quoted series, got '"
                            + UeaTsReader.abbreviate(line) + "'");
                }
                int close = line.indexOf(quote, 1);
                if (close < 0) {
                    throw new UeaFormatException(file, lineNo, "unterminated quoted series");
                }
                String after = line.substring(close + 1).strip();
                if (!after.startsWith(",")) {
                    throw new UeaFormatException(file, lineNo, "expected ',label' after the quoted series, got '"
                            + UeaTsReader.abbreviate(after) + "'");
                }
                String label = CaseParser.unquote(after.substring(1));
                if (!classes.contains(label)) {
                    throw new UeaFormatException(file, lineNo, "class label '" + label + "' is not declared in " + classes);
                }
                String[] rows = line.substring(1, close).split("\\\\n", -1);
                if (channels > 0 && rows.length != channels) {
                    throw new UeaFormatException(file, lineNo, "case has " + rows.length + " channels, earlier cases have "
                            + channels);
                }
                channels = rows.length;
                List<double[]> parsed = new ArrayList<>(rows.length);
                for (int c = 0; c < rows.length; c++) {
                    parsed.add(CaseParser.parseChannel(rows[c], name, lineNo, c));
                }
                series.add(CaseParser.toSeries(parsed, name, lineNo));
                labels.add(label);
                lines.add(lineNo);
            }
        }
        return CaseParser.finish(String.valueOf(file), name, inData, channels, series, labels, lines);
    }

    /** The type part of an attribute declaration: everything after the (possibly quoted) name. */
    private static String attributeType(String rest) {
        if (rest.startsWith("'") || rest.startsWith("\"")) {
            int close = rest.indexOf(rest.charAt(0), 1);
            return close < 0 ? "" : rest.substring(close + 1).strip();
        }
        String[] parts = rest.split("\\s+", 2);
        return parts.length < 2 ? "" : parts[1].strip();
    }
}
