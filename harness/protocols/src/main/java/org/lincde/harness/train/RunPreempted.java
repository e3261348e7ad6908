package org.lincde.harness.train;

/** A run stopped by {@link Preemption} after saving its checkpoint: rerunning it resumes from {@link #step()}. */
public final class RunPreempted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    /** Stopped before step {@code step} (the checkpoint's next step). */
    public RunPreempted(long step) {
        super("preempted before step " + step + "; the checkpoint is saved and a rerun resumes from it");
        this.step = step;
    }

    /** The step a rerun resumes at. */
    public long step() {
        return step;
    }
}
