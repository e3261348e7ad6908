package org.lincde.backend.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.lincde.spi.AbstractSession;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/** A reference session: a private thread pool for the matrix kernels (results do not depend on it). */
final class ReferenceSession extends AbstractSession {
    private final ForkJoinPool pool;
    private final Gemm gemm;
    private final StructureRegistry structures;

    ReferenceSession(ReferenceBackend backend, SessionOptions options) {
        super(backend, options);
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
        this.gemm = new Gemm(pool);
        this.structures = StructureRegistry.discover(ReferenceSession.class.getClassLoader());
    }

    RefOps newOps() {
        checkOpen();
        return new RefOps(gemm);
    }

    @Override
    public SequenceModel model(ModelSpec spec, ParameterSet parameters) {
        checkOpen();
        return new ReferenceModel(this, Models.graph(spec, structures), parameters);
    }

    @Override
    public GradientResult gradient(OpsFunction f, Map<String, HostTensor> inputs) {
        RefOps ops = newOps();
        Map<String, RefTensor> leaves = new LinkedHashMap<>();
        inputs.forEach((name, t) -> leaves.put(name, ops.leaf(t)));
        RefTensor out = f.apply(ops, inputs(leaves));
        ops.tape().backward(ops.sumAll(out));
        Map<String, HostTensor> grads = new LinkedHashMap<>();
        leaves.forEach((name, t) -> grads.put(name,
                HostTensor.of(t.grad == null ? new double[t.size()] : t.grad.clone(), t.shape)));
        return new GradientResult(ops.value(out), grads);
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> m = provenanceOfBackend();
        m.put("dtype", options.dtype().label());
        m.put("device", "cpu");
        m.put("threads", String.valueOf(pool == null ? 1 : pool.getParallelism()));
        m.put("math", "StrictMath (fdlibm), float64");
        return m;
    }

    @Override
    public void close() {
        if (markClosed()) {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }
}
