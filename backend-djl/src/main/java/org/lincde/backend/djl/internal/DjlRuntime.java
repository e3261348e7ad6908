package org.lincde.backend.djl.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.spi.SessionOptions;

/**
 * Sets the JVM-wide properties DJL reads in static initialisers (docs/STYLE.md D2) before any
 * {@code ai.djl} class loads: offline mode, tracking opt-out, thread counts and the native cache
 * folder. This class must never reference an {@code ai.djl} type (a fresh-JVM test proves that the
 * properties are in place before the engine initialises).
 *
 * <p>DJL reads the thread properties once, when the engine starts; later sessions change the
 * intra-op count at run time through {@link EngineLoader}.
 */
public final class DjlRuntime {
    /** Property DJL reads for offline mode (no downloads, no telemetry). */
    public static final String OFFLINE = "ai.djl.offline";
    /** Property (and env var) that disables DJL's telemetry probe. */
    public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    /** Intra-op thread count read by PtEngine at start. */
    public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    /** Inter-op thread count read by PtEngine at start. */
    public static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
    /** Where DJL extracts libtorch. */
    public static final String CACHE_DIR = "DJL_CACHE_DIR";
    /** System property naming the lincde repository root (set by the build and the CLI). */
    public static final String ROOT_DIR = "lincde.root.dir";

    private static final Map<String, String> APPLIED = new LinkedHashMap<>();
    private static boolean configured;

    private DjlRuntime() {}

    /**
     * Sets the DJL properties from {@code options} the first time it is called; later calls return
     * what the first one set (the engine reads them only once).
     *
     * @return property name → value as applied
     */
    public static synchronized Map<String, String> configureOnce(SessionOptions options) {
        if (configured) {
            return Map.copyOf(APPLIED);
        }
        set(OFFLINE, "true");
        set(OPT_OUT_TRACKING, "true");
        int threads = threads(options);
        set(NUM_THREADS, String.valueOf(threads));
        set(NUM_INTEROP_THREADS, String.valueOf(threads));
        set(CACHE_DIR, cacheDir(options).toString());
        configured = true;
        return Map.copyOf(APPLIED);
    }

    /** Whether {@link #configureOnce} has run in this JVM. */
    public static synchronized boolean configured() {
        return configured;
    }

    /** The thread count a session with {@code options} uses: {@code threads()}, or the core count for 0. */
    public static int threads(SessionOptions options) {
        return options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
    }

    /** {@code options.cacheDir()}, or {@code <repo>/.lincde/djl-cache}. */
    public static Path cacheDir(SessionOptions options) {
        if (options.cacheDir() != null) {
            return options.cacheDir().toAbsolutePath();
        }
        return repositoryRoot().resolve(".lincde").resolve("djl-cache");
    }

    /** The repository root: system property {@value #ROOT_DIR}, else the working directory. */
    public static Path repositoryRoot() {
        String root = System.getProperty(ROOT_DIR);
        return Paths.get(root != null && !root.isBlank() ? root : System.getProperty("user.dir")).toAbsolutePath();
    }

    private static void set(String key, String value) {
        System.setProperty(key, value);
        APPLIED.put(key, value);
    }
}
