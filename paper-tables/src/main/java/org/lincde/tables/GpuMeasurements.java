package org.lincde.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training-step costs measured once on a GPU by {@code ci/gpu/run-on-device.sh} and committed, as the run wrote
 * them, under {@code docs/measurements/<set>/} (this jar ships them): lincde's {@code bench} lines, the SLiCE
 * authors' PyTorch models timed on the same GPU and shapes, the run's log (each step's exit code, seconds and
 * error) and nvidia-smi's memory samples. {@code slice-costs} and {@code slice-fig5} show them beside their CPU
 * numbers; {@code reproduce} never re-runs them (docs/gpu.md says how to). A cell the run did not measure
 * carries the reason its log gives (time limit, CUDA out of memory, budget), never a blank.
 */
public final class GpuMeasurements {
    /** The committed sets, newest last (docs/measurements/index.txt). */
    static final String ROOT = "measurements/";
    private static final Pattern STEP = Pattern.compile("^\\[(\\d+)s\\] (.+?): rc=(\\d+) in (\\d+)s: ");
    private static final Pattern OOM = Pattern.compile("CUDA out of memory\\. Tried to allocate ([0-9.]+ [GMK]iB)");
    private static final DateTimeFormatter SMI = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");

    /** A measured cell: seconds per training step and peak GPU memory, or the reason there is none. */
    public record Cell(Optional<Double> secPerStep, Optional<Double> peakGpuMib, String reason) {
        static Cell missing(String reason) {
            return new Cell(Optional.empty(), Optional.empty(), reason);
        }

        /** Seconds per step with 3 significant digits, or the reason. */
        public String seconds() {
            return secPerStep.map(GpuMeasurements::sig3).orElse(reason);
        }

        /** Seconds per 1 000 steps, or the reason. */
        public String secondsPer1000() {
            return secPerStep.map(s -> String.format("%,.0f", s * 1000)).orElse(reason);
        }

        /** Peak GPU MiB, or "—". */
        public String memory() {
            return peakGpuMib.map(m -> String.format("%,.0f", m)).orElse("—");
        }
    }

    private final String set;
    private final String gpu;
    private final String torch;
    private final String commit;
    private final Instant start;
    private final Map<String, Cell> lincde = new LinkedHashMap<>();
    private final Map<String, Cell> authors = new LinkedHashMap<>();

    private GpuMeasurements(String set, String probe, String log, List<JsonNode> bench, String mem,
                            Map<String, JsonNode> peers) {
        this.set = set;
        this.gpu = after(probe, "== nvidia-smi", 2).split(",")[0].trim();
        this.torch = after(probe, "== torch", 1).split(" ")[0];
        Matcher kit = Pattern.compile("packed \\S+ from (\\S+)").matcher(probe);
        this.commit = kit.find() ? kit.group(1) : "?";
        Matcher date = Pattern.compile("== date: (\\S+)").matcher(probe);
        if (!date.find()) {
            throw new IllegalStateException(where(set, "probe.txt") + ": no '== date:' line");
        }
        this.start = Instant.parse(date.group(1));
        List<long[]> samples = memory(set, mem);
        int next = 0;
        for (Step s : steps(log)) {
            if (!s.name.startsWith("bench ")) {
                continue;
            }
            // "bench MODEL SHAPE" (R1 configs) or "bench r3 MODEL SHAPE" (R3's classifiers, keyed "r3:MODEL")
            String[] words = s.name.substring("bench ".length()).split(" ");
            String key = (words.length == 3 ? words[0] + ":" : "") + words[words.length - 2] + "@"
                    + words[words.length - 1];
            if (s.rc == 0) {
                if (next >= bench.size()) {
                    throw new IllegalStateException(where(set, "bench.json") + ": fewer lines than the log's "
                            + "successful bench steps (step '" + s.name + "')");
                }
                JsonNode b = bench.get(next++);
                // the n-th line belongs to the n-th successful step: its length must be that step's shape's
                int expected = words[words.length - 1].equals("regular") ? 40
                        : words[words.length - 1].equals("eigenworms") ? 17_984 : b.path("length").asInt();
                if (b.path("length").asInt() != expected) {
                    throw new IllegalStateException(where(set, "bench.json") + " line " + next + " has length "
                            + b.path("length").asInt() + ", but the log's step '" + s.name + "' ran length " + expected);
                }
                long end = start.getEpochSecond() + s.endSecond;
                // the step's own window, its first second left out (the previous process may still hold memory)
                lincde.put(key, new Cell(Optional.of(b.get("sec_per_step").asDouble()),
                        peak(samples, (end - s.seconds + 1) * 1000, end * 1000), ""));
            } else {
                lincde.put(key, Cell.missing(failure(s.rc, s.seconds, s.stderr)));
            }
        }
        peers.forEach((shape, list) -> list.forEach(p -> {
            String key = p.get("model").asText() + "@" + shape;
            if (p.hasNonNull("sec_per_step")) {
                authors.put(key, new Cell(Optional.of(p.get("sec_per_step").asDouble()),
                        Optional.ofNullable(p.get("peak_gpu_mb")).map(JsonNode::asDouble), ""));
            } else if (p.hasNonNull("error")) {
                authors.put(key, Cell.missing(failure(1, 0, p.get("error").asText())));
            } else {
                authors.put(key, Cell.missing("not run: " + p.path("skipped").asText("no result")));
            }
        }));
    }

