package org.lincde.harness.conformance.faults;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.lincde.spi.AbstractSession;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.TensorOps;

/** A session of the {@link FaultyBackend}: everything runs through the reference session's op face. */
final class FaultySession extends AbstractSession {
    private final Session delegate;
    final Set<PlantedFault> faults;

    FaultySession(FaultyBackend backend, SessionOptions options, Session delegate, Set<PlantedFault> faults) {
        super(backend, options);
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public SequenceModel model(ModelSpec spec, ParameterSet parameters) {
        return new FaultyModel(this, spec, parameters);
    }

    @Override
    public GradientResult gradient(OpsFunction f, Map<String, HostTensor> inputs) {
        return run(f, inputs, FaultyOps.Kernel.NONE);
    }

    /** Evaluates {@code f} over faulty ops offering {@code kernel}; inputs and results at the session's dtype. */
    GradientResult run(OpsFunction f, Map<String, HostTensor> inputs, FaultyOps.Kernel kernel) {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        inputs.forEach((k, v) -> in.put(k, round(v)));
        GradientResult r = delegate.gradient(new OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return f.apply(FaultyOps.wrap(ops, options.dtype(), faults, kernel), p);
            }
        }, in);
        Map<String, HostTensor> grads = new LinkedHashMap<>();
        r.gradients().forEach((k, v) -> grads.put(k, round(v)));
        return new GradientResult(round(r.value()), grads);
    }

    /** {@code t} as this session holds it (binary32 values in float32). */
    HostTensor round(HostTensor t) {
        if (options.dtype() == DType.FLOAT32 && (t.type() == ElementType.FLOAT64 || t.type() == ElementType.FLOAT32)) {
            return t.as(ElementType.FLOAT32);
        }
        return t;
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> m = new LinkedHashMap<>(delegate.provenance());
        m.put("backend", backend.id());
        m.put("dtype", options.dtype().label());
        return m;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
