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
            if (Files.isRegularFile(f)) {
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
                s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(p -> {
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

    private static RunRecord read(Path f) {
        try {
            return CanonicalJson.MAPPER.readValue(Files.readString(f), RunRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("run record " + f + " is not valid: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
