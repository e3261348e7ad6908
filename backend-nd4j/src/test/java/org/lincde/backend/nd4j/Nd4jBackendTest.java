package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Backend;
import org.lincde.spi.BackendCapabilities;
import org.lincde.spi.BackendUnavailableException;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.TensorOps;

/** Discovery, capabilities, session options, provenance and the session life cycle. */
class Nd4jBackendTest {

    @Test
    void discoveredThroughServiceLoaderWithItsCapabilities() {
        List<String> ids = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class)) {
            ids.add(b.id());
        }
        assertThat(ids).contains("nd4j");
        Nd4jBackend b = new Nd4jBackend();
        assertThat(b.rank()).isEqualTo(5);
        BackendCapabilities c = b.capabilities();
        assertThat(c.dtypes()).containsExactlyInAnyOrder(DType.FLOAT32, DType.FLOAT64);
        assertThat(c.devices()).containsExactly(Device.CPU);    // this build carries nd4j-native only
        assertThat(c.fusedKernels()).isTrue();
    }

    /**
     * STYLE D1: constructor, id() and capabilities() load no ND4J class. Checked in a child-first class
     * loader that records every class it is asked for, so ND4J's state in this JVM does not matter.
     */
    @Test
    void discoveryLoadsNoNd4jClass() throws Exception {
        URL[] urls = classPath();
        List<String> requested = new ArrayList<>();
        try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                requested.add(name);
                return super.loadClass(name, resolve);
            }
        }) {
            Class<?> cls = Class.forName(Nd4jBackend.class.getName(), true, isolated);
            Object backend = cls.getDeclaredConstructor().newInstance();
            assertThat(cls.getMethod("id").invoke(backend)).isEqualTo("nd4j");
            Object caps = cls.getMethod("capabilities").invoke(backend);
            assertThat(caps.toString()).contains("CPU");
        }
        assertThat(requested).isNotEmpty().noneMatch(n -> n.startsWith("org.nd4j.") || n.startsWith("org.bytedeco."));
    }

    /**
     * Without the native artifact on the class path, {@code open} fails with a
     * BackendUnavailableException naming the backend, the missing artifact and the cause (in an
     * isolated class loader that hides the {@code nd4j-native} jars).
     */
    @Test
    void missingNativesAreReportedAsUnavailable() throws Exception {
        URL[] urls = java.util.Arrays.stream(classPath()).filter(u -> !u.getPath().contains("/nd4j-native/"))
                .toArray(URL[]::new);
        try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> cls = Class.forName(Nd4jBackend.class.getName(), true, isolated);
            Object backend = cls.getDeclaredConstructor().newInstance();
            Object caps = cls.getMethod("capabilities").invoke(backend);
            assertThat(caps.toString()).contains("devices=[]");
            Class<?> options = Class.forName(SessionOptions.class.getName(), true, isolated);
            Class<?> dtype = Class.forName(DType.class.getName(), true, isolated);
            Object opts = options.getMethod("of", dtype).invoke(null, dtype.getEnumConstants()[0]);
            Throwable thrown = null;
            try {
                cls.getMethod("open", options).invoke(backend, opts);
            } catch (java.lang.reflect.InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).isNotNull();
            assertThat(thrown.getClass().getName()).isEqualTo(BackendUnavailableException.class.getName());
            assertThat(thrown.getMessage()).contains("backend 'nd4j'")
                    .contains("no ND4J native artifact (org.nd4j:nd4j-native or org.nd4j:nd4j-cuda-*) on the class path")
                    .contains("ND4J found no usable backend");
            // a second attempt reports the same failure instead of a NoClassDefFoundError
            try {
                cls.getMethod("open", options).invoke(backend, opts);
            } catch (java.lang.reflect.InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown.getClass().getName()).isEqualTo(BackendUnavailableException.class.getName());
        }
    }

    private static URL[] classPath() throws Exception {
        String[] parts = System.getProperty("java.class.path").split(java.io.File.pathSeparator);
        URL[] urls = new URL[parts.length];
        for (int i = 0; i < parts.length; i++) {
            urls[i] = Paths.get(parts[i]).toUri().toURL();
        }
        return urls;
    }

    @Test
    void provenanceReportsWhatTheEngineUses() {
        Map<String, String> p = Nd4jFixtures.session(DType.FLOAT32).provenance();
        assertThat(p).containsEntry("backend", "nd4j").containsEntry("dtype", "float32").containsEntry("device", "cpu")
                .containsEntry("threads.requested", "2").containsEntry("nd4j.version", "1.0.0-M2.1")
                .containsEntry("nd4j.backend", "CpuBackend").containsEntry("threads.omp", "2")
                .containsEntry("threads.blas", "2").containsEntry("threads.fused", "2");
        assertThat(p.get("nd4j.native")).startsWith("org.nd4j:nd4j-native:1.0.0-M2.1:");
        assertThat(p.get("omp.wait_policy")).containsIgnoringCase("passive");
        // the JavaCPP cache lives under the project's .lincde/ unless the user chose another
        String root = System.getProperty("lincde.root.dir");
        if (root != null) {
            assertThat(Paths.get(p.get("javacpp.cachedir")).normalize())
                    .isEqualTo(Path.of(root).resolve(".lincde/javacpp-cache").toAbsolutePath().normalize());
        }
        assertThat(Nd4jFixtures.genericSession(DType.FLOAT32).provenance().get("fused.kernels")).startsWith("off");
    }

    @Test
    void gpuIsUnavailableOnTheCpuBuild() {
        assertThatThrownBy(() -> new Nd4jBackend().open(new SessionOptions(DType.FLOAT32, Device.GPU, 0, true, null)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("'nd4j'").hasMessageContaining("org.nd4j:nd4j-native:1.0.0-M2.1")
                .hasMessageContaining("-Dlincde.cuda=11.6");
    }

    @Test
    void sessionLifeCycle() {
        Session s = new Nd4jBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(2));
        assertThat(s.backend().id()).isEqualTo("nd4j");
        assertThat(s.options().dtype()).isEqualTo(DType.FLOAT64);
        Session.OpsFunction f = new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                return ops.square(in.get("x"));
            }
        };
        Session.GradientResult r = s.gradient(f, Map.of("x", HostTensor.of(new double[] {3, -2}, 2)));
        assertThat(r.value().data()).containsExactly(9, 4);
        assertThat(r.gradients().get("x").data()).containsExactly(6, -4);
        assertThatThrownBy(() -> s.gradient(new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                return in.get("y");
            }
        }, Map.of("x", HostTensor.of(new double[] {1}, 1)))).hasMessageContaining("no input named 'y'");
        // a failed call leaves the session usable (its workspace scope was closed)
        assertThat(s.gradient(f, Map.of("x", HostTensor.of(new double[] {1}, 1))).value().data()).containsExactly(1);
        s.close();
        s.close();
        assertThatThrownBy(() -> s.gradient(f, Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
