package org.lincde.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.backend.djl.internal.Autograd;
import org.lincde.backend.djl.internal.DjlRuntime;
import org.lincde.backend.djl.internal.DjlTensorOps;
import org.lincde.backend.djl.internal.EngineLoader;
import org.lincde.backend.djl.internal.KernelPool;
import org.lincde.spi.AbstractSession;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.StackedLinearCde;

/**
 * An open DJL session: one root {@link NDManager} on the chosen device, whose per-call children
 * hold every native array (closed before each call returns, docs/STYLE.md D3), and the threads of the
 * fused Java kernels. No native tensor crosses the SPI.
 */
final class DjlSession extends AbstractSession {
    private final Engine engine;
    private final ai.djl.Device device;
    private final NDManager root;
    private final KernelPool pool;
    private final StructureRegistry structures;

    DjlSession(DjlBackend backend, SessionOptions options, Engine engine) {
        super(backend, options);
        this.engine = engine;
        this.device = EngineLoader.device(engine, options.device());
        this.root = engine.newBaseManager(device);
        this.pool = new KernelPool(DjlRuntime.threads(options));
        this.structures = StructureRegistry.discover(DjlSession.class.getClassLoader());
    }

    /** A child manager for one call; the caller closes it. */
    NDManager newCallManager() {
        checkOpen();
        NDManager call = root.newSubManager();
        pool.arena().open(call);
        return call;
    }

    /** Ops over {@code manager}, fused kernels as the options say. */
    DjlTensorOps newOps(NDManager manager) {
        return new DjlTensorOps(manager, options.dtype(), options.fusedKernels(), pool);
    }

    @Override
    public SequenceModel model(ModelSpec spec, ParameterSet parameters) {
        checkOpen();
        ModelGraph graph = Models.graph(spec, structures);
        if (options.fusedKernels() && graph instanceof StackedLinearCde stacked) {
            graph = stacked.withHooks(new DjlForwardHooks());
        }
        return new DjlModel(this, graph, parameters);
    }

    @Override
    public GradientResult gradient(OpsFunction f, Map<String, HostTensor> inputs) {
        try (NDManager call = newCallManager(); Autograd.Mode mode = Autograd.enabled()) {
            DjlTensorOps ops = newOps(call);
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            inputs.forEach((name, t) -> leaves.put(name, ops.leaf(t)));
            NDArray out = f.apply(ops, inputs(leaves));
            HostTensor value = ops.value(out);
            ops.backward(ops.sumAll(out));
            Map<String, HostTensor> grads = new LinkedHashMap<>();
            leaves.forEach((name, t) -> {
                NDArray g = Autograd.gradientOrNull(t);
                grads.put(name, g == null ? HostTensor.zeros(value.type(), ops.shape(t))
                        : HostTensor.of(value.type(), DjlTensorOps.doubles(g), ops.shape(t)));
            });
            return new GradientResult(value, grads);
        }
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> m = provenanceOfBackend();
        m.putAll(EngineLoader.provenance(engine));
        m.put("native.artifact", EngineLoader.NATIVE_ARTIFACT);
        m.put("dtype", options.dtype().label());
        m.put("device", device.toString());
        m.put("threads.java_kernels", String.valueOf(pool.threads()));
        m.put("fused_kernels", String.valueOf(options.fusedKernels()));
        m.put("djl.cache_dir", String.valueOf(System.getProperty(DjlRuntime.CACHE_DIR)));
        m.put("djl.offline", String.valueOf(System.getProperty(DjlRuntime.OFFLINE)));
        return m;
    }

    @Override
    public void close() {
        if (markClosed()) {
            root.close();
            pool.close();
        }
    }
}
