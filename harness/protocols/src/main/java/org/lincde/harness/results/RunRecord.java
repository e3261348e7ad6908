package org.lincde.harness.results;

import java.util.List;
import java.util.Map;
import org.lincde.harness.train.EvaluationPoint;

/**
 * One finished run, as stored under {@code results/<artifact>/<key>.json}: the resolved config and
 * its hash ({@code key}), the metric curve, final metrics, timing, memory and provenance. Enough to
 * rerun the run ({@code config}) and to compare two records.
 *
 * @param key            hash of {@code config} (the run's identity)
 * @param artifact       the paper artifact the run belongs to
 * @param cell           the artifact's label for the run ("BD4-LNCDE / cycle_nav / seed 1234")
 * @param config         the resolved config (everything that defines the run, nothing observed)
 * @param status         completed | early_stopped | diverged
 * @param curve          every evaluation
 * @param metrics        final metrics ({@code final_accuracy}, {@code best_accuracy}, …)
 * @param stepsTaken     optimiser steps taken
 * @param secondsPerStep mean seconds per training step
 * @param peakRssMb      peak resident memory of the process, MB
 * @param wallSeconds    wall time of the whole run
 * @param provenance     observed facts (backend versions, threads, JVM, machine, commit, time)
 */
public record RunRecord(String key, String artifact, String cell, Map<String, Object> config, String status,
                        List<EvaluationPoint> curve, Map<String, Double> metrics, long stepsTaken,
                        double secondsPerStep, double peakRssMb, double wallSeconds, Map<String, String> provenance) {
}
