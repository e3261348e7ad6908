package org.lincde.harness.conformance.faults;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ElementType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;

/**
 * A model of the {@link FaultyBackend}: the SPI's graph over {@link FaultyOps}, gradients from the op
 * face, then gradient masks (unless {@link PlantedFault#IGNORES_GRADIENT_MASK}) and the SPI's AdamW rule.
 */
final class FaultyModel implements SequenceModel {
    private final FaultySession session;
    private final ModelGraph graph;
    private final boolean kernels;
    private ParameterSet params;
    private final Map<String, double[]> m1 = new HashMap<>();
    private final Map<String, double[]> m2 = new HashMap<>();
    private long steps;

    FaultyModel(FaultySession session, ModelSpec spec, ParameterSet parameters) {
        this.session = session;
        this.graph = Models.graph(spec, StructureRegistry.discover());
        String id = spec instanceof LinearCdeSpec l ? l.structure().id() : "";
        this.kernels = id.equals("diagonal") || id.equals("block-diagonal");
        load(parameters);
    }

    @Override
    public ModelSpec spec() {
        return graph.spec();
    }

    /** The backend's kernel for {@code mode}: its scan for SCAN, its fused loop when fused kernels are on. */
    private FaultyOps.Kernel kernel(ForwardMode mode) {
        if (!kernels) {
            return FaultyOps.Kernel.NONE;
        }
        if (mode.evaluation() == ForwardMode.Evaluation.SCAN) {
            return FaultyOps.Kernel.SCAN;
        }
        return session.options().fusedKernels() ? FaultyOps.Kernel.LOOP : FaultyOps.Kernel.NONE;
    }

    /** With a scan kernel the graph runs its recurrent branch, which asks for the (scan) kernel. */
    private static ForwardMode routed(ForwardMode mode, FaultyOps.Kernel k) {
        return k == FaultyOps.Kernel.SCAN ? mode.with(ForwardMode.Evaluation.RECURRENT) : mode;
    }

    private Map<String, HostTensor> inputs() {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        for (ParameterSet.Entry e : params.entries()) {
            m.put(e.name(), e.tensor().type() == ElementType.BOOL ? e.tensor().as(ElementType.FLOAT64) : e.tensor());
        }
        return m;
    }

    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        FaultyOps.Kernel k = kernel(mode);
        ForwardMode m = routed(mode, k);
        return session.run(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return graph.forward(ops, p, batch, m);
            }
        }, inputs(), k).value();
    }

    @Override
    public LossReport lossAndGradients(List<Batch> batches, Objective objective, ForwardMode mode) {
        FaultyOps.Kernel k = kernel(mode);
        ForwardMode m = routed(mode, k);
        Session.GradientResult r = session.run(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                List<T> parts = Models.objective(graph, ops, p, batches, objective, m);
                // only the total carries gradient; the other two ride along for the report
                return ops.stack(List.of(parts.get(0), ops.detach(parts.get(1)), ops.detach(parts.get(2))), 0);
            }
        }, inputs(), k);
        ParameterSet grads = new ParameterSet();
        for (ParameterSet.Entry e : params.entries(ParameterSet.Entry::trainable)) {
            grads.put(e.name(), r.gradients().get(e.name()).copy());
        }
        if (!session.faults.contains(PlantedFault.IGNORES_GRADIENT_MASK)) {
            graph.gradientMasks().forEach((param, mask) -> {
                double[] g = grads.get(param).data();
                double[] mv = params.get(mask).data();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= mv[i];
                }
            });
        }
        double[] v = r.value().data();
        return new LossReport(v[0], v[1], v[2], grads);
    }

    @Override
    public StepReport trainStep(List<Batch> batches, Objective objective, OptimizerSpec optimizer, double lr,
                                ForwardMode mode) {
        LossReport r = lossAndGradients(batches, objective, mode);
        boolean finite = Double.isFinite(r.loss());
        for (ParameterSet.Entry e : r.gradients().entries()) {
            for (double x : e.tensor().data()) {
                finite &= Double.isFinite(x);
            }
        }
        if (finite) {
            OptimizerSpec.AdamW adam = (OptimizerSpec.AdamW) optimizer;
            steps++;
            for (ParameterSet.Entry e : r.gradients().entries()) {
                double[] w = params.get(e.name()).data();
                AdamWUpdate.apply(adam, w, e.tensor().data(), m1.computeIfAbsent(e.name(), x -> new double[w.length]),
                        m2.computeIfAbsent(e.name(), x -> new double[w.length]), steps, lr, adam.decayFor(e.name()));
                double[] held = session.round(HostTensor.of(w, w.length)).data();
                System.arraycopy(held, 0, w, 0, w.length);
            }
        }
        return new StepReport(r.loss(), r.dataLoss(), r.regularizer(), finite);
    }

    @Override
    public ParameterSet parameters() {
        return params.copy();
    }

    @Override
    public void load(ParameterSet parameters) {
        ParameterSet copy = new ParameterSet();
        for (ParameterShape s : graph.parameters()) {
            HostTensor t = parameters.get(s.name());
            if (!Arrays.equals(t.shape(), s.shape())) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' has shape " + Arrays.toString(t.shape()));
            }
            copy.put(s.name(), session.round(t).copy(), s.role());
        }
        params = copy;
        m1.clear();
        m2.clear();
        steps = 0;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        // nothing held
    }
}
