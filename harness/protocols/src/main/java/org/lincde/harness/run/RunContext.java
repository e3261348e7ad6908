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
    private final Map<String, Session> sessions;
    /** The perturbation of this context's runs' initial parameters (null: none) and the run it is for. */
    private final InitPerturbation perturbation;
    private final String perturbedKey;
    private boolean perturbed;

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
        this.sessions = new HashMap<>();
        this.perturbation = null;
        this.perturbedKey = null;
    }

    private RunContext(RunContext of, InitPerturbation perturbation, String key) {
        this.backends = of.backends;
        this.structures = of.structures;
        this.checkpoints = of.checkpoints;
        this.progress = of.progress;
        this.log = of.log;
        this.threads = of.threads;
        this.device = of.device;
        this.sessions = of.sessions;
        this.perturbation = perturbation;
        this.perturbedKey = key;
    }

    /**
     * A view of this context for the conditioning run {@code key} (docs/protocols/agreement.md §2.1): the same
     * sessions, but {@link #initialParameters} perturbs, and the run's checkpoints go to the folder of
     * {@code key}, not of the unperturbed run it re-runs. Closing the view closes nothing.
     */
    public RunContext perturbed(InitPerturbation p, String key) {
        return new RunContext(this, java.util.Objects.requireNonNull(p), java.util.Objects.requireNonNull(key));
    }

    /**
     * The initial parameters a run trains from: {@code init} itself, or in a conditioning run's context
     * {@code init} perturbed. Every run plan that is {@link RunPlan#perturbable()} passes its freshly initialised
     * parameters through here (and nothing else: not a checkpoint's, not a best model's).
     */
    public org.lincde.spi.ParameterSet initialParameters(org.lincde.spi.ParameterSet init) {
        if (perturbation == null) {
            return init;
        }
        perturbed = true;
        return perturbation.apply(init);
    }

    /** Whether a run in this context took its initial parameters through {@link #initialParameters}. */
    public boolean perturbationApplied() {
        return perturbed;
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
        return checkpoints == null ? null : checkpoints.resolve(perturbedKey != null ? perturbedKey : key);
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
        if (perturbation != null) {
            return; // a view: the sessions are its parent's
        }
        sessions.values().forEach(Session::close);
        sessions.clear();
    }
}
