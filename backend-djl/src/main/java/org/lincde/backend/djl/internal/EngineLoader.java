package org.lincde.backend.djl.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.spi.BackendUnavailableException;
import org.lincde.spi.SessionOptions;

/**
 * Loads the PyTorch engine (after {@link DjlRuntime#configureOnce}) and maps lincde's device to
 * DJL's. Every failure becomes a {@link BackendUnavailableException} naming backend, native artifact
 * and cause (docs/STYLE.md D1).
 */
public final class EngineLoader {
    /** The native artifact the CPU build uses (the cuda profile replaces it). */
    public static final String NATIVE_ARTIFACT = "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64"
            + " + ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1";
    /** The engine DJL registers for libtorch. */
    public static final String ENGINE = "PyTorch";

    private EngineLoader() {}

    /** The loaded engine; thread counts set at run time when a later session asks for others. */
    public static Engine load(SessionOptions options) {
        DjlRuntime.configureOnce(options);
        if (!nativeJarPresent() && System.getenv("PYTORCH_LIBRARY_PATH") == null) {
            throw new BackendUnavailableException("backend 'djl' has no libtorch: this build has no native jar"
                    + " (built with -Pcuda?) and PYTORCH_LIBRARY_PATH is not set; point it at a libtorch 2.7.1"
                    + " (CUDA 12.8: PYTORCH_FLAVOR=cu128, PYTORCH_VERSION=2.7.1), or build without -Pcuda for "
                    + NATIVE_ARTIFACT);
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (Throwable t) { // UnsatisfiedLinkError, EngineException, IllegalStateException …
            throw new BackendUnavailableException("backend 'djl' could not load libtorch (" + NATIVE_ARTIFACT
                    + ", cache " + System.getProperty(DjlRuntime.CACHE_DIR) + "): " + t, t);
        }
        int threads = DjlRuntime.threads(options);
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        return engine;
    }

    /** Whether a pytorch-native jar (libtorch inside) is on the class path. */
    static boolean nativeJarPresent() {
        return EngineLoader.class.getClassLoader().getResource("native/lib/pytorch.properties") != null;
    }

    /** DJL's device for lincde's; a GPU that is not there is a clear error. */
    public static Device device(Engine engine, org.lincde.spi.Device device) {
        if (device == org.lincde.spi.Device.CPU) {
            return Device.cpu();
        }
        int gpus;
        try {
            gpus = engine.getGpuCount();
        } catch (Throwable t) {
            gpus = 0;
        }
        if (gpus <= 0) {
            throw new BackendUnavailableException("backend 'djl' was asked for a GPU, but libtorch "
                    + LibUtils.getVersion() + " (" + LibUtils.getLibtorchPath() + ") sees no CUDA device: build with"
                    + " -Pcuda and point PYTORCH_LIBRARY_PATH at a CUDA libtorch 2.7.1 (PYTORCH_FLAVOR=cu128)"
                    + " on a machine with a CUDA driver");
        }
        return Device.gpu();
    }

    /** What the engine reports: versions, threads, native path. */
    public static Map<String, String> provenance(Engine engine) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("engine", engine.getEngineName());
        m.put("engine.version", engine.getVersion());
        m.put("djl.version", Engine.getDjlVersion());
        m.put("libtorch.version", LibUtils.getVersion());
        m.put("libtorch.path", LibUtils.getLibtorchPath());
        m.put("threads.intra_op", String.valueOf(JniUtils.getNumThreads()));
        m.put("threads.inter_op", String.valueOf(JniUtils.getNumInteropThreads()));
        // read by libgomp when libtorch loads, so only the environment can set it; unset, its idle workers
        // spin while Java code runs (measured: ~39 % of a D step's CPU samples on 2 cores)
        String wait = System.getenv("OMP_WAIT_POLICY");
        m.put("omp.wait_policy", wait == null ? "unset (spinning; export OMP_WAIT_POLICY=PASSIVE)" : wait);
        m.put("libtorch.features", String.join(" ", new java.util.TreeSet<>(JniUtils.getFeatures())));
        m.putAll(CpuKernels.provenance());
        return m;
    }
}
