package org.lincde.harness.bench;

import java.util.Arrays;
import java.util.Map;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;

/**
 * The GEMM roofline of a session: the rate of a square {@code n×n} matrix product on the session's own
 * engine, dtype and threads (what {@code lincde bench --roofline} compares a model's achieved rate with).
 * Measured through {@link Session#gradient}, the one backend-neutral way to run ops: one call computes
 * {@code C = A·B} and its two backward products {@code dA = G·Bᵀ}, {@code dB = Aᵀ·G} ({@code 3·2n³} FLOPs).
 * The same call with {@code A + B} in place of the product (same inputs, same transfers, no product) is
 * timed alike and subtracted, so the copies between Java and the engine do not count against the GEMM.
 */
public final class GemmRoofline {
    private GemmRoofline() {}

    /**
     * @param gflopsPerSecond the rate, GFLOP/s
     * @param n               the matrix size
     * @param gemmSeconds     median seconds of the product calls, transfers subtracted
     */
    public record Result(double gflopsPerSecond, int n, double gemmSeconds) {}

    /** Median of {@code reps} timed calls of each kind after two warm-up calls. */
    public static Result measure(Session session, int n, int reps) {
        if (n < 1 || reps < 1) {
            throw new IllegalArgumentException("roofline: n and reps must be >= 1, got " + n + ", " + reps);
        }
        Rng rng = Rng.seeded(1);
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        rng.stream("a").fillNormal(a, 0.0, 1.0);
        rng.stream("b").fillNormal(b, 0.0, 1.0);
        Map<String, HostTensor> in = Map.of("a", HostTensor.of(a, n, n), "b", HostTensor.of(b, n, n));
        Session.OpsFunction gemm = new Session.OpsFunction() {
            @Override
            public <T> T apply(org.lincde.spi.TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> p) {
                return ops.sumAll(ops.matmul(p.get("a"), p.get("b")));
            }
        };
        Session.OpsFunction add = new Session.OpsFunction() {
            @Override
            public <T> T apply(org.lincde.spi.TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> p) {
                return ops.sumAll(ops.add(p.get("a"), p.get("b")));
            }
        };
        double[] tg = new double[reps];
        double[] ta = new double[reps];
        for (int i = -2; i < reps; i++) {
            // interleaved, so a load change on a shared machine hits both kinds alike
            long t0 = System.nanoTime();
            session.gradient(gemm, in);
            long t1 = System.nanoTime();
            session.gradient(add, in);
            long t2 = System.nanoTime();
            if (i >= 0) {
                tg[i] = (t1 - t0) / 1e9;
                ta[i] = (t2 - t1) / 1e9;
            }
        }
        double seconds = Math.max(median(tg) - median(ta), 1e-9);
        return new Result(3 * 2.0 * n * n * (double) n / seconds / 1e9, n, seconds);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
