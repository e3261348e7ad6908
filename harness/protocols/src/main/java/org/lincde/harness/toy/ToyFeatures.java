package org.lincde.harness.toy;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Final-state features of many paths under one {@link RandomLinearCde}, computed in parallel (each path is
 * independent and writes only its own row, so the numbers do not depend on the thread count).
 */
public final class ToyFeatures {
    /**
     * Features and solver statistics.
     *
     * @param values   {@code n×h} row-major
     * @param accepted accepted adaptive steps over all paths (0 for Euler)
     * @param rejected rejected adaptive steps over all paths
     */
    public record Result(double[] values, long accepted, long rejected) {}

    private ToyFeatures() {}

    /**
     * Features of the {@code n} paths of length {@code L} in {@code paths} ({@code n×L×d} row-major) on
     * {@code threads} threads (0: the common pool's parallelism).
     */
    public static Result compute(RandomLinearCde cde, double[] paths, int n, int length,
                                 RandomLinearCde.Method method, OdeSolver.Settings settings, int threads) {
        int d = cde.inputDim();
        int h = cde.hidden();
        if ((long) n * length * d != paths.length) {
            throw new IllegalArgumentException("paths: expected " + n + "×" + length + "×" + d + " values, got "
                    + paths.length);
        }
        double[] out = new double[n * h];
        ConcurrentLinkedQueue<RandomLinearCde.Workspace> used = new ConcurrentLinkedQueue<>();
        ThreadLocal<RandomLinearCde.Workspace> local = ThreadLocal.withInitial(() -> {
            RandomLinearCde.Workspace w = cde.workspace();
            used.add(w);
            return w;
        });
        Runnable work = () -> IntStream.range(0, n).parallel().forEach(i -> local.get()
                .features(paths, i * length * d, length, method, settings, out, i * h));
        if (threads > 0) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(work).join();
            } finally {
                pool.shutdown();
            }
        } else {
            work.run();
        }
        long acc = 0;
        long rej = 0;
        for (RandomLinearCde.Workspace w : List.copyOf(used)) {
            acc += w.accepted();
            rej += w.rejected();
        }
        return new Result(out, acc, rej);
    }
}
