package org.lincde.harness.conformance.faults;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.BackendUnavailableException;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/**
 * A test-only backend with switchable planted faults (never registered for ServiceLoader: the kit takes
 * it as an instance). It computes through the reference backend's op-level face
 * ({@link Session#gradient}) with its own {@link FaultyOps} decorator, its own model, AdamW and
 * gradient masking, and declares fused kernels (a loop and a scan for the diagonal and block-diagonal
 * structures). Unfaulted, it must pass the kit; in float32 it rounds every op result to binary32, an
 * honest float32 emulation that exercises the kit's float32 tolerances.
 */
public final class FaultyBackend implements Backend {
    private final Set<PlantedFault> faults;
    private final Set<DType> dtypes;

    /** A backend with {@code faults} (none: a correct backend) computing in {@code dtypes}. */
    public FaultyBackend(Set<PlantedFault> faults, Set<DType> dtypes) {
        this.faults = faults.isEmpty() ? EnumSet.noneOf(PlantedFault.class) : EnumSet.copyOf(faults);
        this.dtypes = Set.copyOf(dtypes);
    }

    @Override
    public String id() {
        return faults.isEmpty() ? "planted-none" : "planted-" + String.join("+",
                new TreeSet<>(faults.stream().map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).toList()));
    }

    @Override
    public BackendCapabilities capabilities() {
        return new BackendCapabilities(dtypes, Set.of(Device.CPU), true,
                "test double: the reference's op face with planted faults " + faults);
    }

    @Override
    public Session open(SessionOptions options) {
        if (!dtypes.contains(options.dtype())) {
            throw new BackendUnavailableException(id() + " does not compute in " + options.dtype().label());
        }
        Backend reference = BackendRegistry.discover().get("reference");
        return new FaultySession(this, options, reference.open(SessionOptions.of(DType.FLOAT64).withThreads(1)), faults);
    }
}
