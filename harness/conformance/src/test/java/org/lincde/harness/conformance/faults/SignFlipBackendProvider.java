package org.lincde.harness.conformance.faults;

import java.util.EnumSet;
import java.util.Set;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.DType;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/**
 * A ServiceLoader-shaped provider (public, no-argument constructor) of a {@link FaultyBackend} with a
 * flipped tanh gradient, for tests that put it on a class loader of their own: it proves the CLI picks
 * up a backend from the class path and exits 1 when it fails. Not registered anywhere.
 */
public final class SignFlipBackendProvider implements Backend {
    private final FaultyBackend delegate = new FaultyBackend(EnumSet.of(PlantedFault.GRADIENT_SIGN_FLIP),
            Set.of(DType.FLOAT64));

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public BackendCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Session open(SessionOptions options) {
        return delegate.open(options);
    }
}
