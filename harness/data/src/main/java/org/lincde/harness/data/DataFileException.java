package org.lincde.harness.data;

import java.nio.file.Path;

/**
 * A data file that cannot be read as its format says: the message names the file, the line (1 for
 * the header) and the problem, e.g. {@code A5=8.csv:17: id 60 in column 'input' is outside 0..59}.
 */
public class DataFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /**
     * @param file    the file being read
     * @param line    1-based line number, or 0 when the problem concerns the whole file
     * @param problem what is wrong, naming the offending value
     */
    public DataFileException(Path file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 for a problem with the whole file. */
    public long line() {
        return line;
    }
}
