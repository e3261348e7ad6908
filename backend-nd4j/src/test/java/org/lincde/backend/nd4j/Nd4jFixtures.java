package org.lincde.backend.nd4j;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.testing.SharedFixtures;

/**
 * Shared sessions and builders for this module's tests. Sessions are opened once per JVM (ND4J
 * loads once anyway) and closed by a shutdown hook; tests must not close them.
 */
final class Nd4jFixtures {
    private Nd4jFixtures() {}

    private static final Map<DType, Session> FUSED = new EnumMap<>(DType.class);
    private static final Map<DType, Session> GENERIC = new EnumMap<>(DType.class);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            FUSED.values().forEach(Session::close);
            GENERIC.values().forEach(Session::close);
        }));
    }

    /** A session with fused kernels on, 2 threads. */
    static synchronized Session session(DType dtype) {
        return FUSED.computeIfAbsent(dtype, d -> new Nd4jBackend().open(
                new SessionOptions(d, Device.CPU, 2, true, null)));
    }

    /** A session with fused kernels off (the generic per-step loop). */
    static synchronized Session genericSession(DType dtype) {
        return GENERIC.computeIfAbsent(dtype, d -> new Nd4jBackend().open(
                new SessionOptions(d, Device.CPU, 2, false, null)));
    }

    /** Every built-in structure, small options (as the reference backend's tests). */
    static final List<StructureSpec> ALL_STRUCTURES = SharedFixtures.ALL_STRUCTURES;

    static LinearCdeSpec smallSpec(StructureSpec s, int h, int blocks) {
        return SharedFixtures.smallSpec(s, h, blocks);
    }

    /** A random token batch with per-token targets and a random mask (at least one position). */
    static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels) {
        return SharedFixtures.tokenBatch(rng, b, len, vocab, labels);
    }

    /** Normal values of {@code shape} from {@code rng}. */
    static HostTensor normal(Rng rng, double std, int... shape) {
        return SharedFixtures.normal(rng, std, shape);
    }

    /** Uniform values in [lo, hi). */
    static HostTensor uniform(Rng rng, double lo, double hi, int... shape) {
        double[] v = new double[Math.toIntExact(org.lincde.spi.Shapes.size(shape))];
        rng.fillUniform(v, lo, hi);
        return HostTensor.of(v, shape);
    }

    /** |a − b| / max(1e-8, |a| + |b|), 0 when both are within 1e-10 (the reference tests' rule). */
    static double relErr(double a, double b) {
        double d = Math.abs(a - b);
        if (d < 1e-10) {
            return 0;
        }
        return d / Math.max(1e-8, Math.abs(a) + Math.abs(b));
    }

    /** Largest {@link #relErr} over two arrays of equal length. */
    static double maxRelErr(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, relErr(a[i], b[i]));
        }
        return worst;
    }

    /** Largest |a − b| / (|b| + atol) over two arrays: for float32 comparisons. */
    static double maxScaledErr(double[] a, double[] b, double atol) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + atol));
        }
        return worst;
    }
}
