package org.lincde.spi;

import java.security.CodeSource;

/** Helpers shared by the provider registries. */
final class Registries {
    private Registries() {}

    /** {@code class (jar or folder)} for messages. */
    static String origin(Object provider) {
        String where = "?";
        try {
            CodeSource cs = provider.getClass().getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                where = cs.getLocation().getPath();
            }
        } catch (SecurityException ignored) {
            // location unknown
        }
        return provider.getClass().getName() + " from " + where;
    }
}
