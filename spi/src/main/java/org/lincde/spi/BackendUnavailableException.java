package org.lincde.spi;

/** A backend could not open a session; the message names the backend, the native artifact and the cause. */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a cause. */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Without a cause. */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
