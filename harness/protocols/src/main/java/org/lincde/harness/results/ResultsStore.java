package org.lincde.harness.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.lincde.harness.io.AtomicFiles;

/**
 * Append-only, content-addressed run records under a root folder ({@code results/}):
 * {@code <root>/<artifact>/<key>.json}, each written atomically, so a killed reproduction resumes by
 * skipping every run whose record exists (losing at most the run in flight), and shards on several
 * machines can write into copies of the same tree.
 */
public final class ResultsStore {
    private final Path root;

    /** A store rooted at {@code root} (created on first write). */
    public ResultsStore(Path root) {
        this.root = root;
    }

    /** The root folder. */
    public Path root() {
        return root;
    }

    private Path file(String artifact, String key) {
        return root.resolve(artifact).resolve(key + ".json");
    }

    /** Whether a record for {@code key} exists. */
    public boolean has(String artifact, String key) {
        return Files.isRegularFile(file(artifact, key));
    }

    /** Writes {@code record} atomically (replacing an earlier record of the same key). */
    public void put(RunRecord record) {
        try {
            AtomicFiles.writeString(file(record.artifact(), record.key()), CanonicalJson.pretty(record) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run record " + file(record.artifact(), record.key()), e);
        }
    }

    /** The record for {@code key}, if present. */
    public Optional<RunRecord> get(String artifact, String key) {
        Path f = file(artifact, key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(read(f));
    }

    /** Every record of {@code artifact}, sorted by key. */
    public List<RunRecord> all(String artifact) {
        Path dir = root.resolve(artifact);
        List<RunRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(p -> out.add(read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
