package org.lincde.harness.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/**
 * Times one inference forward pass of a model in each evaluation form of the Linear CDE states (docs/SPEC.md
 * §1.0): the O(L) recurrent loop and the O(log L)-depth associative scan, on the same parameters and batch.
 * Each form gets one untimed warm-up pass, then the median of {@code repeats} timed passes; a pass ends when
 * its output is on the host, so a GPU's queued kernels are inside the time. The outputs of the two forms are
 * compared too (max abs difference), because a fast form that computes something else is no result.
 */
public final class ForwardFormsBenchmark {
    private ForwardFormsBenchmark() {}

    /**
     * Median seconds of each form and the largest absolute difference between their outputs.
     *
     * @param recurrentSec median seconds of a recurrent forward pass
     * @param scanSec      median seconds of a scan forward pass
     * @param maxAbsDiff   max |recurrent − scan| over the outputs
     * @param maxAbs       max |recurrent| over the outputs: the scale {@code maxAbsDiff} is judged against (an
     *                     untrained Linear CDE's states grow geometrically with the length)
     * @param batch        batch size of the passes
     */
    public record Result(double recurrentSec, double scanSec, double maxAbsDiff, double maxAbs, int batch) {
        /** The JSON fields {@code lincde bench --forms} adds. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("forms_batch", batch);
            m.put("forward_recurrent_sec", recurrentSec);
            m.put("forward_scan_sec", scanSec);
            m.put("forward_scan_speedup", scanSec > 0 ? recurrentSec / scanSec : Double.NaN);
            m.put("forms_max_abs_diff", maxAbsDiff);
            m.put("forms_max_abs_output", maxAbs);
            m.put("forms_max_rel_diff", maxAbs > 0 ? maxAbsDiff / maxAbs : maxAbsDiff);
            return m;
        }
    }

    /** Runs both forms on {@code session} over a synthetic token batch of {@code batch × length}. */
    public static Result run(Session session, ModelSpec spec, StructureRegistry structures, int batch, int length,
                             int vocab, int labels, int repeats, long seed) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        Rng rng = Rng.seeded(seed);
        ParameterSet p = Models.initialize(spec, structures, rng);
        Batch b = TrainStepBenchmark.syntheticBatch(rng.stream("forms"), batch, length, vocab, labels);
        ForwardMode recurrent = ForwardMode.inference();
        ForwardMode scan = ForwardMode.inference().with(ForwardMode.Evaluation.SCAN);
        try (SequenceModel m = session.model(spec, p)) {
            double[] r = m.forward(b, recurrent).data();
            double[] s = m.forward(b, scan).data();
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < r.length; i++) {
                diff = Math.max(diff, Math.abs(r[i] - s[i]));
                scale = Math.max(scale, Math.abs(r[i]));
            }
            double rs = median(m, b, recurrent, repeats);
            double ss = median(m, b, scan, repeats);
            return new Result(rs, ss, diff, scale, batch);
        }
    }

    private static double median(SequenceModel m, Batch b, ForwardMode mode, int repeats) {
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            m.forward(b, mode);
            t.add((System.nanoTime() - t0) / 1e9);
        }
        Collections.sort(t);
        return t.get(t.size() / 2);
    }
}
