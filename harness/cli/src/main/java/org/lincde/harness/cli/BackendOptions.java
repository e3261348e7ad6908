package org.lincde.harness.cli;

import org.lincde.spi.Backend;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import picocli.CommandLine.Option;

/** The backend-selection options shared by the commands that run models (a picocli mixin). */
final class BackendOptions {
    @Option(names = "--backend", paramLabel = "ID",
            description = {"Backend id (default: highest-ranked on the class path; see 'lincde backends').",
                "'reproduce' and 'report' also take 'all': every backend, with a cross-backend agreement table; "
                    + "a cell outside its tolerance costs one extra float64 reference run that measures its "
                    + "conditioning ('reproduce --help', --conditioning)."})
    String backend;

    @Option(names = "--dtype", description = "float32 or float64 (default: float32 where the backend has it).")
    String dtype;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: backend default).")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = {"cpu or gpu (default: ${DEFAULT-VALUE}). gpu needs a",
            "backend built with its CUDA profile (see the README) and a driver; otherwise it fails naming what is missing."})
    String device;

    /** The parsed --device. */
    org.lincde.spi.Device device() {
        return org.lincde.spi.Device.parse(device);
    }

    /** Session options for {@code dtype} with these threads and device (fused kernels on). */
    org.lincde.spi.SessionOptions sessionOptions(DType dtype) {
        return new org.lincde.spi.SessionOptions(dtype, device(), threads, true, null);
    }

    /** The chosen backend: --backend, else -Dlincde.backend, else LINCDE_BACKEND, else rank. */
    Backend backend(BackendRegistry registry) {
        return registry.select(backend);
    }

    /** The dtype: --dtype, else {@code configured} (a config's dtype, may be null), else float32 where offered. */
    DType dtype(Backend b, String configured) {
        return Dtypes.choose(b, dtype != null ? dtype : configured);
    }
}
