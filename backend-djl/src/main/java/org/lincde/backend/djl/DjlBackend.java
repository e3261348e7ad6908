package org.lincde.backend.djl;

import com.google.auto.service.AutoService;
import java.util.Set;
import org.lincde.backend.djl.internal.EngineLoader;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/**
 * The DJL backend: libtorch (PyTorch 2.7.1 through DJL 0.35.1) on the CPU, offline, with fused
 * Linear CDE recurrences for every structure with a step kernel; CUDA when built with {@code -Pcuda}. The
 * constructor, {@link #id()} and {@link #capabilities()} touch no DJL class (docs/STYLE.md D1); natives
 * load in {@link #open}.
 */
@AutoService(Backend.class)
public final class DjlBackend implements Backend {
    /** The backend id. */
    public static final String ID = "djl";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int rank() {
        return 10;
    }

    @Override
    public BackendCapabilities capabilities() {
        return new BackendCapabilities(Set.of(DType.FLOAT32, DType.FLOAT64), cudaBuild()
                ? Set.of(Device.CPU, Device.GPU) : Set.of(Device.CPU), true,
                "libtorch 2.7.1 via DJL 0.35.1: autograd, fused recurrences for structures with a step kernel");
    }

    /**
     * Whether this is a CUDA build ({@code -Pcuda}): the CPU native jar, recognised by the resource
     * DJL itself looks for, is absent. Only a class-path lookup: no DJL class, no native code.
     */
    static boolean cudaBuild() {
        return DjlBackend.class.getClassLoader().getResource("native/lib/pytorch.properties") == null;
    }

    @Override
    public Session open(SessionOptions options) {
        return new DjlSession(this, options, EngineLoader.load(options));
    }
}
