package org.lincde.harness.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.lincde.harness.io.AtomicFiles;

/**
 * Append-only, content-addressed run records under a root folder ({@code results/}):
 * {@code <root>/<artifact>/<key>.json}, each written atomically, so a killed reproduction resumes by
 * skipping every run whose record exists (losing at most the run in flight), and shards on several
 * machines can write into copies of the same tree.
 *
 * <p>A store may read several roots ({@code report --results A --results B}: the record folders of several
 * machines merged); it writes into the first. Records of one key found in more than one root are compared
 * ({@link #conflicts}). Records made by older code (same config, another code fingerprint) are found through
 * {@link #stale}.
 */
public final class ResultsStore {
    private final List<Path> roots;
    /** artifact → config key → record key, built on first use per artifact. */
    private final Map<String, Map<String, String>> byConfigKey = new HashMap<>();

    /** A store rooted at {@code root} (created on first write). */
    public ResultsStore(Path root) {
        this(List.of(root));
    }

    /** A store that reads {@code roots} (in that order) and writes into the first. */
    public ResultsStore(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a results store needs at least one folder");
        }
        this.roots = List.copyOf(roots);
    }

    /** The root folder records are written into. */
    public Path root() {
        return roots.get(0);
    }

    /** Every folder this store reads. */
    public List<Path> roots() {
        return roots;
    }

    private Path file(Path root, String artifact, String key) {
        return root.resolve(artifact).resolve(key + ".json");
    }

    private Optional<Path> find(String artifact, String key) {
        for (Path r : roots) {
            Path f = file(r, artifact, key);
            if (Files.isRegularFile(f) && !ignored.contains(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Whether a record for {@code key} exists. */
    public boolean has(String artifact, String key) {
        return find(artifact, key).isPresent();
    }

    /** Writes {@code record} atomically (replacing an earlier record of the same key). */
    public void put(RunRecord record) {
        Path f = file(root(), record.artifact(), record.key());
        try {
            AtomicFiles.writeString(f, CanonicalJson.pretty(record) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run record " + f, e);
        }
        Map<String, String> index = byConfigKey.get(record.artifact());
        if (index != null) {
            index.put(CanonicalJson.key(record.config()), record.key());
        }
    }

    /** The record for {@code key}, if present. */
    public Optional<RunRecord> get(String artifact, String key) {
        return find(artifact, key).map(ResultsStore::read);
    }

    /**
     * A record of the same config ({@code configKey}, the hash of the config alone) made by other code versions
     * than the run's current {@code key}: the stale result of that run, if any.
     */
    public Optional<RunRecord> stale(String artifact, String configKey, String key) {
        String found = byConfigKey.computeIfAbsent(artifact, this::indexByConfig).get(configKey);
        if (found == null || found.equals(key)) {
            return Optional.empty();
        }
        return get(artifact, found);
    }

    private Map<String, String> indexByConfig(String artifact) {
        Map<String, String> index = new HashMap<>();
        for (RunRecord r : all(artifact)) {
            index.putIfAbsent(CanonicalJson.key(r.config()), r.key());
        }
        return index;
    }

    /** Every record of {@code artifact}, sorted by key (one per key: the first root's). */
    public List<RunRecord> all(String artifact) {
        Map<String, Path> files = files(artifact).entrySet().stream().collect(LinkedHashMap::new,
                (m, e) -> m.put(e.getKey(), e.getValue().get(0)), Map::putAll);
        List<RunRecord> out = new ArrayList<>();
        files.keySet().stream().sorted().forEach(k -> out.add(read(files.get(k))));
        return out;
    }

    /** key → the files holding it, in root order. */
    private Map<String, List<Path>> files(String artifact) {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        for (Path r : roots) {
            Path dir = r.resolve(artifact);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".json") && !ignored.contains(p)).sorted()
                        .forEach(p -> {
                    String name = p.getFileName().toString();
                    out.computeIfAbsent(name.substring(0, name.length() - 5), k -> new ArrayList<>()).add(p);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * Keys of {@code artifact} whose records in different roots disagree on what a run produced (status, steps,
     * metrics or curve; timings and provenance may differ), each with the files that disagree.
     */
    public Map<String, List<Path>> conflicts(String artifact) {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        files(artifact).forEach((key, paths) -> {
            if (paths.size() > 1) {
                RunRecord first = read(paths.get(0));
                for (Path p : paths.subList(1, paths.size())) {
                    RunRecord other = read(p);
                    if (!sameResult(first, other)) {
                        out.put(key, paths);
                        break;
                    }
                }
            }
        });
        return out;
    }

    private static boolean sameResult(RunRecord a, RunRecord b) {
        return Objects.equals(a.status(), b.status()) && a.stepsTaken() == b.stepsTaken()
                && Objects.equals(computed(a.metrics()), computed(b.metrics())) && Objects.equals(a.curve(), b.curve());
    }

    /** The metrics a run computes, without the measured times (which differ between machines by nature). */
    private static Map<String, Double> computed(Map<String, Double> metrics) {
        Map<String, Double> out = new HashMap<>(metrics);
        out.keySet().removeIf(k -> k.contains("sec") || k.contains("rss") || k.contains("memory"));
        return out;
    }

    /** The folder a bad record of {@code artifact} is moved into, in {@code root}. */
    public static final String QUARANTINE = "quarantine";

    /**
     * Fails, before any run, when records could not be written: the first folder is not a folder (or cannot be
     * created), or a file cannot be created in it. The message names the folder and the reason.
     */
    public void checkWritable() {
        Path root = root();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("results folder " + root + " is a file, not a folder: records cannot "
                    + "be written there (move it away or give --results DIR)");
        }
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".write-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("results folder " + root + " is not writable (" + e.getClass()
                    .getSimpleName().replace("Exception", "") + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "): no run was started");
        }
    }

    /** Fails when a folder this store reads exists but is not a folder. */
    public void checkReadable() {
        for (Path r : roots) {
            if (Files.exists(r) && !Files.isDirectory(r)) {
                throw new IllegalArgumentException("results folder " + r + " is a file, not a folder");
            }
        }
    }

    /**
     * Moves every record of {@code artifact} that cannot be read back (empty, truncated, not JSON, or naming another
     * key or artifact than its file) into {@code <root>/<artifact>/quarantine/}, in every folder this store reads,
     * so that its run is planned again and the report shows it; returns the records moved now. A record that cannot
     * be moved (a read-only folder) is left where it is but ignored all the same.
     */
    public List<Path> quarantine(String artifact) {
        List<Path> moved = new ArrayList<>();
        for (Path r : roots) {
            Path dir = r.resolve(artifact);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
            for (Path f : files) {
                String problem = problem(f, artifact);
                if (problem == null) {
                    continue;
                }
                Path q = dir.resolve(QUARANTINE);
                try {
                    Files.createDirectories(q);
                    Path to = q.resolve(f.getFileName());
                    for (int i = 1; Files.exists(to); i++) {
                        to = q.resolve(f.getFileName() + "." + i);
                    }
                    Files.move(f, to);
                    AtomicFiles.writeString(q.resolve(to.getFileName() + ".why"), problem + "\n");
                    moved.add(to);
                } catch (IOException e) {
                    ignored.add(f);
                }
            }
        }
        byConfigKey.remove(artifact);
        return moved;
    }

    /** Records in the quarantine folders of {@code artifact} (moved there now or by an earlier run), with why. */
    public Map<Path, String> quarantined(String artifact) {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Path r : roots) {
            Path q = r.resolve(artifact).resolve(QUARANTINE);
            if (!Files.isDirectory(q)) {
                continue;
            }
            try (Stream<Path> s = Files.list(q)) {
                for (Path p : s.filter(p -> !p.getFileName().toString().endsWith(".why")).sorted().toList()) {
                    Path why = p.resolveSibling(p.getFileName() + ".why");
                    out.put(p, Files.isRegularFile(why) ? Files.readString(why).strip() : "not a valid run record");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + q, e);
            }
        }
        for (Path f : ignored) {
            if (f.getParent() != null && f.getParent().getFileName().toString().equals(artifact)) {
                out.put(f, "not a valid run record (could not be moved aside; ignored)");
            }
        }
        return out;
    }

    private final java.util.Set<Path> ignored = new java.util.LinkedHashSet<>();

    /** Why {@code f} is not a usable record of {@code artifact}, or null if it is one. */
    private static String problem(Path f, String artifact) {
        String name = f.getFileName().toString();
        String key = name.substring(0, name.length() - 5);
        RunRecord r;
        try {
            if (Files.size(f) == 0) {
                return "empty file";
            }
            r = read(f);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
        if (r == null || r.key() == null || r.status() == null || r.config() == null) {
            return "a run record needs key, status and config";
        }
        if (!key.equals(r.key())) {
            return "holds the record of key " + r.key() + ", not " + key;
        }
        if (!artifact.equals(r.artifact())) {
            return "holds a record of artifact " + r.artifact() + ", not " + artifact;
        }
        return null;
    }

    private static RunRecord read(Path f) {
        try {
            return CanonicalJson.MAPPER.readValue(Files.readString(f), RunRecord.class);
        } catch (JsonProcessingException e) {
            String m = String.valueOf(e.getOriginalMessage());
            throw new IllegalArgumentException("run record " + f + " is not valid: "
                    + m.lines().findFirst().orElse(m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run record " + f, e);
        }
    }
}
