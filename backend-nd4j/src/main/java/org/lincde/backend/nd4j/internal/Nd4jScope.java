package org.lincde.backend.nd4j.internal;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native-memory scope of one call (STYLE D3): every array an op creates while a scope is open is
 * carved from the session's ND4J workspace and becomes invalid when the scope closes, so nothing
 * native leaves a call. Parameters and optimiser moments are created outside (detached).
 *
 * <p>The workspace learns the size of its first cycle and grows when a later cycle needs more
 * ({@link LearningPolicy#FIRST_LOOP}, {@link SpillPolicy#REALLOCATE}), so steady-state training
 * reuses one block: on the build machine, fresh native allocations (page faults) made GEMMs 5–10×
 * slower than reused workspace memory.
 *
 * <p>Workspaces are per thread in ND4J; a {@link Workspaces} remembers every one a session opened
 * so that closing the session releases them all.
 */
public final class Nd4jScope implements AutoCloseable {
    private final MemoryWorkspace workspace;

    private Nd4jScope(MemoryWorkspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public void close() {
        workspace.close();
    }

    /** The workspaces of one session (one per thread that used it). */
    public static final class Workspaces implements AutoCloseable {
        private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
                .initialSize(0)
                .policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.FIRST_LOOP)
                .policySpill(SpillPolicy.REALLOCATE)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .build();
        private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

        private final String id = "lincde-nd4j-" + IDS.incrementAndGet();
        private final List<MemoryWorkspace> opened = new ArrayList<>();
        private boolean closed;

        /** Opens the call scope on the current thread. */
        public synchronized Nd4jScope open() {
            if (closed) {
                throw new IllegalStateException("session of backend 'nd4j' is closed");
            }
            if (Nd4j.getWorkspaceManager().checkIfWorkspaceExistsAndActive(id)) {
                throw new IllegalStateException("nd4j: a call of this session is already running on this thread");
            }
            MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
            if (!opened.contains(ws)) {
                opened.add(ws);
            }
            return new Nd4jScope(ws);
        }

        /** Bytes the workspaces currently hold (for provenance and memory reports). */
        public synchronized long bytes() {
            long n = 0;
            for (MemoryWorkspace ws : opened) {
                n += ws.getCurrentSize();
            }
            return n;
        }

        /** The workspace policy, for provenance. */
        public static String policy() {
            return "workspace per call: learning FIRST_LOOP, spill REALLOCATE";
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (MemoryWorkspace ws : opened) {
                ws.destroyWorkspace(true);
            }
            opened.clear();
        }
    }
}
