package org.lincde.spi;

/**
 * A configuration value was rejected. The message names the option, the value and, when known,
 * where it came from (config file and field).
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String option;
    private final String value;

    /** An invalid {@code option = value}, with the reason. */
    public InvalidOptionException(String option, Object value, String reason) {
        super("invalid " + option + " = " + value + ": " + reason);
        this.option = option;
        this.value = String.valueOf(value);
    }

    /** The rejected option's name. */
    public String option() {
        return option;
    }

    /** The rejected value as text. */
    public String value() {
        return value;
    }
}
