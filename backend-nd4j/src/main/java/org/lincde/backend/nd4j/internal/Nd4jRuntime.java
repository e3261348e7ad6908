package org.lincde.backend.nd4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.lincde.spi.BackendUnavailableException;
import org.lincde.spi.Device;
import org.lincde.spi.SessionOptions;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Loads ND4J once per JVM and applies a session's thread request (STYLE D1/D2: a dependency's static
 * initialisers are our behaviour too, so everything that must happen before ND4J's first class loads
 * happens here, and any failure becomes a {@link BackendUnavailableException} naming backend, native
 * artifact and cause).
 *
 * <p>Before the first ND4J class loads, the JavaCPP extraction cache ({@code org.bytedeco.javacpp.cachedir},
 * ~400 MB of native libraries) is pointed at {@code <cacheDir>/javacpp-cache} when the session names a
 * cache folder, else at {@code <root>/.lincde/javacpp-cache} with {@code root} from the system property
 * {@code lincde.root.dir} or the working directory. A cache folder the user set explicitly is kept.
 *
 * <p>ND4J makes no network connection at run time: natives come from the class path, its
 * {@code Heartbeat} is a no-op in 1.0.0-M2.1, and nothing here enables its NTP time source.
 *
 * <p>The thread settings of ND4J (libnd4j's thread pool, OpenMP and OpenBLAS) are process-wide: the
 * last session opened with a non-zero thread count sets them, and every session reports the values
 * the engine returns, not the ones requested.
 */
public final class Nd4jRuntime {
    /** The system property JavaCPP reads, once, for its extraction cache. */
    public static final String JAVACPP_CACHE_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private static final Object LOCK = new Object();
    private static boolean loaded;
    private static Throwable loadFailure;
    private static String cacheDirUsed;
    private static String ompWaitPolicy = "not configured";

    private Nd4jRuntime() {}

    /**
     * The native ND4J artifact on the class path, found from jar metadata without loading any ND4J
     * class ({@code org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64}), or a description of its absence.
     */
    public static String nativeArtifact() {
        for (String id : new String[] {"nd4j-cuda-12.3", "nd4j-cuda-11.6", "nd4j-native"}) {
            String version = mavenVersion("org.nd4j", id);
            if (version != null) {
                return "org.nd4j:" + id + ":" + version + ":" + platformGuess();
            }
        }
        return "no ND4J native artifact (org.nd4j:nd4j-native or org.nd4j:nd4j-cuda-*) on the class path";
    }

    /** Whether the CPU backend's classes are on the class path (a resource lookup, no class loading). */
    public static boolean cpuBackendPresent() {
        return resource("org/nd4j/linalg/cpu/nativecpu/CpuBackend.class") != null;
    }

    /** Whether the CUDA backend's classes are on the class path (a resource lookup, no class loading). */
    public static boolean cudaBackendPresent() {
        return resource("org/nd4j/linalg/jcublas/JCublasBackend.class") != null;
    }

    /**
     * Loads ND4J (first call only), checks the requested device and applies the thread request.
     *
     * @return the settings the engine reports after the request
     * @throws BackendUnavailableException when the natives cannot load or cannot serve the device
     */
    public static Map<String, String> initialise(SessionOptions options) {
        synchronized (LOCK) {
            if (loadFailure != null) {
                throw unavailable(loadFailure);
            }
            if (!loaded) {
                configureCacheDir(options.cacheDir());
                configureOpenMp();
                try {
                    // Nd4j's static initialiser logs a missing backend and leaves it null rather than throw
                    if (Nd4j.getBackend() == null || Nd4j.getExecutioner() == null) {
                        throw new IllegalStateException("ND4J found no usable backend (Nd4j.getBackend() is null)");
                    }
                    loaded = true;
                } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoAvailableBackend…
                    loadFailure = t;
                    throw unavailable(t);
                }
            }
            boolean cpu = Nd4j.getEnvironment().isCPU();
            if (options.device() == Device.GPU && cpu) {
                throw new BackendUnavailableException("backend 'nd4j' was asked for the GPU, but this build carries "
                        + nativeArtifact() + " (CPU); rebuild with -Dlincde.cuda=11.6 (nd4j-cuda-11.6) for CUDA");
            }
            if (options.device() == Device.CPU && !cpu) {
                throw new BackendUnavailableException("backend 'nd4j' was asked for the CPU, but this build carries "
                        + nativeArtifact() + " (CUDA only); rebuild without -Dlincde.cuda for the CPU backend");
            }
            if (options.threads() > 0) {
                applyThreads(options.threads());
            }
            return report();
        }
    }

    private static void applyThreads(int n) {
        // libnd4j's own pool, OpenMP and OpenBLAS each keep their own count (OMP_NUM_THREADS is only
        // read at process start, so the run-time setters are what honour SessionOptions.threads)
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        ops.setOmpNumThreads(n);
    }

    private static Map<String, String> report() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nd4j.version", String.valueOf(mavenVersion("org.nd4j", "nd4j-api")));
        m.put("nd4j.native", nativeArtifact());
        m.put("nd4j.backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("javacpp.platform", org.bytedeco.javacpp.Loader.getPlatform());
        m.put("javacpp.cachedir", cacheDir());
        m.put("omp.wait_policy", ompWaitPolicy);
        Object vendor = Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor");
        m.put("blas.vendor", String.valueOf(vendor));
        m.put("threads.nd4j.max", String.valueOf(Nd4j.getEnvironment().maxThreads()));
        m.put("threads.nd4j.master", String.valueOf(Nd4j.getEnvironment().maxMasterThreads()));
        m.put("threads.blas", String.valueOf(Nd4j.factory().blas().getMaxThreads()));
        m.put("threads.omp", String.valueOf(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()));
        return m;
    }

    private static String cacheDir() {
        try {
            return org.bytedeco.javacpp.Loader.getCacheDir().getPath();
        } catch (IOException e) {
            return String.valueOf(cacheDirUsed);
        }
    }

    /** libc's {@code setenv}, through the JNA that ND4J's own dependencies bring. */
    private interface CLibrary extends com.sun.jna.Library {
        int setenv(String name, String value, int overwrite);
    }

    /**
     * Sets {@code OMP_WAIT_POLICY=PASSIVE} in the process environment before libgomp loads (it reads
     * the variable once, at load), unless the user set it. Measured on the 2-core build machine: with
     * libgomp's default spin-waiting, every small ND4J op left OpenMP threads spinning against the
     * Java thread, and a forward pass of a small model took 150–650 ms instead of 10–30 ms.
     */
    private static void configureOpenMp() {
        String existing = System.getenv("OMP_WAIT_POLICY");
        if (existing != null) {
            ompWaitPolicy = existing + " (from the environment)";
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            ompWaitPolicy = "default (not set on Windows)";
            return;
        }
        try {
            CLibrary c = com.sun.jna.Native.loadLibrary("c", CLibrary.class);
            int rc = c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
            ompWaitPolicy = rc == 0 ? "PASSIVE (set by backend-nd4j before ND4J loaded)" : "default (setenv failed: " + rc + ")";
        } catch (Throwable t) { // no JNA native for this platform: keep the default, say so
            ompWaitPolicy = "default (could not set: " + t + ")";
        }
    }

    /** Points JavaCPP's cache under the project's {@code .lincde/} unless the user chose one. */
    private static void configureCacheDir(Path sessionCacheDir) {
        String explicit = System.getProperty(JAVACPP_CACHE_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            cacheDirUsed = explicit;
            return;
        }
        Path dir;
        if (sessionCacheDir != null) {
            dir = sessionCacheDir.resolve("javacpp-cache");
        } else {
            String root = System.getProperty("lincde.root.dir");
            Path base = root != null && !root.isBlank() ? Paths.get(root) : Paths.get("").toAbsolutePath();
            dir = base.resolve(".lincde").resolve("javacpp-cache");
        }
        cacheDirUsed = dir.toAbsolutePath().normalize().toString();
        System.setProperty(JAVACPP_CACHE_PROPERTY, cacheDirUsed);
    }

    private static BackendUnavailableException unavailable(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new BackendUnavailableException("backend 'nd4j' could not load its native library from "
                + nativeArtifact() + " (JavaCPP cache " + cacheDirUsed + "): " + t + (root != t ? " caused by " + root : ""),
                t);
    }

    private static String mavenVersion(String group, String artifact) {
        URL url = resource("META-INF/maven/" + group + "/" + artifact + "/pom.properties");
        if (url == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    private static URL resource(String name) {
        ClassLoader cl = Nd4jRuntime.class.getClassLoader();
        return cl == null ? ClassLoader.getSystemResource(name) : cl.getResource(name);
    }

    /** JavaCPP's platform name for this machine, guessed from system properties (no native code). */
    private static String platformGuess() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows")
                ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm64" : arch;
        return o + "-" + a;
    }
}
