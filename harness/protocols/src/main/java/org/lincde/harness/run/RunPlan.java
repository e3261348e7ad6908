package org.lincde.harness.run;

import java.util.Map;
import org.lincde.harness.results.CanonicalJson;
import org.lincde.harness.results.RunRecord;

/**
 * One idempotent unit of work of a reproduction: everything that defines a run (its resolved config,
 * hashed into its key) and how to execute it. A run whose record exists is never run again.
 */
public interface RunPlan {
    /** The artifact the run belongs to. */
    String artifact();

    /** A human label for the run ("BD4-LNCDE / cycle_nav / run 0"). */
    String cell();

    /** The resolved config: everything that defines the run, nothing observed. */
    Map<String, Object> config();

    /** The run's identity: the hash of {@link #config()}. */
    default String key() {
        return CanonicalJson.key(config());
    }

    /** Optimiser steps the run will take at most (for progress bars and cost estimates). */
    long plannedSteps();

    /** Executes the run and returns its record (the caller stores it). */
    RunRecord execute(RunContext context);
}
