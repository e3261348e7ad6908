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
        m.putAll(cpu());
        m.put("recorded_at", Instant.now().toString());
        return m;
    }

    /** The environment variables that pin native kernels to one instruction set ({@code ./lincde --pinned}). */
    public static final List<String> PINNING_VARIABLES = List.of("ATEN_CPU_CAPABILITY", "MKL_CBWR",
            "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE");

    /**
     * The CPU a run computed on: its model name, the vector instruction sets it offers that native kernels
     * dispatch on (float32 trajectories depend on them: docs/protocols/agreement.md), and the kernel-pinning
     * environment variables as set (absent: each library picks for the CPU at hand).
     */
    public static Map<String, String> cpu() {
        Map<String, String> m = new LinkedHashMap<>();
        String model = "unknown";
        String flags = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (model.equals("unknown") && line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if (flags.isEmpty() && line.startsWith("flags")) {
                    flags = line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the model stays unknown
        }
        m.put("cpu.model", model);
        java.util.Set<String> have = new java.util.HashSet<>(List.of(flags.split("\\s+")));
        List<String> isa = new java.util.ArrayList<>();
        for (String f : List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                "avx512_vnni", "avx512_bf16", "amx_tile")) {
            if (have.contains(f)) {
                isa.add(f);
            }
        }
        m.put("cpu.isa", flags.isEmpty() ? "unknown" : String.join(" ", isa));
        for (String v : PINNING_VARIABLES) {
            String value = System.getenv(v);
            m.put("env." + v, value == null ? "unset" : value);
        }
        return m;
    }

    /** The git commit of the repo lincde runs from ({@code lincde.root.dir}), or "unknown". */
    public static String gitCommit() {
        return gitCommit(Path.of(System.getProperty("lincde.root.dir", ".")));
    }

    /**
     * The commit checked out in {@code root}, read from the files git keeps (no git process): a clone's {@code .git}
     * folder, or a linked worktree's or submodule's {@code .git} file ("gitdir: …"), whose branch refs live in the
     * common folder its {@code commondir} names. "unknown" when none of these is readable.
     */
    static String gitCommit(Path root) {
        try {
            Path dotGit = root.resolve(".git");
            Path gitDir = dotGit;
            if (Files.isRegularFile(dotGit)) {
                String link = Files.readString(dotGit).trim();
                if (!link.startsWith("gitdir: ")) {
                    return "unknown";
                }
                gitDir = root.resolve(link.substring("gitdir: ".length()).trim()).normalize();
            }
            Path head = gitDir.resolve("HEAD");
            if (!Files.isRegularFile(head)) {
                return "unknown";
            }
            String ref = Files.readString(head).trim();
            if (!ref.startsWith("ref: ")) {
                return ref;
            }
            String name = ref.substring(5);
            Path commonDir = gitDir;
            Path commonFile = gitDir.resolve("commondir");
            if (Files.isRegularFile(commonFile)) {
                commonDir = gitDir.resolve(Files.readString(commonFile).trim()).normalize();
            }
            for (Path dir : List.of(gitDir, commonDir)) {
                Path refFile = dir.resolve(name);
                if (Files.isRegularFile(refFile)) {
                    return Files.readString(refFile).trim();
                }
                Path packed = dir.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String line : Files.readAllLines(packed)) {
                        if (line.endsWith(" " + name)) {
                            return line.substring(0, line.indexOf(' '));
                        }
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
