package org.lincde.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lincde.backend.djl.internal.Autograd;
import org.lincde.backend.djl.internal.DjlTensorOps;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.model.AdamWUpdate;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.ParameterArrays;
import org.lincde.spi.model.TrainableModel;

/**
 * A model in a {@link DjlSession}: the spi model graph over {@link DjlTensorOps} with libtorch
 * autograd (fused recurrences where the session allows them); the training-step policy is
 * {@link TrainableModel}'s.
 *
 * <p>Parameters and AdamW moments live in Java arrays holding exactly the session dtype's values
 * ({@link ParameterArrays#doubles}: float32 values are rounded after each update, as float32 storage
 * would): each call uploads the parameters into a call-scoped manager, so nothing native outlives a
 * call, and the update is {@link AdamWUpdate} itself. Uploading costs well under 1 % of a step at R1
 * sizes.
 */
final class DjlModel extends TrainableModel<double[]> {
    private final DjlSession session;

    DjlModel(DjlSession session, ModelGraph graph, ParameterSet parameters) {
        super("djl", graph, session.options().dtype(), ParameterArrays.doubles(session.options().dtype()), parameters);
        this.session = session;
    }

    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        checkOpen();
        try (NDManager call = session.newCallManager(); Autograd.Mode off = Autograd.disabled()) {
            DjlTensorOps ops = session.newOps(call);
            return ops.value(graph().forward(ops, lookup(bind(ops, false)), batch, mode));
        }
    }

    @Override
    protected <R> R backward(List<Batch> batches, Objective objective, ForwardMode mode, Function<Pass<double[]>, R> use) {
        try (NDManager call = session.newCallManager(); Autograd.Mode on = Autograd.enabled()) {
            DjlTensorOps ops = session.newOps(call);
            long t0 = System.nanoTime();
            Map<String, NDArray> bound = bind(ops, true);
            List<NDArray> parts = Models.objective(graph(), ops, lookup(bound), batches, objective, mode);
            double[] values = DjlTensorOps.doubles(ops.stack(List.of(ops.detach(parts.get(0)),
                    ops.detach(parts.get(1)), ops.detach(parts.get(2))), 0));
            t0 = Autograd.trace("forward", t0);
            ops.backward(parts.get(0));
            Autograd.trace("backward (all phases)", t0);
            return use.apply(new Pass<>(values[0], values[1], values[2], name -> {
                NDArray g = Autograd.gradientOrNull(bound.get(name));
                return g == null ? null : DjlTensorOps.doubles(g);
            }));
        }
    }

    private Map<String, NDArray> bind(DjlTensorOps ops, boolean grad) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        for (Slot<double[]> s : slots()) {
            NDArray a = ops.create(s.value(), s.shape());
            if (grad && s.trainable()) {
                a.setRequiresGradient(true);
            }
            m.put(s.name(), a);
        }
        return m;
    }
}
