package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.lincde.backend.djl.internal.NativeArena;
import org.lincde.spi.DType;
import org.lincde.spi.Session;

class NativeArenaTest {
    @Test
    void buffersAreDistinctWhileLentAndReusedOnlyAfterTheirCallCloses() {
        try (Session s = DjlFixtures.session(DType.FLOAT32, true); NDManager root = NDManager.newBaseManager()) {
            NativeArena arena = new NativeArena();
            NDManager first = root.newSubManager();
            arena.open(first);
            ByteBuffer a = arena.take(first, 64);
            ByteBuffer b = arena.take(first, 64);
            assertThat(b).isNotSameAs(a);
            assertThat(a.capacity()).isEqualTo(64);
            assertThat(arena.keptBytes()).isZero();
            first.close();
            assertThat(arena.keptBytes()).isEqualTo(128);

            NDManager second = root.newSubManager();
            arena.open(second);
            ByteBuffer c = arena.take(second, 64);
            ByteBuffer d = arena.take(second, 32); // another size: fresh
            assertThat(c).isIn(a, b);
            assertThat(d).isNotIn(a, b);
            assertThat(arena.keptBytes()).isEqualTo(64);
            second.close();
            assertThat(arena.keptBytes()).isEqualTo(64 + 64 + 32);
        }
    }

    @Test
    void aManagerNotOpenedGetsFreshBuffersThatNeverReturn() {
        try (Session s = DjlFixtures.session(DType.FLOAT32, true); NDManager root = NDManager.newBaseManager()) {
            NativeArena arena = new NativeArena();
            NDManager m = root.newSubManager();
            ByteBuffer a = arena.take(m, 16);
            m.close();
            assertThat(arena.keptBytes()).isZero();
            NDManager n = root.newSubManager();
            arena.open(n);
            assertThat(arena.take(n, 16)).isNotSameAs(a);
            n.close();
        }
    }
}
