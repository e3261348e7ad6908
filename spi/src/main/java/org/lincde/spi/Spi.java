package org.lincde.spi;

/**
 * Version handshake between the SPI and its providers (backends, structures). A provider reports
 * the SPI major version it was compiled against; registries refuse a provider whose major
 * version differs, naming its jar, its version and ours.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public final class Spi {
    /** The SPI major version of this build. */
    public static final int VERSION = 1;

    private Spi() {}
}
