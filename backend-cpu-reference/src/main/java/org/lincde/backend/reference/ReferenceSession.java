package org.lincde.backend.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.lincde.spi.Backend;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/** A reference session: a private thread pool for the matrix kernels (results do not depend on it). */
final class ReferenceSession implements Session {
    private final ReferenceBackend backend;
    private final SessionOptions options;
    private final ForkJoinPool pool;
    private final Gemm gemm;
    private final StructureRegistry structures;
    private boolean closed;

    ReferenceSession(ReferenceBackend backend, SessionOptions options) {
        this.backend = backend;
        this.options = options;
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
        this.gemm = new Gemm(pool);
        this.structures = StructureRegistry.discover(ReferenceSession.class.getClassLoader());
    }

    RefOps newOps() {
        checkOpen();
        return new RefOps(gemm);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("session of backend 'reference' is closed");
        }
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public SessionOptions options() {
        return options;
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
        RefTensor out = f.apply(ops, name -> {
            RefTensor t = leaves.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no input named '" + name + "' (have " + leaves.keySet() + ")");
            }
            return t;
        });
        ops.tape().backward(ops.sumAll(out));
        Map<String, HostTensor> grads = new LinkedHashMap<>();
        leaves.forEach((name, t) -> grads.put(name,
                HostTensor.of(t.grad == null ? new double[t.size()] : t.grad.clone(), t.shape)));
        return new GradientResult(ops.value(out), grads);
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backend", backend.id());
        m.put("backend.version", backend.version());
        m.put("dtype", options.dtype().label());
        m.put("device", "cpu");
        m.put("threads", String.valueOf(pool == null ? 1 : pool.getParallelism()));
        m.put("math", "StrictMath (fdlibm), float64");
        return m;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (pool != null) {
                pool.shutdown();
            }
        }
    }
}
