package org.lincde.spi.model;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TensorOps;

/** Resolves a {@link ModelSpec} to its {@link ModelGraph}, and builds objectives over a graph. */
public final class Models {
    private Models() {}

    /** The graph of {@code spec}, with structures resolved through {@code structures}. */
    public static ModelGraph graph(ModelSpec spec, StructureRegistry structures) {
        if (spec instanceof LinearCdeSpec s) {
            return new StackedLinearCde(s, structures);
        }
        if (spec instanceof LogLinearCdeSpec s) {
            return new LogLinearCde(s, structures);
        }
        if (spec instanceof org.lincde.spi.NeuralCdeSpec s) {
            return new NeuralCde(s); // R3's NCDE / NRDE / Log-NCDE, docs/models/neural-cdes.md
        }
        if (spec instanceof org.lincde.spi.A5LinearCdeSpec s) {
            return new A5LinearCde(s); // R2's A5 model, SPEC §1.4
        }
        return org.lincde.spi.model.baseline.Baselines.graph(spec) // the baselines, SPEC §2
                .orElseThrow(() -> new IllegalArgumentException("no graph for model spec " + spec));
    }

    /** Initial parameters of {@code spec} from the named stream {@code rng.stream("init")}. */
    public static ParameterSet initialize(ModelSpec spec, StructureRegistry structures, Rng rng) {
        return graph(spec, structures).initialize(rng.stream("init"));
    }

    /**
     * The objective's value as a graph: {@code Σ_batches loss(batch) + λ·regulariser}. Each batch's
     * dropout masks come from {@code mode.dropout().stream("batch", i)}.
     *
     * @return {@code [total, dataLoss, regulariser]} (scalars)
     */
    public static <T> List<T> objective(ModelGraph graph, TensorOps<T> ops, ParameterLookup<T> params,
                                        List<Batch> batches, Objective objective, ForwardMode mode) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("an objective needs at least one batch");
        }
        T data = null;
        for (int i = 0; i < batches.size(); i++) {
            ForwardMode m = mode.training()
                    ? mode.withDropout(mode.dropout().stream("batch", i)) : mode;
            T out = graph.forward(ops, params, batches.get(i), m);
            T l = Losses.data(ops, out, batches.get(i), objective.loss());
            data = data == null ? l : ops.add(data, l);
        }
        T reg = graph.regularizer(ops, params);
        T total = objective.regularizerWeight() == 0 ? data
                : ops.add(data, ops.scale(reg, objective.regularizerWeight()));
        return List.of(total, data, reg);
    }
}
