package org.lincde.backend.nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.lincde.backend.nd4j.internal.Nd4jArrays;
import org.lincde.backend.nd4j.internal.Nd4jConstants;
import org.lincde.backend.nd4j.internal.Nd4jRecurrence;
import org.lincde.backend.nd4j.internal.Nd4jScope;
import org.lincde.backend.nd4j.internal.Nd4jTensor;
import org.lincde.backend.nd4j.internal.Nd4jTensorOps;
import org.lincde.spi.AbstractSession;
import org.lincde.spi.Device;
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
 * An ND4J session: owns the per-call workspaces (every call's native arrays die with its
 * {@link Nd4jScope}), the constant cache, the thread pool of the fused kernels and the models it made,
 * all released by {@link #close()}.
 */
final class Nd4jSession extends AbstractSession {
    private final Map<String, String> runtime;
    private final StructureRegistry structures;
    private final Nd4jScope.Workspaces workspaces = new Nd4jScope.Workspaces();
    private final Nd4jConstants constants = new Nd4jConstants();
    private final ForkJoinPool pool;
    private final Nd4jRecurrence.Factory fusion;
    private final int fusedThreads;
    private final List<Nd4jModel> models = new ArrayList<>();

    Nd4jSession(Nd4jBackend backend, SessionOptions options, Map<String, String> runtime) {
        super(backend, options);
        this.runtime = runtime;
        this.structures = StructureRegistry.discover(Nd4jSession.class.getClassLoader());
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        // fused kernels read native memory from Java: CPU only; on a GPU the generic path stays on the device
        boolean fused = options.fusedKernels() && options.device() == Device.CPU;
        this.pool = fused && threads > 1 ? new ForkJoinPool(threads) : null;
        this.fusion = fused ? new Nd4jRecurrence.Factory(pool) : null;
        this.fusedThreads = fused ? threads : 0;
    }

    /**
     * The fused path's part in {@code StackedLinearCde.forward}: block 0 takes its coefficients from those of the
     * embedding table ({@code LinearCdeLayer.forwardFromTable}, the token-id identity of docs/PERFORMANCE.md), one
     * {@code V}-row product and a gather instead of the {@code B·(L−1)}-row product and its two backward products.
     * Same values up to the rounding of the products; the conformance kit's fused-vs-generic check compares them.
     */
    private static final StackedLinearCde.ForwardHooks GATHER_FIRST_LAYER = new StackedLinearCde.ForwardHooks() {
        @Override
        public boolean gatherFirstLayer() {
            return true;
        }
    };

    /** Ops for one forward/backward pass; call inside {@link #scope()}. */
    Nd4jTensorOps newOps() {
        checkOpen();
        return new Nd4jTensorOps(options.dtype(), constants, fusion);
    }

    /** The native-memory scope of one call. */
    Nd4jScope scope() {
        checkOpen();
        return workspaces.open();
    }

    @Override
    public synchronized SequenceModel model(ModelSpec spec, ParameterSet parameters) {
        checkOpen();
        ModelGraph graph = Models.graph(spec, structures);
        if (fusion != null && graph instanceof StackedLinearCde stacked) {
            graph = stacked.withHooks(GATHER_FIRST_LAYER);
        }
        Nd4jModel m = new Nd4jModel(this, graph, parameters);
        models.add(m);
        return m;
    }

    @SuppressWarnings("try") // the scope is used for its close(), not referenced
    @Override
    public GradientResult gradient(OpsFunction f, Map<String, HostTensor> inputs) {
        try (Nd4jScope ignored = scope()) {
            Nd4jTensorOps ops = newOps();
            Map<String, Nd4jTensor> leaves = new LinkedHashMap<>();
            inputs.forEach((name, t) -> leaves.put(name, ops.leaf(t)));
            Nd4jTensor out = f.apply(ops, inputs(leaves));
            ops.backward(ops.sumAll(out));
            Map<String, HostTensor> grads = new LinkedHashMap<>();
            leaves.forEach((name, t) -> grads.put(name, t.gradient() == null
                    ? HostTensor.zeros(Nd4jArrays.elementType(options.dtype()), t.shape())
                    : Nd4jArrays.toHost(t.gradient(), Nd4jArrays.elementType(options.dtype()))));
            return new GradientResult(ops.value(out), grads);
        }
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> m = provenanceOfBackend();
        m.put("dtype", options.dtype().label());
        m.put("device", options.device().name().toLowerCase(java.util.Locale.ROOT));
        m.put("threads.requested", String.valueOf(options.threads()));
        m.putAll(runtime);
        m.put("threads.fused", String.valueOf(fusedThreads));
        m.put("fused.kernels", fusion == null ? "off (generic per-step loop)"
                : "on (Java row kernels for dense, sparse, diagonal, block-diagonal, walsh-hadamard, "
                + "dplr quadratic / rank 0, diagonal-dense)");
        m.put("autodiff", "eager INDArray tape (not SameDiff)");
        m.put("memory", Nd4jScope.Workspaces.policy());
        return m;
    }

    @Override
    public synchronized void close() {
        if (isClosed()) {
            return;
        }
        for (Nd4jModel m : models) {
            m.close();
        }
        models.clear();
        markClosed();
        workspaces.close();
        constants.close();
        if (pool != null) {
            pool.shutdown();
        }
    }
}
