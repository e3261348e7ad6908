package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.backend.djl.internal.DjlTensorOps;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.MambaV1Layer;

/**
 * The depth-wise causal convolution as libtorch's {@code conv1d} ({@code TensorOps.fusedCausalConv}, used by the
 * mLSTM and sLSTM layers) against the generic graph of shifted slices on the same backend, float64 (the op called
 * directly: sessions offer it for float32 only) and float32 through the session: outputs and the gradients of the
 * input, the weight and the bias, for kernels longer and shorter than the sequence. The same bits on a second run
 * and with two threads. The model-level fused-vs-generic check is the conformance kit's
 * ({@code xlstm-*} cases).
 */
class FusedCausalConvTest {
    /**
     * The convolution of {@code tanh(x)}, weighted; {@code engine}: libtorch's conv1d whatever the dtype (the float64
     * check: the session offers it for float32 only), else the session's choice.
     */
    private static Session.OpsFunction conv(AtomicReference<Boolean> offered, double[] weights, int b, int len, int e,
                                            boolean engine) {
        return new Session.OpsFunction() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T x = ops.tanh(p.get("x")); // an op result, not a leaf, as in the layers
                offered.set(ops.fusedCausalConv().isPresent());
                T y = engine ? (T) DjlTensorOps.engineCausalConv((NDArray) x, (NDArray) p.get("w"), (NDArray) p.get("b"))
                        : ops.fusedCausalConv().isPresent() ? ops.fusedCausalConv().get().outputs(x, p.get("w"), p.get("b"))
                        : MambaV1Layer.causalConv(ops, x, p.get("w"), p.get("b"));
                return ops.mul(y, ops.constant(weights, b, len, e)); // weighted: every gradient distinct
            }
        };
    }

    private static Map<String, HostTensor> inputs(int b, int len, int e, int k) {
        return DjlFixtures.inputs(Rng.seeded(31), "x", new int[] {b, len, e}, "w", new int[] {e, 1, k},
                "b", new int[] {e});
    }

    @ParameterizedTest(name = "B={0} L={1} E={2} K={3}")
    @CsvSource({"3,11,5,4", "2,2,3,4", "2,6,4,1"})
    void oneOpEqualsTheShiftedSlicesForwardAndBackward(int b, int len, int e, int k) {
        double[] weights = DjlFixtures.inputs(Rng.seeded(4), "g", new int[] {b, len, e}).get("g").data();
        AtomicReference<Boolean> offered = new AtomicReference<>();
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(conv(offered, weights, b, len, e, true), inputs(b, len, e, k));
            assertThat(offered.get()).as("a float64 session declines (the generic graph)").isFalse();
            Session.GradientResult rg = generic.gradient(conv(offered, weights, b, len, e, false), inputs(b, len, e, k));
            assertThat(offered.get()).as("a generic session declines").isFalse();
            DjlFixtures.assertAgree(rf, rg, List.of("x", "w", "b"), 1e-12, 1e-12);
        }
        try (Session fused = DjlFixtures.session(DType.FLOAT32, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(conv(offered, weights, b, len, e, false), inputs(b, len, e, k));
            assertThat(offered.get()).as("a float32 fused session offers the op").isTrue();
            Session.GradientResult rg = generic.gradient(conv(offered, weights, b, len, e, false), inputs(b, len, e, k));
            DjlFixtures.assertAgree(rf, rg, List.of("x", "w", "b"), 1e-5, 1e-5);
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @CsvSource({"1", "2"})
    void sameBitsRunToRunAndAcrossThreadCounts(int threads) {
        int b = 16;
        int len = 40;
        int e = 64;
        double[] weights = DjlFixtures.inputs(Rng.seeded(4), "g", new int[] {b, len, e}).get("g").data();
        AtomicReference<Boolean> offered = new AtomicReference<>();
        try (Session one = DjlFixtures.session(DType.FLOAT32, true, 1);
             Session s = DjlFixtures.session(DType.FLOAT32, true, threads)) {
            Session.GradientResult r1 = one.gradient(conv(offered, weights, b, len, e, false), inputs(b, len, e, 4));
            assertThat(offered.get()).isTrue();
            for (int run = 0; run < 2; run++) {
                Session.GradientResult r = s.gradient(conv(offered, weights, b, len, e, false), inputs(b, len, e, 4));
                assertThat(r.value().data()).containsExactly(r1.value().data());
                for (String n : List.of("x", "w", "b")) {
                    assertThat(r.gradients().get(n).data()).as(n).containsExactly(r1.gradients().get(n).data());
                }
            }
        }
    }
}
