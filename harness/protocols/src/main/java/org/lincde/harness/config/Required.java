package org.lincde.harness.config;

/**
 * The one check of lincde's settings builders: a field without a default that was never set fails
 * {@code build()} with an {@link IllegalStateException} naming the settings and the field, instead of a
 * silent 0 or null reaching a run.
 */
public final class Required {
    private Required() {
    }

    /** {@code value}, or an {@link IllegalStateException} when it was never set. */
    public static <T> T field(T value, String settings, String name) {
        if (value == null) {
            throw new IllegalStateException(settings + ": '" + name + "' is required: call " + name
                    + "(…) before build()");
        }
        return value;
    }
}
