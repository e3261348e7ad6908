package org.lincde.harness.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was observed about a run, kept apart from the hashed config (Tribuo's configured-vs-observed
 * lesson): backend and native versions, device, dtype, threads in use, lincde version and git commit,
 * JVM, OS, architecture, cores, host, times.
 */
public final class Provenance {
    private Provenance() {}

    /** The machine and software facts of this JVM, plus the session's own provenance. */
    public static Map<String, String> collect(Map<String, String> session) {
        Map<String, String> m = new LinkedHashMap<>(session);
        String v = Provenance.class.getPackage().getImplementationVersion();
        m.put("lincde.version", v == null ? "dev" : v);
        m.put("git.commit", gitCommit());
        m.put("java.version", System.getProperty("java.version"));
        m.put("java.vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("recorded_at", Instant.now().toString());
        return m;
    }

    /** The git commit of the repo lincde runs from ({@code lincde.root.dir}), or "unknown". */
    public static String gitCommit() {
        Path root = Path.of(System.getProperty("lincde.root.dir", "."));
        try {
            Path head = root.resolve(".git/HEAD");
            if (!Files.isRegularFile(head)) {
                return "unknown";
            }
            String ref = Files.readString(head).trim();
            if (!ref.startsWith("ref: ")) {
                return ref;
            }
            Path refFile = root.resolve(".git").resolve(ref.substring(5));
            if (Files.isRegularFile(refFile)) {
                return Files.readString(refFile).trim();
            }
            Path packed = root.resolve(".git/packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed)) {
                    if (line.endsWith(" " + ref.substring(5))) {
                        return line.substring(0, line.indexOf(' '));
                    }
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    /** Peak resident set size of this process in MB (Linux VmHWM), or NaN where unavailable. */
    public static double peakRssMb() {
        return procStatusMb("VmHWM:");
    }

    /** Current resident set size in MB (Linux VmRSS), or NaN. */
    public static double rssMb() {
        return procStatusMb("VmRSS:");
    }

    private static double procStatusMb(String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith(field)) {
                    String[] parts = l.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
