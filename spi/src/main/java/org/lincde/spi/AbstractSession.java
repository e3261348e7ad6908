package org.lincde.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every backend's {@link Session} shares, written once: the backend and options it was opened with, the
 * closed flag with one message for a call after {@link #close()}, and the lookup of a gradient call's named
 * inputs. A backend still writes its models, its ops, its provenance and what {@code close} releases.
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public abstract class AbstractSession implements Session {
    /** The backend that opened this session. */
    protected final Backend backend;
    /** The options it was opened with. */
    protected final SessionOptions options;
    private boolean closed;

    protected AbstractSession(Backend backend, SessionOptions options) {
        this.backend = backend;
        this.options = options;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final SessionOptions options() {
        return options;
    }

    /** @throws IllegalStateException naming the backend once the session is closed */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("session of backend '" + backend.id() + "' is closed");
        }
    }

    /** Whether {@link #markClosed()} has run. */
    protected final boolean isClosed() {
        return closed;
    }

    /** Marks the session closed; true the first time only (then the caller releases what it holds). */
    protected final boolean markClosed() {
        boolean first = !closed;
        closed = true;
        return first;
    }

    /** The start of every backend's {@link #provenance()}: {@code backend} (its id), {@code backend.version}. */
    protected final Map<String, String> provenanceOfBackend() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backend", backend.id());
        m.put("backend.version", backend.version());
        return m;
    }

    /** A gradient call's named inputs; an unknown name is an error listing the names there are. */
    protected static <T> ParameterLookup<T> inputs(Map<String, T> leaves) {
        return name -> {
            T t = leaves.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no input named '" + name + "' (have " + leaves.keySet() + ")");
            }
            return t;
        };
    }
}
