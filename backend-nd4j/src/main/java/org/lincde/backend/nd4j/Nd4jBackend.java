package org.lincde.backend.nd4j;

import com.google.auto.service.AutoService;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.lincde.backend.nd4j.internal.Nd4jRuntime;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;

/**
 * The ND4J backend ({@code nd4j}): float32 and float64 on the CPU through {@code nd4j-native}
 * (OpenBLAS), on CUDA GPUs when built with {@code -Dlincde.cuda=11.6} (see this module's POM).
 * Models run on an eager reverse-mode tape over ND4J arrays (not SameDiff: see
 * {@code Nd4jTensorOps}), with fused Linear CDE recurrences on the CPU for every structure with a step kernel.
 *
 * <p>Discovery is cheap (STYLE D1): the constructor, {@link #id()} and {@link #capabilities()} look at
 * class-path resources only and load no ND4J class; {@link #open} loads the natives and reports any
 * failure as a {@code BackendUnavailableException} naming the backend, the native artifact and the cause.
 */
@AutoService(Backend.class)
public final class Nd4jBackend implements Backend {
    /** The backend id. */
    public static final String ID = "nd4j";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int rank() {
        return 5;
    }

    @Override
    public BackendCapabilities capabilities() {
        Set<Device> devices = EnumSet.noneOf(Device.class);
        if (Nd4jRuntime.cpuBackendPresent()) {
            devices.add(Device.CPU);
        }
        if (Nd4jRuntime.cudaBackendPresent()) {
            devices.add(Device.GPU);
        }
        return new BackendCapabilities(Set.of(DType.FLOAT32, DType.FLOAT64), devices, true,
                "ND4J " + (devices.contains(Device.GPU) ? "(CUDA)" : "(nd4j-native, OpenBLAS)")
                        + ": eager INDArray tape, fused recurrences for structures with a step kernel on the CPU");
    }

    @Override
    public Session open(SessionOptions options) {
        Map<String, String> runtime = Nd4jRuntime.initialise(options);
        return new Nd4jSession(this, options, runtime);
    }
}
