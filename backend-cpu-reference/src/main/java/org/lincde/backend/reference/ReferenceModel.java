package org.lincde.backend.reference;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;

/** A model on the reference tape: parameters and AdamW moments as {@code double[]}. */
final class ReferenceModel implements SequenceModel {
    private final ReferenceSession session;
    private final ModelGraph graph;
    private ParameterSet params;
    private final Map<String, double[]> firstMoment = new HashMap<>();
    private final Map<String, double[]> secondMoment = new HashMap<>();
    private long steps;

    ReferenceModel(ReferenceSession session, ModelGraph graph, ParameterSet parameters) {
        this.session = session;
        this.graph = graph;
        load(parameters);
    }

    @Override
    public ModelSpec spec() {
        return graph.spec();
    }

    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        RefOps ops = session.newOps();
        Map<String, RefTensor> bound = bind(ops, false);
        return ops.value(graph.forward(ops, lookup(bound), batch, mode));
    }

    @Override
    public LossReport lossAndGradients(List<Batch> batches, Objective objective, ForwardMode mode) {
        RefOps ops = session.newOps();
        Map<String, RefTensor> bound = bind(ops, true);
        List<RefTensor> parts = Models.objective(graph, ops, lookup(bound), batches, objective, mode);
        ops.tape().backward(parts.get(0));
        ParameterSet grads = new ParameterSet();
        for (ParameterSet.Entry e : params.entries(ParameterSet.Entry::trainable)) {
            RefTensor t = bound.get(e.name());
            double[] g = t.grad == null ? new double[t.size()] : t.grad;
            grads.put(e.name(), HostTensor.of(g, t.shape));
        }
        // SPEC §1.1 item 6: mask_grads after every backward pass
        graph.gradientMasks().forEach((param, mask) -> {
            double[] g = grads.get(param).data();
            double[] m = params.get(mask).data();
            for (int i = 0; i < g.length; i++) {
                g[i] *= m[i];
            }
        });
        return new LossReport(parts.get(0).data[0], parts.get(1).data[0], parts.get(2).data[0], grads);
    }

    @Override
    public StepReport trainStep(List<Batch> batches, Objective objective, OptimizerSpec optimizer, double lr,
                                ForwardMode mode) {
        LossReport r = lossAndGradients(batches, objective, mode);
        boolean finite = Double.isFinite(r.loss());
        for (ParameterSet.Entry e : r.gradients().entries()) {
            for (double v : e.tensor().data()) {
                if (!Double.isFinite(v)) {
                    finite = false;
                    break;
                }
            }
        }
        if (finite) {
            OptimizerSpec.AdamW adam = (OptimizerSpec.AdamW) optimizer;
            steps++;
            for (ParameterSet.Entry e : r.gradients().entries()) {
                double[] w = params.get(e.name()).data();
                double[] m = firstMoment.computeIfAbsent(e.name(), k -> new double[w.length]);
                double[] v = secondMoment.computeIfAbsent(e.name(), k -> new double[w.length]);
                AdamWUpdate.apply(adam, w, e.tensor().data(), m, v, steps, lr, adam.decayFor(e.name()));
            }
        }
        return new StepReport(r.loss(), r.dataLoss(), r.regularizer(), finite);
    }

    private Map<String, RefTensor> bind(RefOps ops, boolean grad) {
        Map<String, RefTensor> m = new LinkedHashMap<>();
        for (ParameterSet.Entry e : params.entries()) {
            HostTensor t = e.tensor();
            m.put(e.name(), grad && e.trainable() ? ops.leaf(t) : ops.constant(t.data(), t.shape()));
        }
        return m;
    }

    private static org.lincde.spi.ParameterLookup<RefTensor> lookup(Map<String, RefTensor> bound) {
        return name -> {
            RefTensor t = bound.get(name);
            if (t == null) {
                throw new IllegalArgumentException("model has no parameter '" + name + "'");
            }
            return t;
        };
    }

    @Override
    public ParameterSet parameters() {
        return params.copy();
    }

    @Override
    public void load(ParameterSet parameters) {
        ParameterSet copy = new ParameterSet();
        for (ParameterShape s : graph.parameters()) {
            if (!parameters.contains(s.name())) {
                throw new IllegalArgumentException("parameter set lacks '" + s.name() + "' required by "
                        + graph.spec().family() + " (shape " + Arrays.toString(s.shape()) + ")");
            }
            HostTensor t = parameters.get(s.name());
            if (!Arrays.equals(t.shape(), s.shape())) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", the model needs " + Arrays.toString(s.shape()));
            }
            copy.put(s.name(), HostTensor.of(t.type(), t.data().clone(), t.shape()), s.role());
        }
        for (String name : parameters.names()) {
            if (!copy.contains(name)) {
                throw new IllegalArgumentException("parameter set has '" + name + "', which the model does not use");
            }
        }
        this.params = copy;
        firstMoment.clear();
        secondMoment.clear();
        steps = 0;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        // nothing native to release
    }
}
