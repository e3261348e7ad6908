package org.lincde.harness.config;

/**
 * A configuration file or value was rejected. The message names the file, the key and the bad value;
 * nothing has been written when this is thrown.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** With the full message. */
    public ConfigException(String message) {
        super(message);
    }

    /** With a cause. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
