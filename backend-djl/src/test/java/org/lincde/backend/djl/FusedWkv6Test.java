package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.Rwkv6Layer;

/**
 * RWKV-6's fused recurrence ({@code FusedWkv6}, {@code TensorOps.fusedWkv6}) against the generic token-by-token
 * graph on the same backend, float64: outputs and the gradients of everything upstream. {@code q}, {@code k} and
 * {@code w} all come from one input {@code x}, so the single packed backward pass must add three contributions
 * to {@code ∂x}; the sequence (L = 19) is longer than the layer's 16-step chunks. And the same numbers, bit for
 * bit, with the batch rows split over two threads. The model-level fused-vs-generic check is the conformance
 * kit's ({@code r1-rwkv6}).
 */
class FusedWkv6Test {
    private static final int B = 5;
    /** Enough rows that the kernel's row split hands half to a second thread. */
    private static final int WIDE = 128;
    private static final int L = 19;
    private static final int H = 2;
    private static final int K = 3;
    private static final int V = 4;

    private static Session.OpsFunction layer(AtomicReference<Boolean> offered, double[] weights, int rows) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T x = p.get("x");
                T q = ops.scale(x, 1.5);
                T k = ops.tanh(x);
                T w = ops.neg(ops.exp(ops.scale(x, 0.7)));
                T v = p.get("v");
                T u = p.get("u");
                offered.set(ops.fusedWkv6().isPresent());
                T o = ops.fusedWkv6().isPresent() ? ops.fusedWkv6().get().outputs(q, k, v, w, u)
                        : Rwkv6Layer.recurrent(ops, q, k, v, w, u);
                return ops.mul(o, ops.constant(weights, rows, L, H, V)); // weighted: every gradient distinct
            }
        };
    }

    private static Map<String, HostTensor> inputs(int rows) {
        return DjlFixtures.inputs(Rng.seeded(23), "x", new int[] {rows, L, H, K}, "v", new int[] {rows, L, H, V},
                "u", new int[] {H, K});
    }

    @Test
    void fusedEqualsTheGenericRecurrenceForwardAndBackward() {
        double[] weights = DjlFixtures.inputs(Rng.seeded(4), "g", new int[] {B, L, H, V}).get("g").data();
        AtomicReference<Boolean> offered = new AtomicReference<>();
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(layer(offered, weights, B), inputs(B));
            assertThat(offered.get()).as("a fused session offers the kernel").isTrue();
            Session.GradientResult rg = generic.gradient(layer(offered, weights, B), inputs(B));
            assertThat(offered.get()).as("a generic session declines").isFalse();
            DjlFixtures.assertAgree(rf, rg, List.of("x", "v", "u"), 1e-12, 1e-12);
        }
    }

    @Test
    void twoThreadsGiveTheSameBits() {
        double[] weights = DjlFixtures.inputs(Rng.seeded(4), "g", new int[] {WIDE, L, H, V}).get("g").data();
        AtomicReference<Boolean> offered = new AtomicReference<>();
        try (Session one = DjlFixtures.session(DType.FLOAT32, true, 1);
             Session two = DjlFixtures.session(DType.FLOAT32, true, 2)) {
            Session.GradientResult r1 = one.gradient(layer(offered, weights, WIDE), inputs(WIDE));
            Session.GradientResult r2 = two.gradient(layer(offered, weights, WIDE), inputs(WIDE));
            assertThat(r2.value().data()).containsExactly(r1.value().data());
            for (String n : List.of("x", "v", "u")) {
                assertThat(r2.gradients().get(n).data()).as(n).containsExactly(r1.gradients().get(n).data());
            }
        }
    }
}
