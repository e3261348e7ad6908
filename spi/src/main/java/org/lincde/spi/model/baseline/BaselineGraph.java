package org.lincde.spi.model.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.ModelGraph;

/** What every baseline graph shares: no regulariser (a 0 scalar), no gradient masks, declared parameters. */
abstract class BaselineGraph implements ModelGraph {

    /** Appends every declared parameter with its full name, in initialisation order. */
    abstract void declare(List<ParameterShape> out);

    @Override
    public final List<ParameterShape> parameters() {
        List<ParameterShape> out = new ArrayList<>();
        declare(out);
        return out;
    }

    /** Baselines have no regulariser: a 0 scalar, so {@code λ·R} adds nothing. */
    @Override
    public final <T> T regularizer(TensorOps<T> ops, ParameterLookup<T> params) {
        return ops.scalar(0.0);
    }

    /** Baselines mask no gradients. */
    @Override
    public final Map<String, String> gradientMasks() {
        return Map.of();
    }
}
