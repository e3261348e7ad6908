package org.lincde.harness.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
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
 *
 * <p>Two more numbers tell conditioning from error (docs/models/scan-form.md): the recurrent form against
 * itself with every parameter moved by one ulp (what any algorithm in that precision must be allowed), and, for a Linear
 * CDE with a finite tanh clip, the scan against the recurrent form with the clip removed. The scan is linear
 * and cannot apply R1's clip {@code c·tanh(s/c)} (SPEC §1.1 eq. 2); once an untrained model's states reach
 * {@code |A(u_i) y_{i−1}|} near {@code c} the clipped recurrence and the scan compute different functions,
 * while the scan still equals the unclipped recurrence to rounding.
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
     * @param ulpRelDiff   max |recurrent(θ) − recurrent(θ ± 1 ulp)| / max |recurrent(θ)|, ulp of the session's
     *                     dtype: the recurrent form's sensitivity to a one-ulp change of every trainable parameter
     *                     (the conditioning floor; a difference of the forms far above it is not rounding)
     * @param unclippedRelDiff max |recurrent without the tanh clip − scan| / its max abs output, for a Linear CDE
     *                     with a finite clip; {@code NaN} otherwise
     */
    public record Result(double recurrentSec, double scanSec, double maxAbsDiff, double maxAbs, int batch,
                         double ulpRelDiff, double unclippedRelDiff) {
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
            m.put("forms_recurrent_ulp_rel_diff", ulpRelDiff);
            if (!Double.isNaN(unclippedRelDiff)) {
                m.put("forms_unclipped_rel_diff", unclippedRelDiff);
            }
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
            ParameterSet moved = oneUlpAway(p, session.options().dtype(), rng.stream("ulp"));
            double ulp = relDiff(forward(session, spec, moved, b, recurrent), r);
            double unclipped = Double.NaN;
            if (spec instanceof LinearCdeSpec l && !Double.isInfinite(l.tanhClip())) {
                LinearCdeSpec noClip = new LinearCdeSpec(l.vocabSize(), l.labelDim(), l.modelDim(), l.numBlocks(),
                        l.structure(), l.useGlu(), l.dropoutRate(), l.initStd(), l.secondEmbedding(), l.dt(),
                        Double.POSITIVE_INFINITY);
                unclipped = relDiff(s, forward(session, noClip, p, b, recurrent));
            }
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < r.length; i++) {
                diff = Math.max(diff, Math.abs(r[i] - s[i]));
                scale = Math.max(scale, Math.abs(r[i]));
            }
            double rs = median(m, b, recurrent, repeats);
            double ss = median(m, b, scan, repeats);
            return new Result(rs, ss, diff, scale, batch, ulp, unclipped);
        }
    }

    private static double[] forward(Session session, ModelSpec spec, ParameterSet p, Batch b, ForwardMode mode) {
        try (SequenceModel m = session.model(spec, p)) {
            return m.forward(b, mode).data();
        }
    }

    /** max |a − ref| / max |ref| (the absolute difference where {@code ref} is all zeros). */
    static double relDiff(double[] a, double[] ref) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return scale > 0 ? diff / scale : diff;
    }

    /**
     * {@code p} with every trainable value moved one ulp of {@code dtype} up or down (a seeded coin per value;
     * masks and buffers kept).
     */
    static ParameterSet oneUlpAway(ParameterSet p, DType dtype, Rng rng) {
        ParameterSet q = p.copy();
        for (ParameterSet.Entry e : p.entries(ParameterSet.Entry::trainable)) {
            double[] d = e.tensor().data().clone();
            for (int i = 0; i < d.length; i++) {
                boolean up = rng.nextInt(2) == 0;
                d[i] = dtype == DType.FLOAT32 ? (up ? Math.nextUp((float) d[i]) : Math.nextDown((float) d[i]))
                        : up ? Math.nextUp(d[i]) : Math.nextDown(d[i]);
            }
            q.replace(e.name(), HostTensor.of(e.tensor().type(), d, e.tensor().shape()));
        }
        return q;
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
