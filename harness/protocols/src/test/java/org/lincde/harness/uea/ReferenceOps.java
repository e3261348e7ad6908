package org.lincde.harness.uea;

import java.util.Map;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;

/** Evaluates graphs written over {@link TensorOps} on a session of the float64 reference backend. */
final class ReferenceOps {
    private ReferenceOps() {}

    /** A function of named inputs, written once over {@link TensorOps}. */
    interface Graph {
        <T> T build(TensorOps<T> ops, ParameterLookup<T> p);
    }

    /** The value of {@code g} with {@code params} bound as inputs. */
    static HostTensor value(Session s, ParameterSet params, Graph g) {
        Map<String, HostTensor> in = params.asMap();
        return s.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> inputs) {
                return g.build(ops, inputs);
            }
        }, in).value();
    }
}
