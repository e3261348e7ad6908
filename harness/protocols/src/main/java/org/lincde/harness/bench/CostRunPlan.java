package org.lincde.harness.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.harness.results.Provenance;
import org.lincde.harness.results.RunRecord;
import org.lincde.harness.run.RunContext;
import org.lincde.harness.run.RunPlan;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.model.Models;

/**
 * Measures one structure's costs at hidden size {@code h}: the parameter count of one vector field
 * ({@code d+1 = h+1} control channels, the paper's {@code d_ω = d_h}) and of a one-block model, the
 * median seconds of a training step, and the seconds of one forward pass evaluated by the associative
 * scan. Timings are observations: they are metrics of the record, not part of its key.
 *
 * @param artifact  owning artifact
 * @param cell      human label
 * @param structure the structure
 * @param hidden    h
 * @param batch     batch size of the timed steps
 * @param length    sequence length
 * @param steps     timed training steps (after {@code warmup})
 * @param warmup    untimed steps
 * @param backend   backend id
 * @param dtype     precision
 */
public record CostRunPlan(String artifact, String cell, StructureSpec structure, int hidden, int batch, int length,
                          int steps, int warmup, String backend, DType dtype) implements RunPlan {

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "cost");
        m.put("structure", structure.id());
        m.put("structure_options", structure.options());
        m.put("hidden", hidden);
        m.put("batch", batch);
        m.put("length", length);
        m.put("steps", steps);
        m.put("warmup", warmup);
        m.put("backend", backend);
        m.put("dtype", dtype.label());
        return m;
    }

    @Override
    public long plannedSteps() {
        return (long) steps + warmup;
    }

    /** The one-block model whose steps are timed (vocabulary 10, as the regular-language tasks). */
    public LinearCdeSpec model() {
        return LinearCdeSpec.r1(10, 10, hidden, 1, structure);
    }

    @Override
    public RunRecord execute(RunContext ctx) {
        long t0 = System.nanoTime();
        StructuredVectorField field = ctx.structures().configure(structure, hidden, hidden + 1);
        Session session = ctx.session(backend, dtype);
        LinearCdeSpec spec = model();
        TrainStepBenchmark.Result train = TrainStepBenchmark.run(session, spec, ctx.structures(), batch, length, 10, 10,
                warmup, steps, Objective.maskedCrossEntropy(1e-3), 1234);
        // scan: one forward pass over the transitions composed by the associative scan (small batch: it
        // materialises a block matrix per step)
        Rng rng = Rng.seeded(99);
        ParameterSet p = Models.initialize(spec, ctx.structures(), rng);
        Batch b = TrainStepBenchmark.syntheticBatch(rng.stream("scan"), Math.min(batch, 4), length, 10, 10);
        double scanSeconds;
        double recurrentSeconds;
        try (SequenceModel m = session.model(spec, p)) {
            m.forward(b, ForwardMode.inference().with(ForwardMode.Evaluation.SCAN)); // warm-up
            long s0 = System.nanoTime();
            m.forward(b, ForwardMode.inference().with(ForwardMode.Evaluation.SCAN));
            scanSeconds = (System.nanoTime() - s0) / 1e9;
            m.forward(b, ForwardMode.inference());
            long r0 = System.nanoTime();
            m.forward(b, ForwardMode.inference());
            recurrentSeconds = (System.nanoTime() - r0) / 1e9;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("field_parameters", (double) field.parameterCount());
        metrics.put("model_parameters", (double) p.trainableCount());
        metrics.put("scan_block", (double) field.scanBlockSize());
        metrics.put("sec_per_step", train.medianSeconds());
        metrics.put("scan_forward_sec", scanSeconds);
        metrics.put("recurrent_forward_sec", recurrentSeconds);
        return new RunRecord(key(), artifact, cell, config(), "completed", List.of(), metrics, steps + warmup,
                train.medianSeconds(), Provenance.peakRssMb(), (System.nanoTime() - t0) / 1e9,
                Provenance.collect(session.provenance()));
    }
}
