package org.lincde.harness.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.harness.results.RunRecord;

/**
 * A conditioning run (docs/protocols/agreement.md §2.1): the run {@code base} again — same data, same seeds,
 * same backend (the float64 reference) — from initial parameters moved by one ulp ({@link InitPerturbation}).
 * Its distance to {@code base}'s record is the cell's intrinsic sensitivity. It is a run like any other: its
 * config is {@code base}'s plus a {@code perturbation} field, so it has its own key, record, checkpoint folder
 * and shard, and a reproduction that is stopped resumes it.
 */
public record PerturbedRunPlan(RunPlan base, InitPerturbation perturbation) implements RunPlan {
    /** The config field that names the perturbation (absent from every other run's config). */
    public static final String FIELD = "perturbation";

    public PerturbedRunPlan {
        if (!base.perturbable()) {
            throw new IllegalArgumentException("run " + base.cell() + " (" + base.getClass().getSimpleName()
                    + ") does not take its initial parameters through RunContext.initialParameters: it cannot be "
                    + "perturbed");
        }
    }

    @Override
    public String artifact() {
        return base.artifact();
    }

    /** The base run's cell, marked: "NCDE / BasicMotions / seed 2345 / conditioning (one float32 ulp)". */
    @Override
    public String cell() {
        return base.cell() + " / conditioning (" + perturbation.label() + ")";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>(base.config());
        c.put(FIELD, perturbation.describe());
        return c;
    }

    @Override
    public long plannedSteps() {
        return base.plannedSteps();
    }

    @Override
    public RunRecord execute(RunContext context) {
        String key = key();
        // (a depth search resumed wholly from its journal perturbs nothing now: its trials did, before the stop)
        RunRecord r = base.execute(context.perturbed(perturbation, key));
        return new RunRecord(key, r.artifact(), r.cell(), config(), r.status(), r.curve(), r.metrics(),
                r.stepsTaken(), r.secondsPerStep(), r.peakRssMb(), r.wallSeconds(), r.provenance());
    }
}
