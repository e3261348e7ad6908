package org.lincde.backend.reference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.ParameterArrays;
import org.lincde.spi.model.TrainableModel;

/**
 * A model on the reference tape: parameters and AdamW moments as {@code double[]}; the training-step
 * policy is {@link TrainableModel}'s.
 */
final class ReferenceModel extends TrainableModel<double[]> {
    private final ReferenceSession session;

    ReferenceModel(ReferenceSession session, ModelGraph graph, ParameterSet parameters) {
        super("reference", graph, DType.FLOAT64, ParameterArrays.doubles(DType.FLOAT64), parameters);
        this.session = session;
    }

    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        checkOpen();
        RefOps ops = session.newOps();
        return ops.value(graph().forward(ops, lookup(bind(ops, false)), batch, mode));
    }

    @Override
    protected <R> R backward(List<Batch> batches, Objective objective, ForwardMode mode, Function<Pass<double[]>, R> use) {
        RefOps ops = session.newOps();
        Map<String, RefTensor> bound = bind(ops, true);
        List<RefTensor> parts = Models.objective(graph(), ops, lookup(bound), batches, objective, mode);
        ops.tape().backward(parts.get(0));
        return use.apply(new Pass<>(parts.get(0).data[0], parts.get(1).data[0], parts.get(2).data[0],
                name -> bound.get(name).grad));
    }

    private Map<String, RefTensor> bind(RefOps ops, boolean grad) {
        Map<String, RefTensor> m = new LinkedHashMap<>();
        for (Slot<double[]> s : slots()) {
            m.put(s.name(), grad && s.trainable() ? ops.leaf(HostTensor.of(s.hostType(), s.value(), s.shape()))
                    : ops.constant(s.value(), s.shape()));
        }
        return m;
    }
}
