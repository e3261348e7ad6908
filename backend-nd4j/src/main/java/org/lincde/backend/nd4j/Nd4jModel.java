package org.lincde.backend.nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lincde.backend.nd4j.internal.Nd4jParameterArrays;
import org.lincde.backend.nd4j.internal.Nd4jScope;
import org.lincde.backend.nd4j.internal.Nd4jTensor;
import org.lincde.backend.nd4j.internal.Nd4jTensorOps;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model of the generic path: the spi's {@link ModelGraph} run over {@link Nd4jTensorOps}, with
 * {@link TrainableModel}'s training-step policy. Parameters and AdamW moments are ND4J arrays outside
 * every workspace ({@link Nd4jParameterArrays}); each call ({@link #forward}, {@link #lossAndGradients},
 * {@link #trainStep}) runs in its own {@link Nd4jScope} and returns Java values only.
 */
final class Nd4jModel extends TrainableModel<INDArray> {
    private final Nd4jSession session;

    Nd4jModel(Nd4jSession session, ModelGraph graph, ParameterSet parameters) {
        super("nd4j", graph, session.options().dtype(), new Nd4jParameterArrays(session.options().dtype()),
                parameters);
        this.session = session;
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    public HostTensor forward(Batch batch, ForwardMode mode) {
        checkOpen();
        try (Nd4jScope ignored = session.scope()) {
            Nd4jTensorOps ops = session.newOps();
            return ops.value(graph().forward(ops, lookup(bind(ops, false)), batch, mode));
        }
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    protected <R> R backward(List<Batch> batches, Objective objective, ForwardMode mode, Function<Pass<INDArray>, R> use) {
        try (Nd4jScope ignored = session.scope()) {
            Nd4jTensorOps ops = session.newOps();
            Map<String, Nd4jTensor> bound = bind(ops, true);
            List<Nd4jTensor> parts = Models.objective(graph(), ops, lookup(bound), batches, objective, mode);
            double loss = parts.get(0).array().getDouble(0);
            double data = parts.get(1).array().getDouble(0);
            double reg = parts.get(2).array().getDouble(0);
            ops.backward(parts.get(0));
            return use.apply(new Pass<>(loss, data, reg, name -> bound.get(name).gradient()));
        }
    }

    private Map<String, Nd4jTensor> bind(Nd4jTensorOps ops, boolean grad) {
        Map<String, Nd4jTensor> m = new LinkedHashMap<>();
        for (Slot<INDArray> s : slots()) {
            m.put(s.name(), ops.wrap(s.value(), grad && s.trainable()));
        }
        return m;
    }
}
