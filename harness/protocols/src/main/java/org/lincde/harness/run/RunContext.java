package org.lincde.harness.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.lincde.harness.train.TrainingListener;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.DType;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;

/**
 * What runs share: backends and structures, one open session per (backend, dtype), where checkpoints
 * go, how progress is shown and where messages go. Closing it closes the sessions.
 */
public final class RunContext implements AutoCloseable {
    private final BackendRegistry backends;
    private final StructureRegistry structures;
    private final Path checkpoints;
    private final ProgressFactory progress;
    private final PrintWriter log;
    private final int threads;
    private org.lincde.spi.Device device = org.lincde.spi.Device.CPU;
    private final Map<String, Session> sessions = new HashMap<>();

    /** Creates progress bars (or nothing) for a run. */
    @FunctionalInterface
    public interface ProgressFactory {
        /** A listener showing a run labelled {@code label} of at most {@code steps} steps. */
        TrainingListener open(String label, long steps);

        /** No progress output. */
        ProgressFactory NONE = (l, s) -> TrainingListener.NONE;
    }

    /**
     * @param checkpoints folder for checkpoints (null: none are written)
     * @param threads     intra-op threads for sessions (0: backend default)
     */
    public RunContext(BackendRegistry backends, StructureRegistry structures, Path checkpoints,
                      ProgressFactory progress, PrintWriter log, int threads) {
        this.backends = backends;
        this.structures = structures;
        this.checkpoints = checkpoints;
        this.progress = progress;
        this.log = log;
        this.threads = threads;
    }

    /** Sessions opened from now on run on {@code d} (CPU by default). */
    public RunContext onDevice(org.lincde.spi.Device d) {
        this.device = d;
        return this;
    }

    /** Backends on the class path. */
    public BackendRegistry backends() {
        return backends;
    }

    /** Structures on the class path. */
    public StructureRegistry structures() {
        return structures;
    }

    /** The open session of {@code backendId} in {@code dtype}, opened on first use. */
    public Session session(String backendId, DType dtype) {
        return sessions.computeIfAbsent(backendId + "/" + dtype,
                k -> backends.get(backendId).open(new SessionOptions(dtype, device, threads, true, null)));
    }

    /** Checkpoint folder of run {@code key}, or null when checkpoints are off. */
    public Path checkpointDir(String key) {
        return checkpoints == null ? null : checkpoints.resolve(key);
    }

    /** A progress listener for one run. */
    public TrainingListener progress(String label, long steps) {
        return progress.open(label, steps);
    }

    /** Where messages go. */
    public PrintWriter log() {
        return log;
    }

    @Override
    public void close() {
        sessions.values().forEach(Session::close);
        sessions.clear();
    }
}
