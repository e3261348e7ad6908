package org.lincde.harness.data.uea;

import java.io.IOException;

/** A downloaded file whose SHA-256 is not the expected one; the file was not kept. */
public final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /** {@code what} names the file and its source. */
    public ChecksumMismatchException(String what, String expected, String actual) {
        super(what + ": SHA-256 mismatch, expected " + expected + " but got " + actual + " (file discarded)");
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
