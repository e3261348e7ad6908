package org.lincde.harness.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.lincde.harness.data.DataFileException;
import org.lincde.harness.data.uea.UeaFormatException;

/**
 * The one line a command prints for a failure: bad input (a config, a data file, a path the user gave that
 * cannot be used) is described by what it names; anything else is a bug and gets {@link #internal}.
 */
final class Failures {
    private Failures() {}

    /** The line for bad input or an unusable path, or null when {@code ex} is not one (a bug). */
    static String describe(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof DataFileException
                || ex instanceof UeaFormatException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u) {
            String io = io(u.getCause());
            String m = u.getMessage();
            // UncheckedIOException(message, cause) keeps the caller's words; add the file system's reason
            return m != null && u.getCause() != null && m.equals(u.getCause().toString()) ? io
                    : m + (io.isEmpty() || (m != null && m.contains(io)) ? "" : ": " + io);
        }
        if (ex instanceof IOException e) {
            return io(e);
        }
        return null;
    }

    /** An I/O failure in words: the path and the reason, without the exception's class name. */
    static String io(IOException e) {
        if (e == null) {
            return "";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or folder";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a folder (a folder is needed here)";
        }
        if (e instanceof NotDirectoryException n) {
            return n.getFile() + ": not a folder";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "cannot be used" : f.getReason());
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text: " + e;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A bug's one line: the exception and the first lincde frame. */
    static String internal(Throwable ex) {
        StringBuilder sb = new StringBuilder(ex.toString());
        for (StackTraceElement f : ex.getStackTrace()) {
            if (f.getClassName().startsWith("org.lincde.")) {
                sb.append(" at ").append(f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1))
                        .append('.').append(f.getMethodName()).append(':').append(f.getLineNumber());
                break;
            }
        }
        return sb.toString();
    }
}
