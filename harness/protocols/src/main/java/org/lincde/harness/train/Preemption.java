package org.lincde.harness.train;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM (a scheduler's preemption or time-limit warning: Slurm's {@code --signal}, Kubernetes' pod termination)
 * as a request, not a kill: a training loop that sees {@link #requested()} saves its checkpoint at the end of the
 * step in flight and throws {@link RunPreempted}; the command then exits with {@link #EXIT_CODE} and a rerun resumes
 * from the checkpoint. Outside a training loop SIGTERM ends the process as usual.
 */
public final class Preemption {
    /** Exit code of a process that stopped for a preemption with its state saved (BSD's EX_TEMPFAIL). */
    public static final int EXIT_CODE = 75;
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicInteger LOOPS = new AtomicInteger();

    private Preemption() {
    }

    /** Installs the SIGTERM handler once per JVM (a no-op where the JVM offers no signal API). */
    public static void installSignalHandler() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> {
                REQUESTED.set(true);
                if (LOOPS.get() == 0) {
                    // no training loop will see the request: end as SIGTERM would have
                    new Thread(() -> System.exit(128 + 15), "lincde-sigterm").start();
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no signal support here: SIGTERM keeps its default effect
        }
    }

    /** Whether a stop was requested. */
    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Requests a stop, as SIGTERM does (for tests and embedders). */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Clears a request (tests). */
    public static void clear() {
        REQUESTED.set(false);
    }

    /** Marks a training loop as running until the returned handle is closed (SIGTERM then waits for it). */
    public static AutoCloseable loop() {
        LOOPS.incrementAndGet();
        return LOOPS::decrementAndGet;
    }
}
