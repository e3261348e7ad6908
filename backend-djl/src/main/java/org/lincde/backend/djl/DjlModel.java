package org.lincde.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.backend.djl.internal.Autograd;
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
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;

/**
 * A model in a {@link DjlSession}: the spi model graph over {@link DjlTensorOps} with libtorch
 * autograd (fused recurrences where the session allows them).
 *
 * <p>Parameters and AdamW moments live in Java arrays holding exactly the session dtype's values
 * (float32 values are rounded after each update, as float32 storage would): each call uploads the
 * parameters into a call-scoped manager, so nothing native outlives a call, and the update is
 * {@link AdamWUpdate} itself. Uploading costs well under 1 % of a step at R1 sizes.
 */
final class DjlModel implements SequenceModel {
    private final DjlSession session;
    private final ModelGraph graph;
    private final DType dtype;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> byName = new HashMap<>();
    private long steps;

    /** One named tensor: its value and (for trainables) its AdamW moments. */
    private static final class Slot {
        final String name;
        final int[] shape;
        final ParameterSet.Role role;
        final ElementType type;
        double[] value;
        double[] m;
        double[] v;

        Slot(String name, int[] shape, ParameterSet.Role role, ElementType type, double[] value) {
            this.name = name;
            this.shape = shape;
            this.role = role;
            this.type = type;
            this.value = value;
        }
    }

    DjlModel(DjlSession session, ModelGraph graph, ParameterSet parameters) {
        this.session = session;
        this.graph = graph;
        this.dtype = session.options().dtype();
        load(parameters);
    }

    @Override
    public ModelSpec spec() {
        return graph.spec();
    }

    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        try (NDManager call = session.newCallManager(); Autograd.Mode off = Autograd.disabled()) {
            DjlTensorOps ops = session.newOps(call);
            return ops.value(graph.forward(ops, lookup(bind(ops, false)), batch, mode));
        }
    }

    @Override
    public LossReport lossAndGradients(List<Batch> batches, Objective objective, ForwardMode mode) {
        Evaluation e = evaluate(batches, objective, mode);
        ParameterSet grads = new ParameterSet();
        for (Slot s : slots) {
            if (s.role == ParameterSet.Role.TRAINABLE) {
                grads.put(s.name, HostTensor.of(valueType(), e.gradients.get(s.name), s.shape));
            }
        }
        return new LossReport(e.loss, e.dataLoss, e.regularizer, grads);
    }

    @Override
    public StepReport trainStep(List<Batch> batches, Objective objective, OptimizerSpec optimizer, double learningRate,
                                ForwardMode mode) {
        if (!(optimizer instanceof OptimizerSpec.AdamW adam)) {
            throw new IllegalArgumentException("backend 'djl' has no optimiser " + optimizer);
        }
        Evaluation e = evaluate(batches, objective, mode);
        boolean finite = Double.isFinite(e.loss);
        for (double[] g : e.gradients.values()) {
            for (int i = 0; finite && i < g.length; i++) {
                finite = Double.isFinite(g[i]);
            }
        }
        if (finite) {
            steps++;
            for (Slot s : slots) {
                if (s.role != ParameterSet.Role.TRAINABLE) {
                    continue;
                }
                if (s.m == null) {
                    s.m = new double[s.value.length];
                    s.v = new double[s.value.length];
                }
                AdamWUpdate.apply(adam, s.value, e.gradients.get(s.name), s.m, s.v, steps, learningRate,
                        adam.decayFor(s.name));
                if (dtype == DType.FLOAT32) {
                    roundToFloat(s.value);
                    roundToFloat(s.m);
                    roundToFloat(s.v);
                }
            }
        }
        return new StepReport(e.loss, e.dataLoss, e.regularizer, finite);
    }

    private static void roundToFloat(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) a[i];
        }
    }

    /** Loss parts and masked gradients as Java values. */
    private record Evaluation(double loss, double dataLoss, double regularizer, Map<String, double[]> gradients) {}

    private Evaluation evaluate(List<Batch> batches, Objective objective, ForwardMode mode) {
        try (NDManager call = session.newCallManager(); Autograd.Mode on = Autograd.enabled()) {
            DjlTensorOps ops = session.newOps(call);
            long t0 = System.nanoTime();
            Map<String, NDArray> bound = bind(ops, true);
            List<NDArray> parts = Models.objective(graph, ops, lookup(bound), batches, objective, mode);
            double[] values = DjlTensorOps.doubles(ops.stack(List.of(ops.detach(parts.get(0)),
                    ops.detach(parts.get(1)), ops.detach(parts.get(2))), 0));
            t0 = Autograd.trace("forward", t0);
            ops.backward(parts.get(0));
            t0 = Autograd.trace("backward (all phases)", t0);
            Map<String, double[]> grads = new LinkedHashMap<>();
            for (Slot s : slots) {
                if (s.role == ParameterSet.Role.TRAINABLE) {
                    NDArray g = Autograd.gradientOrNull(bound.get(s.name));
                    grads.put(s.name, g == null ? new double[s.value.length] : DjlTensorOps.doubles(g));
                }
            }
            // SPEC §1.1 item 6: mask_grads after every backward pass
            graph.gradientMasks().forEach((param, mask) -> {
                double[] g = grads.get(param);
                double[] m = byName.get(mask).value;
                for (int i = 0; i < g.length; i++) {
                    g[i] *= m[i];
                }
            });
            return new Evaluation(values[0], values[1], values[2], grads);
        }
    }

    private Map<String, NDArray> bind(DjlTensorOps ops, boolean grad) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        for (Slot s : slots) {
            NDArray a = ops.create(s.value, s.shape);
            if (grad && s.role == ParameterSet.Role.TRAINABLE) {
                a.setRequiresGradient(true);
            }
            m.put(s.name, a);
        }
        return m;
    }

    private static ParameterLookup<NDArray> lookup(Map<String, NDArray> bound) {
        return name -> {
            NDArray t = bound.get(name);
            if (t == null) {
                throw new IllegalArgumentException("model has no parameter '" + name + "'");
            }
            return t;
        };
    }

    private ElementType valueType() {
        return dtype == DType.FLOAT32 ? ElementType.FLOAT32 : ElementType.FLOAT64;
    }

    @Override
    public ParameterSet parameters() {
        ParameterSet p = new ParameterSet();
        for (Slot s : slots) {
            p.put(s.name, HostTensor.of(s.type, s.value.clone(), s.shape), s.role);
        }
        return p;
    }

    @Override
    public void load(ParameterSet parameters) {
        List<Slot> fresh = new ArrayList<>();
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
            double[] v = t.data().clone();
            ElementType type = t.type();
            if (dtype == DType.FLOAT32) {
                roundToFloat(v);
                if (type == ElementType.FLOAT64) {
                    type = ElementType.FLOAT32;
                }
            }
            fresh.add(new Slot(s.name(), s.shape(), s.role(), type, v));
        }
        for (String name : parameters.names()) {
            if (fresh.stream().noneMatch(s -> s.name.equals(name))) {
                throw new IllegalArgumentException("parameter set has '" + name + "', which the model does not use");
            }
        }
        slots.clear();
        byName.clear();
        slots.addAll(fresh);
        fresh.forEach(s -> byName.put(s.name, s));
        steps = 0;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        // nothing native outlives a call
    }
}
