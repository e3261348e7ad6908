package org.lincde.spi;

/**
 * A compute backend (a {@link java.util.ServiceLoader} service; register implementations with
 * {@code @AutoService(Backend.class)}).
 *
 * <p>Discovery is cheap (DJL's {@code EngineProvider} lesson): the constructor, {@link #id()} and
 * {@link #capabilities()} touch no native code, file or network, so {@code lincde backends} works
 * where a native library cannot load. Natives load in {@link #open}, whose failure is a
 * {@link BackendUnavailableException} naming the backend, the native artifact and the cause.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public interface Backend {

    /** Unique id ({@code reference}, {@code djl}, {@code nd4j}). */
    String id();

    /** What this backend can do, declared up front (the conformance kit trusts this, nothing else). */
    BackendCapabilities capabilities();

    /**
     * Opens a session: loads natives, picks device, dtype and threads.
     *
     * @throws BackendUnavailableException when natives or the device cannot be used
     */
    Session open(SessionOptions options);

    /** Preference when no backend is named (higher wins); the reference backend is 0. */
    default int rank() {
        return 0;
    }

    /** The SPI major version this provider was built against. */
    default int spiVersion() {
        return Spi.VERSION;
    }

    /** Provider version, from its jar manifest when available. */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
