package org.lincde.harness.train;

/** Observes a run: the CLI shows a progress bar, tests record calls. All methods are optional. */
public interface TrainingListener {
    /** After each optimiser step. */
    default void step(long step, double loss) {}

    /** After each evaluation. */
    default void evaluated(EvaluationPoint point) {}

    /** When the run ends (close progress bars). */
    default void finished() {}

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};
}
