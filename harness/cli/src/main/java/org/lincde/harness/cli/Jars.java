package org.lincde.harness.cli;

import java.security.CodeSource;

/** Where a class was loaded from, for listings and provenance. */
final class Jars {
    private Jars() {}

    static String origin(Class<?> c) {
        try {
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            return cs == null || cs.getLocation() == null ? "?" : cs.getLocation().getPath();
        } catch (SecurityException e) {
            return "?";
        }
    }
}
