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

    /**
     * The run's identity: the hash of {@link #config()} together with the versions of the code it uses
     * ({@link CodeVersions#fingerprint}), so a record made by older numbers is never taken for this run.
     */
    default String key() {
        return keyOf(config());
    }

    /** The hash of {@link #config()} alone: equal for records of this run made by any code version. */
    default String configKey() {
        return CanonicalJson.key(config());
    }

    /** The key of a run with this resolved config under the current code versions. */
    static String keyOf(Map<String, Object> config) {
        Map<String, Object> keyed = new java.util.LinkedHashMap<>(config);
        keyed.put("code", CodeVersions.fingerprint(config));
        return CanonicalJson.key(keyed);
    }

    /** Optimiser steps the run will take at most (for progress bars and cost estimates). */
    long plannedSteps();

    /**
     * Whether the run takes its freshly initialised parameters through {@link RunContext#initialParameters}, so a
     * conditioning run ({@link PerturbedRunPlan}) can perturb them. Runs that train nothing from initial
     * parameters (least squares, step-cost measurements) are not.
     */
    default boolean perturbable() {
        return false;
    }

    /** Executes the run and returns its record (the caller stores it). */
    RunRecord execute(RunContext context);
}
