package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.DeltaRule;
import org.lincde.spi.model.baseline.MambaV1Layer;

/**
 * The DeltaNet family's fused kernels ({@code TensorOps.fusedCausalConv}, libtorch's convolution, and
 * {@code TensorOps.fusedDeltaRule}, {@code FusedDeltaRule}) against the generic graphs on the same backend, float64: a short convolution with SiLU
 * whose output gives both q and k, the delta rule (gated and ungated, β up to 2), outputs and the gradients of
 * everything upstream, through the two kernels' chained backward phases. The sequence (L = 19) spans several of the
 * generic chunked form's 4-step chunks. And the same numbers, bit for bit, with rows split over two threads. The
 * model-level fused-vs-generic check is the conformance kit's ({@code r1-deltanet}, …).
 */
class FusedDeltaRuleTest {
    private static final int B = 3;
    /** Enough rows that the kernels' row split hands half to a second thread. */
    private static final int WIDE = 512;
    private static final int L = 19;
    private static final int H = 2;
    private static final int K = 3;
    private static final int V = 4;

    private static Session.OpsFunction layer(AtomicReference<List<Boolean>> offered, double[] weights, int rows,
                                             boolean gated) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                var conv = ops.fusedCausalConv();
                var rule = ops.fusedDeltaRule();
                offered.set(List.of(conv.isPresent(), rule.isPresent()));
                T c = ops.silu(conv.isPresent() ? conv.get().outputs(p.get("x"), p.get("w"), p.get("b"))
                        : MambaV1Layer.causalConv(ops, p.get("x"), p.get("w"), p.get("b")));
                T q = ops.transpose(ops.reshape(c, rows, L, H, K), 1, 2);               // (B, H, L, K)
                T k = ops.tanh(ops.scale(q, 0.7));
                T beta = ops.scale(ops.sigmoid(p.get("bz")), 2.0);
                T g = gated ? ops.neg(ops.softplus(p.get("gz"))) : null;
                T o = rule.isPresent() ? rule.get().outputs(q, k, p.get("v"), beta, g)
                        : DeltaRule.chunked(ops, q, k, p.get("v"), beta, g, 4);
                return ops.mul(o, ops.constant(weights, rows, H, L, V)); // weighted: every gradient distinct
            }
        };
    }

    private static Map<String, HostTensor> inputs(int rows) {
        return DjlFixtures.inputs(Rng.seeded(29), "x", new int[] {rows, L, H * K}, "w", new int[] {H * K, 1, 4},
                "b", new int[] {H * K}, "v", new int[] {rows, H, L, V}, "bz", new int[] {rows, H, L},
                "gz", new int[] {rows, H, L});
    }

    private static List<String> names(boolean gated) {
        List<String> n = new ArrayList<>(List.of("x", "w", "b", "v", "bz"));
        if (gated) {
            n.add("gz");
        }
        return n;
    }

    @ParameterizedTest(name = "gated={0}")
    @ValueSource(booleans = {false, true})
    void fusedEqualsTheGenericGraphsForwardAndBackward(boolean gated) {
        double[] weights = DjlFixtures.inputs(Rng.seeded(5), "g", new int[] {B, H, L, V}).get("g").data();
        AtomicReference<List<Boolean>> offered = new AtomicReference<>();
        Map<String, HostTensor> in = inputs(B);
        if (!gated) {
            in.remove("gz");
        }
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(layer(offered, weights, B, gated), in);
            // float64: the rule kernel; the engine's convolution is float32 only (DjlTensorOps.fusedCausalConv;
            // FusedCausalConvTest checks it in float64 against the shifted slices)
            assertThat(offered.get()).as("a fused float64 session offers the rule kernel").containsExactly(false, true);
            Session.GradientResult rg = generic.gradient(layer(offered, weights, B, gated), in);
            assertThat(offered.get()).as("a generic session declines").containsExactly(false, false);
            DjlFixtures.assertAgree(rf, rg, names(gated), 1e-12, 1e-12);
        }
    }

    @Test
    void twoThreadsGiveTheSameBits() {
        double[] weights = DjlFixtures.inputs(Rng.seeded(5), "g", new int[] {WIDE, H, L, V}).get("g").data();
        AtomicReference<List<Boolean>> offered = new AtomicReference<>();
        try (Session one = DjlFixtures.session(DType.FLOAT32, true, 1);
             Session two = DjlFixtures.session(DType.FLOAT32, true, 2)) {
            Session.GradientResult r1 = one.gradient(layer(offered, weights, WIDE, true), inputs(WIDE));
            Session.GradientResult r2 = two.gradient(layer(offered, weights, WIDE, true), inputs(WIDE));
            assertThat(r2.value().data()).containsExactly(r1.value().data());
            for (String n : names(true)) {
                assertThat(r2.gradients().get(n).data()).as(n).containsExactly(r1.gradients().get(n).data());
            }
        }
    }
}
