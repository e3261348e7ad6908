package org.lincde.backend.reference;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Row-major float64 matrix-product kernels. Each output element is always accumulated in the same
 * order, whatever the thread count, so results are bit-identical on 1 or 16 threads; threads only
 * split disjoint output rows. Arguments: {@code a, b} read; {@code c} written (accumulated into).
 */
final class Gemm {
    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long PARALLEL_THRESHOLD = 1L << 16;

    private final ForkJoinPool pool;

    Gemm(ForkJoinPool pool) {
        this.pool = pool;
    }

    private void rows(int count, long work, java.util.function.IntConsumer body) {
        if (pool == null || work < PARALLEL_THRESHOLD || count < 2) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
        } else {
            pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
        }
    }

    /** {@code C[n×m] += A[n×k] · B[k×m]} (offsets select matrices inside larger arrays). */
    void nn(double[] a, int ao, double[] b, int bo, double[] c, int co, int n, int k, int m) {
        rows(n, (long) n * k * m, i -> nnRow(a, ao, b, bo, c, co, i, k, m));
    }

    static void nnRow(double[] a, int ao, double[] b, int bo, double[] c, int co, int i, int k, int m) {
        int crow = co + i * m;
        int arow = ao + i * k;
        for (int p = 0; p < k; p++) {
            double aip = a[arow + p];
            int brow = bo + p * m;
            for (int j = 0; j < m; j++) {
                c[crow + j] += aip * b[brow + j];
            }
        }
    }

    /** {@code C[n×k] += A[n×m] · B[k×m]ᵀ}: dot products of rows. */
    void nt(double[] a, int ao, double[] b, int bo, double[] c, int co, int n, int m, int k) {
        rows(n, (long) n * k * m, i -> ntRow(a, ao, b, bo, c, co, i, m, k));
    }

    static void ntRow(double[] a, int ao, double[] b, int bo, double[] c, int co, int i, int m, int k) {
        int arow = ao + i * m;
        int crow = co + i * k;
        for (int p = 0; p < k; p++) {
            int brow = bo + p * m;
            double acc = 0.0;
            for (int j = 0; j < m; j++) {
                acc += a[arow + j] * b[brow + j];
            }
            c[crow + p] += acc;
        }
    }

    /**
     * {@code C[k×m] += A[n×k]ᵀ · B[n×m]}. Threads split the rows of C into chunks; each chunk streams A
     * and B once, accumulating over {@code i} in order.
     */
    void tn(double[] a, int ao, double[] b, int bo, double[] c, int co, int n, int k, int m) {
        int chunks = pool == null || (long) n * k * m < PARALLEL_THRESHOLD ? 1
                : Math.min(k, Math.max(1, pool.getParallelism()));
        int per = (k + chunks - 1) / chunks;
        rows(chunks, (long) n * k * m, ch -> {
            int p0 = ch * per;
            int p1 = Math.min(k, p0 + per);
            for (int i = 0; i < n; i++) {
                int arow = ao + i * k;
                int brow = bo + i * m;
                for (int p = p0; p < p1; p++) {
                    double aip = a[arow + p];
                    int crow = co + p * m;
                    for (int j = 0; j < m; j++) {
                        c[crow + j] += aip * b[brow + j];
                    }
                }
            }
        });
    }

    /** Runs {@code body(batch)} for every batch index, in parallel when {@code parallel} and worth it. */
    void batches(int count, long work, boolean parallel, java.util.function.IntConsumer body) {
        if (parallel) {
            rows(count, work, body);
        } else {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
        }
    }
}
