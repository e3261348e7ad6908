package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lincde.backend.djl.internal.DjlRuntime;

/**
 * Starts {@link OfflineProbe} in a fresh JVM with none of the DJL settings on its command line or in
 * its environment (the build normally sets them), and checks that {@code DjlRuntime.configureOnce}
 * put them in place before the first {@code ai.djl} class loaded, that the engine started with the
 * thread counts asked for, and that nothing but loopback was connected to during engine start and a
 * training step.
 */
class OfflineFreshJvmTest {
    private static List<String> lines;
    private static Map<String, String> probe;

    @BeforeAll
    static void runProbe() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), "-D" + DjlRuntime.ROOT_DIR + "=" + DjlRuntime.repositoryRoot(),
                OfflineProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("DJL") || k.equals("OPT_OUT_TRACKING")
                || k.startsWith("PYTORCH") || k.equals("JAVA_TOOL_OPTIONS"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        lines = List.of(text.split("\n"));
        assertThat(p.exitValue()).as("probe output:\n%s", tail(text)).isZero();
        probe = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("PROBE ") && l.contains("=")) {
                String kv = l.substring(6);
                probe.merge(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1), (a, b) -> a + "\n" + b);
            }
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    @Test
    void discoveryLoadsNoDjlClass() {
        int done = lines.indexOf("PROBE discovery-done");
        assertThat(done).as("probe printed its marker").isPositive();
        List<String> early = lines.subList(0, done).stream().filter(l -> l.contains(" ai.djl.")).toList();
        assertThat(early).as("ai.djl classes loaded before the backend was opened").isEmpty();
        long later = lines.subList(done, lines.size()).stream().filter(l -> l.contains(" ai.djl.engine.Engine ")).count();
        assertThat(later).as("the class-load log does show DJL's engine once the session opens").isPositive();
    }

    @Test
    void propertiesWereSetBeforeTheEngineStarted() {
        assertThat(probe).containsEntry("property.ai.djl.offline", "true")
                .containsEntry("property.OPT_OUT_TRACKING", "true")
                .containsEntry("property.ai.djl.pytorch.num_threads", "1")
                .containsEntry("property.ai.djl.pytorch.num_interop_threads", "1");
        assertThat(Path.of(probe.get("property.DJL_CACHE_DIR")))
                .isEqualTo(DjlRuntime.repositoryRoot().resolve(".lincde").resolve("djl-cache"));
        // inter-op threads are only ever set from the property at engine start (the machine default is
        // the core count): 1 here proves the property was in place before PtEngine initialised
        assertThat(probe).containsEntry("provenance.threads.inter_op", "1")
                .containsEntry("provenance.threads.intra_op", "1")
                .containsEntry("provenance.libtorch.version", "2.7.1")
                .containsEntry("step.finite", "true");
    }

    @Test
    void onlyLoopbackIsEverConnectedTo() throws IOException {
        String seen = probe.getOrDefault("connect", "");
        List<String> uris = seen.isEmpty() ? List.of() : List.of(seen.split("\n"));
        assertThat(uris).as("the deliberate loopback connection was recorded (the recorder works)")
                .anyMatch(u -> u.startsWith("socket://"));
        for (String u : uris) {
            String host = URI.create(u).getHost();
            assertThat(InetAddress.getByName(host).isLoopbackAddress()).as("connection to %s", u).isTrue();
        }
    }
}
