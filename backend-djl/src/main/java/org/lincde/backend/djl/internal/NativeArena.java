package org.lincde.backend.djl.internal;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct buffers reused from call to call for the tensors the fused kernels write (states, their
 * gradients, dropout masks). Every training step needs the same sizes again; fresh direct buffers
 * cost a zeroing pass and page faults each time, and their memory returns only when the garbage
 * collector finds the buffer objects, so resident memory saw-tooths with the GC.
 *
 * <p>A buffer is lent to an open call manager ({@link #open}) and comes back when that manager
 * closes, after which no tensor over it exists (a call's tensors all belong to its manager, docs/STYLE.md
 * D3). A manager not opened here gets plain fresh buffers. Contents of a reused buffer are left over:
 * callers overwrite every element.
 */
public final class NativeArena {
    /** Most bytes kept for reuse; more are left to the garbage collector. */
    public static final long MAX_KEPT_BYTES = 1L << 31;

    private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
    private final Map<NDManager, List<ByteBuffer>> lent = new IdentityHashMap<>();
    private long keptBytes;

    /** Lends buffers to {@code call} until it closes. */
    public synchronized void open(NDManager call) {
        if (lent.putIfAbsent(call, new ArrayList<>()) == null) {
            call.attachInternal("lincde-native-arena-" + System.identityHashCode(call), () -> giveBack(call));
        }
    }

    /** A native-order direct buffer of exactly {@code bytes} bytes, valid while {@code owner} is open. */
    public synchronized ByteBuffer take(NDManager owner, int bytes) {
        List<ByteBuffer> l = lent.get(owner);
        if (l == null) {
            return owner.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ArrayDeque<ByteBuffer> q = free.get(bytes);
        ByteBuffer b = q == null ? null : q.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        } else {
            keptBytes -= bytes;
        }
        l.add(b);
        return b;
    }

    private synchronized void giveBack(NDManager call) {
        List<ByteBuffer> l = lent.remove(call);
        if (l == null) {
            return;
        }
        for (ByteBuffer b : l) {
            if (keptBytes + b.capacity() <= MAX_KEPT_BYTES) {
                free.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).add(b.clear());
                keptBytes += b.capacity();
            }
        }
    }

    /** Bytes held for reuse (for tests and diagnostics). */
    public synchronized long keptBytes() {
        return keptBytes;
    }

    /** Drops every kept buffer (their memory returns with the garbage collector). */
    public synchronized void clear() {
        free.clear();
        keptBytes = 0;
    }
}
