package org.lincde.spi;

import java.security.CodeSource;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Helpers shared by the provider registries. */
final class Registries {
    private Registries() {}

    /**
     * Loads every provider of {@code service} with {@code loader}, handing each to {@code add}; a provider
     * that fails to load is described in {@code unavailable} and discovery goes on (SLF4J's lesson).
     */
    static <S> void discover(Class<S> service, ClassLoader loader, Consumer<S> add, List<String> unavailable) {
        Iterator<S> it = ServiceLoader.load(service, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                add.accept(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                unavailable.add(String.valueOf(e.getMessage()));
            }
        }
    }

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
