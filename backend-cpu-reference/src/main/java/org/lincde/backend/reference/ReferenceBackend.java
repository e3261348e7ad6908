package org.lincde.backend.reference;

import com.google.auto.service.AutoService;
import java.util.Set;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.BackendUnavailableException;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/**
 * The float64 pure-Java oracle and zero-dependency default backend: a small reverse-mode tape over
 * {@code double[]}, plain loops that read like the papers' equations, {@link StrictMath} throughout.
 * Every other backend is compared with this one.
 */
@AutoService(Backend.class)
public final class ReferenceBackend implements Backend {
    /** The backend id. */
    public static final String ID = "reference";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BackendCapabilities capabilities() {
        return new BackendCapabilities(Set.of(DType.FLOAT64), Set.of(Device.CPU), false,
                "float64 pure-Java oracle: reverse-mode tape over double[], no native code");
    }

    @Override
    public Session open(SessionOptions options) {
        if (options.dtype() != DType.FLOAT64) {
            throw new BackendUnavailableException("backend 'reference' computes in float64 only, asked for "
                    + options.dtype().label());
        }
        if (options.device() != Device.CPU) {
            throw new BackendUnavailableException("backend 'reference' runs on the CPU only, asked for "
                    + options.device());
        }
        return new ReferenceSession(this, options);
    }
}
