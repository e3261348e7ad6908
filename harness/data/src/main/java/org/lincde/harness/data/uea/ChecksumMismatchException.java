package org.lincde.harness.data.uea;

import java.io.IOException;

/** A downloaded file whose SHA-256 is not the expected one; the file was not kept. */
public final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /** {@code what} names the file and its source. */
    public ChecksumMismatchException(String what, String expected, String actual) {
        this(what, expected, actual, "file discarded");
    }

    /** {@code what} names the file and its source; {@code consequence} says what was done or is to do. */
    public ChecksumMismatchException(String what, String expected, String actual, String consequence) {
        super(what + ": SHA-256 mismatch, expected " + expected + " but got " + actual + " (" + consequence + ")");
        this.expected = expected;
        this.actual = actual;
    }

    /** The expected hex SHA-256. */
    public String expected() {
        return expected;
    }

    /** The SHA-256 of what was received. */
    public String actual() {
        return actual;
    }
}
