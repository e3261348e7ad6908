package org.lincde.tables.render;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lincde.harness.io.AtomicFiles;

/**
 * A plain table of text cells written as Markdown (GitHub pipes), CSV (RFC 4180 quoting) and LaTeX
 * (booktabs). Artifacts build their tables once and write every format from the same cells.
 */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table with these column headers. */
    public Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** Appends a row; its size must match the header. */
    public Table row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header has " + header.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /** Column headers. */
    public List<String> header() {
        return header;
    }

    /** Rows in order. */
    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** GitHub-flavoured Markdown. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i == 0 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return sb.toString();
    }

    /** CSV with RFC 4180 quoting. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(csvLine(header));
        rows.forEach(r -> sb.append(csvLine(r)));
        return sb.toString();
    }

    private static String csvLine(List<String> cells) {
        List<String> q = new ArrayList<>();
        for (String c : cells) {
            q.add(c.contains(",") || c.contains("\"") || c.contains("\n") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return String.join(",", q) + "\n";
    }

    /** A LaTeX {@code tabular} with booktabs rules. */
    public String latex() {
        StringBuilder sb = new StringBuilder("\\begin{tabular}{l" + "r".repeat(header.size() - 1) + "}\n\\toprule\n");
        sb.append(String.join(" & ", header.stream().map(Table::tex).toList())).append(" \\\\\n\\midrule\n");
        for (List<String> r : rows) {
            sb.append(String.join(" & ", r.stream().map(Table::tex).toList())).append(" \\\\\n");
        }
        return sb.append("\\bottomrule\n\\end{tabular}\n").toString();
    }

    private static String tex(String s) {
        return s.replace("\\", "\\textbackslash{}").replace("&", "\\&").replace("%", "\\%").replace("_", "\\_")
                .replace("#", "\\#").replace("±", "$\\pm$").replace("—", "--");
    }

    /** Writes {@code <base>.md}, {@code <base>.csv} and {@code <base>.tex} atomically; returns them. */
    public List<Path> write(Path dir, String base) throws IOException {
        Path md = dir.resolve(base + ".md");
        Path csv = dir.resolve(base + ".csv");
        Path tex = dir.resolve(base + ".tex");
        AtomicFiles.writeString(md, markdown());
        AtomicFiles.writeString(csv, csv());
        AtomicFiles.writeString(tex, latex());
        return List.of(md, csv, tex);
    }
}
