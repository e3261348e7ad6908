package org.lincde.backend.djl.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The kernel level libtorch picks on this CPU, for provenance: float32 results depend on it (wider vectors
 * reduce in another order), so two machines that pick differently train different float32 trajectories from
 * the same seed (docs/protocols/agreement.md, "Machines").
 */
final class CpuKernels {
    private CpuKernels() {}

    /**
     * ATen's CPU capability, by ATen's own rule (PyTorch 2.7, aten/src/ATen/native/DispatchStub.cpp,
     * {@code compute_cpu_capability}): {@code ATEN_CPU_CAPABILITY} when it names a level (avx512, avx2,
     * default), else avx512 when the CPU has AVX-512 VL, BW, DQ and FMA, else avx2 when it has AVX2 and FMA,
     * else default. libtorch has no call that reports it, so it is derived from /proc/cpuinfo.
     */
    static String atenCapability(String env, Set<String> flags) {
        if (env != null) {
            String e = env.trim().toLowerCase(Locale.ROOT);
            if (List.of("avx512", "avx2", "default").contains(e)) {
                return e + " (ATEN_CPU_CAPABILITY)";
            }
        }
        if (flags.isEmpty()) {
            return "unknown (no /proc/cpuinfo)";
        }
        if (flags.containsAll(List.of("avx512vl", "avx512bw", "avx512dq", "fma"))) {
            return "avx512 (chosen for this CPU)";
        }
        if (flags.containsAll(List.of("avx2", "fma"))) {
            return "avx2 (chosen for this CPU)";
        }
        return "default (chosen for this CPU)";
    }

    /** The CPU's flags from /proc/cpuinfo (empty where there is none). */
    static Set<String> flags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return new HashSet<>(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Set.of();
    }

    /** Provenance entries: ATen's capability, and how MKL and oneDNN (inside libtorch) dispatch. */
    static Map<String, String> provenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aten.cpu_capability", atenCapability(System.getenv("ATEN_CPU_CAPABILITY"), flags()));
        String cbwr = System.getenv("MKL_CBWR");
        m.put("mkl.cbwr", cbwr == null ? "unset (MKL dispatches by CPU)" : cbwr);
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        m.put("onednn.max_cpu_isa", isa == null ? "unset (oneDNN dispatches by CPU)" : isa);
        return m;
    }
}
