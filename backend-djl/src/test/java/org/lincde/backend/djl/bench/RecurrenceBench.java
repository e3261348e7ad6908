package org.lincde.backend.djl.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lincde.backend.djl.DjlBackend;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.RecurrenceKernel;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.LinearCdeLayer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The BD4 Linear CDE recurrence at R1 size (B = 256, L = 40, h = 128), forward and backward, fused
 * Java kernel vs the generic per-step graph over libtorch ops. Each invocation uploads
 * {@code y0 (B, h)} and the coefficients {@code (B, L−1, h·b)}, runs the recurrence, back-propagates
 * a weighted sum and reads the gradients back ({@code Session.gradient}), so both variants pay the
 * same transfers.
 *
 * <pre>java -cp backend-djl/target/test-classes:… org.openjdk.jmh.Main RecurrenceBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecurrenceBench {
    /** Block size b of the block-diagonal structure. */
    @Param({"4"})
    public int blockSize;

    /** dtype of the session. */
    @Param({"float32"})
    public String dtype;

    private Session fused;
    private Session generic;
    private Map<String, HostTensor> inputs;
    private Session.OpsFunction recurrence;

    @Setup(Level.Trial)
    public void setUp() {
        int b = 256;
        int len = 40;
        int h = 128;
        SessionOptions opts = new SessionOptions(DType.parse(dtype), Device.CPU, 2, true, null);
        fused = new DjlBackend().open(opts);
        generic = new DjlBackend().open(opts.withFusedKernels(false));
        StructuredVectorField field = StructureRegistry.discover().configure(
                StructureSpec.of("block-diagonal", "block_size", String.valueOf(blockSize)), h, h + 1);
        LinearCdeLayer layer = new LinearCdeLayer(field, h, LinearCdeSpec.R1_DT, LinearCdeSpec.R1_TANH_CLIP);
        Rng rng = Rng.seeded(17);
        double[] y0 = new double[b * h];
        double[] coef = new double[b * (len - 1) * field.coefficientCount()];
        double[] w = new double[b * len * h];
        rng.stream("y0").fillNormal(y0, 0, 1);
        rng.stream("coef").fillNormal(coef, 0, 0.05);
        rng.stream("w").fillNormal(w, 0, 1);
        inputs = Map.of("y0", HostTensor.of(y0, b, h),
                "coef", HostTensor.of(coef, b, len - 1, field.coefficientCount()));
        recurrence = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                java.util.Optional<RecurrenceKernel<T>> k = ops.fusedRecurrence(field);
                T states = k.isPresent() ? k.get().states(in.get("y0"), in.get("coef"), LinearCdeSpec.R1_TANH_CLIP)
                        : layer.recurrentStates(ops, name -> {
                            throw new IllegalArgumentException("block-diagonal apply reads no parameter: " + name);
                        }, in.get("y0"), in.get("coef"));
                return ops.mul(states, ops.constant(w, b, len, h));
            }
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fused.close();
        generic.close();
    }

    /** Fused Java forward + hand-derived backward. */
    @Benchmark
    public Session.GradientResult fusedForwardBackward() {
        return fused.gradient(recurrence, inputs);
    }

    /** Generic per-step loop of libtorch ops under autograd. */
    @Benchmark
    public Session.GradientResult genericForwardBackward() {
        return generic.gradient(recurrence, inputs);
    }
}