    /** The newest committed set, if this jar has one. */
    public static Optional<GpuMeasurements> latest() {
        String index = resource(ROOT + "index.txt").orElse("");
        List<String> sets = index.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        return sets.isEmpty() ? Optional.empty() : Optional.of(load(ROOT, sets.get(sets.size() - 1)));
    }

    /**
     * Loads set {@code set} from the class-path folder {@code root}, a resource path relative to this class's package
     * ending in '/' ({@code "measurements/"} for the committed sets).
     */
    public static GpuMeasurements load(String root, String set) {
        String base = root + set + "/";
        String probe = required(base, "probe.txt");
        List<JsonNode> bench = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        int line = 0;
        for (String l : required(base, "bench.json").lines().toList()) {
            line++;
            if (l.startsWith("{")) {
                try {
                    bench.add(json.readTree(l));
                } catch (IOException e) {
                    throw new IllegalStateException(where(set, "bench.json") + " line " + line + ": " + e.getMessage(), e);
                }
            }
        }
        Map<String, JsonNode> peers = new LinkedHashMap<>();
        for (String shape : List.of("regular", "eigenworms")) {
            Optional<String> text = resource(base + "peers_" + shape + ".json");
            if (text.isPresent()) {
                try {
                    peers.put(shape, json.readTree(text.get()));
                } catch (IOException e) {
                    throw new IllegalStateException(where(set, "peers_" + shape + ".json") + ": " + e.getMessage(), e);
                }
            }
        }
        return new GpuMeasurements(set, probe, required(base, "log.txt"), bench,
                resource(base + "mem.csv").orElse(""), peers);
    }

    /**
     * lincde's cell for a model as ci/gpu/run-on-device.sh names it (diagonal, block4, …, lstm; R3's classifiers
     * as r3:lru, r3:S5, r3:S6, r3:mamba) at a shape (regular, eigenworms).
     */
    public Cell lincde(String model, String shape) {
        return lincde.getOrDefault(model + "@" + shape, Cell.missing("not in this run"));
    }

    /** The authors' PyTorch cell for the same model and shape. */
    public Cell authors(String model, String shape) {
        return authors.getOrDefault(model + "@" + shape, Cell.missing("not in this run"));
    }

    /** One line naming the GPU, the date, the engines and where the raw files are. */
    public String provenance() {
        return String.format("%s, %s, lincde %s on `djl` (DJL 0.35.1's JNI bridge built there against libtorch %s), "
                        + "float32; raw outputs: docs/measurements/%s/", gpu, start.toString().substring(0, 10), commit,
                torch, set);
    }

    /** The GPU's name as nvidia-smi prints it. */
    public String gpu() {
        return gpu;
    }

    private record Step(String name, int rc, int endSecond, int seconds, String stderr) {}

    private static List<Step> steps(String log) {
        List<Step> out = new ArrayList<>();
        String[] lines = log.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = STEP.matcher(lines[i]);
            if (!m.find()) {
                continue;
            }
            StringBuilder err = new StringBuilder();
            for (int j = i + 1; j < lines.length && lines[j].startsWith("    "); j++) {
                err.append(lines[j].trim()).append('\n');
            }
            out.add(new Step(m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(4)), err.toString()));
        }
        return out;
    }

    /** Why a step has no number, from its exit code and error text. */
    static String failure(int rc, int seconds, String stderr) {
        Matcher oom = OOM.matcher(stderr);
        if (oom.find()) {
            return "CUDA out of memory (asked for " + oom.group(1) + " more)";
        }
        if (rc == 124 || rc == 137) {
            return "not finished in the run's " + seconds + " s for this step";
        }
        String first = stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("no error text");
        return "failed (exit " + rc + "): " + (first.length() > 80 ? first.substring(0, 80) + "…" : first);
    }

    /** nvidia-smi samples as (epoch milliseconds, MiB). */
    private static List<long[]> memory(String set, String csv) {
        List<long[]> out = new ArrayList<>();
        int line = 0;
        for (String l : csv.lines().toList()) {
            line++;
            String[] f = l.split(", ");
            if (f.length != 2 || !f[1].endsWith(" MiB")) {
                continue;
            }
            try {
                long t = LocalDateTime.parse(f[0], SMI).toInstant(ZoneOffset.UTC).toEpochMilli();
                out.add(new long[] {t, Long.parseLong(f[1].substring(0, f[1].length() - 4))});
            } catch (RuntimeException e) {
                throw new IllegalStateException(where(set, "mem.csv") + " line " + line + ": '" + l + "'", e);
            }
        }
        return out;
    }

    private static Optional<Double> peak(List<long[]> samples, long fromMs, long toMs) {
        return samples.stream().filter(s -> s[0] >= fromMs && s[0] <= toMs).map(s -> (double) s[1])
                .max(Double::compare);
    }

    private static String after(String text, String header, int offset) {
        List<String> lines = text.lines().toList();
        int i = lines.indexOf(header);
        if (i < 0 || i + offset >= lines.size()) {
            throw new IllegalStateException("probe.txt: no '" + header + "' section");
        }
        return lines.get(i + offset);
    }

    private static String required(String base, String file) {
        return resource(base + file).orElseThrow(() -> new IllegalStateException(
                "GPU measurements: no " + base + file + " on the class path"));
    }

    private static Optional<String> resource(String path) {
        try (InputStream in = GpuMeasurements.class.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String where(String set, String file) {
        return "docs/measurements/" + set + "/" + file;
    }

    static String sig3(double v) {
        return v >= 100 ? String.format("%,.0f", v) : v >= 10 ? String.format("%.1f", v)
                : v >= 1 ? String.format("%.2f", v) : String.format("%.3g", v);
    }
}
