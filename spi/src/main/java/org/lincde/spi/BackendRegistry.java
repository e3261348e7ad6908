package org.lincde.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends on the class path. Duplicate ids are an error naming both providers; a provider
 * that fails to load or was built for another SPI major version is listed as unavailable and
 * discovery goes on. Selection: an explicit id beats {@code -Dlincde.backend} beats
 * {@code LINCDE_BACKEND} beats {@link Backend#rank()}.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class BackendRegistry {
    private final Map<String, Backend> byId = new LinkedHashMap<>();
    private final List<String> unavailable = new ArrayList<>();

    /** Registers {@code backends} in order. */
    public BackendRegistry(Iterable<? extends Backend> backends) {
        for (Backend b : backends) {
            add(b);
        }
    }

    /** Discovers backends with the context class loader. */
    public static BackendRegistry discover() {
        BackendRegistry r = new BackendRegistry(List.of());
        Registries.discover(Backend.class, Thread.currentThread().getContextClassLoader(), r::add, r.unavailable);
        return r;
    }

    private void add(Backend b) {
        if (b.spiVersion() != Spi.VERSION) {
            unavailable.add(b.id() + " (" + Registries.origin(b) + ") was built for SPI " + b.spiVersion()
                    + ", this is SPI " + Spi.VERSION);
            return;
        }
        Backend prev = byId.putIfAbsent(b.id(), b);
        if (prev != null) {
            throw new IllegalStateException("two backends share the id '" + b.id() + "': " + Registries.origin(prev)
                    + " and " + Registries.origin(b));
        }
    }

    /** The backend with {@code id}; unknown ids are an error listing the available ones. */
    public Backend get(String id) {
        Backend b = byId.get(id);
        if (b == null) {
            throw new IllegalArgumentException("unknown backend '" + id + "' (available: " + byId.keySet() + ")");
        }
        return b;
    }

    /** Whether {@code id} is registered. */
    public boolean has(String id) {
        return byId.containsKey(id);
    }

    /**
     * The backend to use: {@code explicitId} if non-null, else {@code -Dlincde.backend}, else
     * {@code LINCDE_BACKEND}, else the highest {@link Backend#rank()}.
     */
    public Backend select(String explicitId) {
        if (explicitId != null && !explicitId.isBlank()) {
            return get(explicitId);
        }
        String prop = System.getProperty("lincde.backend");
        if (prop != null && !prop.isBlank()) {
            return get(prop);
        }
        String env = System.getenv("LINCDE_BACKEND");
        if (env != null && !env.isBlank()) {
            return get(env);
        }
        return byId.values().stream().max(Comparator.comparingInt(Backend::rank))
                .orElseThrow(() -> new IllegalStateException("no backend on the class path"));
    }

    /** All backends, in discovery order. */
    public List<Backend> all() {
        return List.copyOf(byId.values());
    }

    /** Providers that failed to load, with the reason. */
    public List<String> unavailable() {
        return Collections.unmodifiableList(unavailable);
    }
}
