package org.lincde.backend.nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.backend.nd4j.internal.Nd4jAdamW;
import org.lincde.backend.nd4j.internal.Nd4jArrays;
import org.lincde.backend.nd4j.internal.Nd4jScope;
import org.lincde.backend.nd4j.internal.Nd4jTensor;
import org.lincde.backend.nd4j.internal.Nd4jTensorOps;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model of the generic path: the spi's {@link ModelGraph} run over {@link Nd4jTensorOps}.
 * Parameters and AdamW moments are ND4J arrays outside every workspace (they live as long as the
 * model); each call ({@link #forward}, {@link #lossAndGradients}, {@link #trainStep}) runs in its own
 * {@link Nd4jScope} and returns Java values only.
 *
 * <p>A training step: forward and backward on the tape, gradient masks (the sparse structure's
 * {@code mask_grads}), a NaN/Inf check of the loss and every gradient (a non-finite step changes
 * nothing and reports {@code finite = false}), then AdamW in place ({@link Nd4jAdamW}, decoupled
 * decay per {@link OptimizerSpec.AdamW#decayFor}, bias correction by the step count).
 */
final class Nd4jModel implements SequenceModel {
    private final Nd4jSession session;
    private final ModelGraph graph;
    private final DType dtype;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private long steps;
    private boolean closed;

    /** One named tensor of the model. */
    private static final class Param {
        final String name;
        final ParameterSet.Role role;
        final ElementType hostType;
        final int[] shape;
        final INDArray value;
        INDArray m;
        INDArray v;

        Param(String name, ParameterSet.Role role, ElementType hostType, int[] shape, INDArray value) {
            this.name = name;
            this.role = role;
            this.hostType = hostType;
            this.shape = shape;
            this.value = value;
        }

        boolean trainable() {
            return role == ParameterSet.Role.TRAINABLE;
        }

        void close() {
            value.close();
            if (m != null) {
                m.close();
                v.close();
            }
        }
    }

    Nd4jModel(Nd4jSession session, ModelGraph graph, ParameterSet parameters) {
        this.session = session;
        this.graph = graph;
        this.dtype = session.options().dtype();
        load(parameters);
    }

    @Override
    public ModelSpec spec() {
        return graph.spec();
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        checkOpen();
        try (Nd4jScope ignored = session.scope()) {
            Nd4jTensorOps ops = session.newOps();
            Map<String, Nd4jTensor> bound = bind(ops, false);
            return ops.value(graph.forward(ops, lookup(bound), batch, mode));
        }
    }

    /** The objective's three scalars and the trainable leaves, after backward (inside a scope). */
    private record Pass(double loss, double dataLoss, double regularizer, Map<String, Nd4jTensor> bound) {}

    private Pass objective(Nd4jTensorOps ops, List<Batch> batches, Objective objective, ForwardMode mode) {
        Map<String, Nd4jTensor> bound = bind(ops, true);
        List<Nd4jTensor> parts = Models.objective(graph, ops, lookup(bound), batches, objective, mode);
        double loss = parts.get(0).array().getDouble(0);
        double data = parts.get(1).array().getDouble(0);
        double reg = parts.get(2).array().getDouble(0);
        ops.backward(parts.get(0));
        return new Pass(loss, data, reg, bound);
    }

    /** The gradient of {@code name} with its mask applied (zeros when no gradient reached it). */
    private INDArray gradient(Pass pass, String name, Map<String, String> masks) {
        Param p = params.get(name);
        INDArray g = pass.bound.get(name).gradient();
        if (g == null) {
            g = Nd4j.create(p.value.dataType(), p.value.shape());
        }
        String mask = masks.get(name);
        if (mask != null) {
            g = g.mul(params.get(mask).value);   // SPEC §1.1 item 6: mask_grads after every backward pass
        }
        return g;
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    public LossReport lossAndGradients(List<Batch> batches, Objective objective, ForwardMode mode) {
        checkOpen();
        try (Nd4jScope ignored = session.scope()) {
            Nd4jTensorOps ops = session.newOps();
            Pass pass = objective(ops, batches, objective, mode);
            Map<String, String> masks = graph.gradientMasks();
            ParameterSet grads = new ParameterSet();
            for (Param p : params.values()) {
                if (p.trainable()) {
                    grads.put(p.name, Nd4jArrays.toHost(gradient(pass, p.name, masks), Nd4jArrays.elementType(dtype)));
                }
            }
            return new LossReport(pass.loss, pass.dataLoss, pass.regularizer, grads);
        }
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    public StepReport trainStep(List<Batch> batches, Objective objective, OptimizerSpec optimizer, double learningRate,
                                ForwardMode mode) {
        checkOpen();
        if (!(optimizer instanceof OptimizerSpec.AdamW adam)) {
            throw new IllegalArgumentException("backend 'nd4j' implements AdamW only, got " + optimizer);
        }
        try (Nd4jScope ignored = session.scope()) {
            Nd4jTensorOps ops = session.newOps();
            Pass pass = objective(ops, batches, objective, mode);
            Map<String, String> masks = graph.gradientMasks();
            Map<String, INDArray> grads = new LinkedHashMap<>();
            boolean finite = Double.isFinite(pass.loss);
            for (Param p : params.values()) {
                if (p.trainable()) {
                    INDArray g = gradient(pass, p.name, masks);
                    grads.put(p.name, g);
                    finite &= !(g.isNaN().any() || g.isInfinite().any());
                }
            }
            if (finite) {
                steps++;
                for (Map.Entry<String, INDArray> e : grads.entrySet()) {
                    Param p = params.get(e.getKey());
                    if (p.m == null) {
                        try (MemoryWorkspace out = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                            p.m = Nd4j.create(p.value.dataType(), p.value.shape());
                            p.v = Nd4j.create(p.value.dataType(), p.value.shape());
                        }
                    }
                    Nd4jAdamW.apply(adam, p.value, e.getValue(), p.m, p.v, steps, learningRate, adam.decayFor(p.name));
                }
            }
            return new StepReport(pass.loss, pass.dataLoss, pass.regularizer, finite);
        }
    }

    private Map<String, Nd4jTensor> bind(Nd4jTensorOps ops, boolean grad) {
        Map<String, Nd4jTensor> m = new LinkedHashMap<>();
        for (Param p : params.values()) {
            m.put(p.name, ops.wrap(p.value, grad && p.trainable()));
        }
        return m;
    }

    private static ParameterLookup<Nd4jTensor> lookup(Map<String, Nd4jTensor> bound) {
        return name -> {
            Nd4jTensor t = bound.get(name);
            if (t == null) {
                throw new IllegalArgumentException("model has no parameter '" + name + "'");
            }
            return t;
        };
    }

    @Override
    public ParameterSet parameters() {
        checkOpen();
        ParameterSet out = new ParameterSet();
        for (Param p : params.values()) {
            out.put(p.name, Nd4jArrays.toHost(p.value, p.hostType), p.role);
        }
        return out;
    }

    @Override
    public void load(ParameterSet parameters) {
        checkOpen();
        Map<String, Param> fresh = new LinkedHashMap<>();
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
            ElementType host = s.role() == ParameterSet.Role.TRAINABLE ? Nd4jArrays.elementType(dtype) : t.type();
            fresh.put(s.name(), new Param(s.name(), s.role(), host, s.shape(),
                    Nd4jArrays.createDetached(t.data(), s.shape(), dtype)));
        }
        for (String name : parameters.names()) {
            if (!fresh.containsKey(name)) {
                fresh.values().forEach(Param::close);
                throw new IllegalArgumentException("parameter set has '" + name + "', which the model does not use");
            }
        }
        params.values().forEach(Param::close);
        params.clear();
        params.putAll(fresh);
        steps = 0;
    }

    @Override
    public long steps() {
        return steps;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model of backend 'nd4j' is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            params.values().forEach(Param::close);
            params.clear();
        }
    }
}
