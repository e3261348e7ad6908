package org.lincde.harness.data.uea;

import java.nio.file.Path;

/**
 * A UEA data file ({@code .ts} or {@code .arff}) that cannot be read as the archive's format: the
 * message names the file and the 1-based line, and what was found there.
 */
public final class UeaFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    /** A problem at {@code line} (1-based; 0 when it concerns the file as a whole) of {@code file}. */
    public UeaFormatException(Path file, int line, String message) {
        this(String.valueOf(file), line, message, null);
    }

    /** A problem at {@code line} of the source named {@code file} (a path or a class-path resource). */
    public UeaFormatException(String file, int line, String message) {
        this(file, line, message, null);
    }

    /** As {@link #UeaFormatException(Path, int, String)}, with a cause. */
    public UeaFormatException(String file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    /** The file the problem was found in. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 for a problem with the whole file. */
    public int line() {
        return line;
    }
}
