package org.lincde.backend.djl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Threads for the Java side of the fused kernels. Work is split into disjoint, contiguous batch-row
 * ranges, one per thread, and each row is computed the same way whatever the split, so results do
 * not depend on the thread count.
 */
public final class KernelPool implements AutoCloseable {
    /** Work on rows {@code [from, to)}. */
    @FunctionalInterface
    public interface RowTask {
        /** Processes rows {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService executor;
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);
    private final NativeArena arena = new NativeArena();

    /** A pool of {@code threads} (≥ 1) workers; the caller's thread is one of them. */
    public KernelPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("kernel threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.executor = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "lincde-djl-kernel");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** The calling thread's reusable arrays. */
    public Workspace workspace() {
        return workspaces.get();
    }

    /** The session's reusable native buffers. */
    public NativeArena arena() {
        return arena;
    }

    /** Number of threads used (the caller's included). */
    public int threads() {
        return threads;
    }

    /**
     * Least work (roughly, multiply-adds) worth handing to another thread: below it the hand-off costs
     * more than it saves, badly so on a loaded machine.
     */
    public static final long MIN_WORK_PER_THREAD = 1L << 16;

    /** Runs {@code task} over {@code [0, rows)} split into up to {@link #threads()} ranges; waits for all. */
    public void forRows(int rows, RowTask task) {
        forRows(rows, MIN_WORK_PER_THREAD, task);
    }

    /**
     * Like {@link #forRows(int, RowTask)}, with no more ranges than {@code rows·workPerRow /}
     * {@link #MIN_WORK_PER_THREAD}.
     */
    public void forRows(int rows, long workPerRow, RowTask task) {
        long byWork = Math.max(1, rows * Math.max(1, workPerRow) / MIN_WORK_PER_THREAD);
        int parts = (int) Math.min(Math.min(threads, rows), byWork);
        if (parts <= 1) {
            task.run(0, rows);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) rows * p / parts);
            int to = (int) ((long) rows * (p + 1) / parts);
            futures.add(executor.submit(() -> task.run(from, to)));
        }
        task.run(0, (int) ((long) rows / parts));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in a fused kernel", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    @Override
    public void close() {
        arena.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
