package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.Mamba2Layer;

/**
 * The Mamba2 layer with its fused mixer ({@code FusedMamba2Mixer}, {@code TensorOps.fusedMamba2Mixer}) against the
 * same layer's generic graph, float64: outputs and the gradients of the layer input and all eight parameters. The
 * generic graph runs SSD chunks of 3 on 11 steps (four chunks, carried states), the fused kernel one chunk; the
 * recurrent form (which the kernel is never given) is compared too. And the same bits with the batch rows split
 * over two threads. The model-level fused-vs-generic check is the conformance kit's ({@code r1-mamba2}).
 */
class FusedMamba2MixerTest {
    private static final int B = 3;
    /** Enough rows that the kernel's row split hands half to a second thread. */
    private static final int WIDE = 64;
    private static final int L = 11;
    private static final int D = 4;
    private static final Mamba2Spec SPEC = new Mamba2Spec(SequenceIo.tokens(5, 3), D, 1, 3, 2, 2, 4, 3, false, 0.0,
            Mamba2Spec.Form.CHUNKED);
    private static final List<String> NAMES = List.of("u", "in_proj.weight", "conv1d.weight", "conv1d.bias", "dt_bias",
            "A_log", "D", "norm.weight", "out_proj.weight");

    private static Session.OpsFunction layer(AtomicReference<Boolean> offered, Mamba2Spec spec, double[] weights,
            int rows) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedMamba2Mixer().isPresent());
                T y = new Mamba2Layer(spec).forward(ops, p, p.get("u"), ForwardMode.inference());
                return ops.mul(y, ops.constant(weights, rows, L, D)); // weighted: every gradient distinct
            }
        };
    }

    private static Map<String, HostTensor> inputs(int rows) {
        int e = 2 * D;
        int n = 3;
        int h = e / 2;
        Map<String, HostTensor> m = DjlFixtures.inputs(Rng.seeded(29), "u", new int[] {rows, L, D},
                "in_proj.weight", new int[] {2 * e + 2 * n + h, D}, "conv1d.weight", new int[] {e + 2 * n, 1, 4},
                "conv1d.bias", new int[] {e + 2 * n}, "dt_bias", new int[] {h}, "A_log", new int[] {h},
                "D", new int[] {h}, "norm.weight", new int[] {e}, "out_proj.weight", new int[] {D, e});
        return m;
    }

    private static double[] weights(int rows) {
        return DjlFixtures.inputs(Rng.seeded(4), "g", new int[] {rows, L, D}).get("g").data();
    }

    @Test
    void fusedEqualsTheGenericChunkedAndRecurrentGraphsForwardAndBackward() {
        AtomicReference<Boolean> offered = new AtomicReference<>();
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(layer(offered, SPEC, weights(B), B), inputs(B));
            assertThat(offered.get()).as("a fused session offers the kernel").isTrue();
            Session.GradientResult rg = generic.gradient(layer(offered, SPEC, weights(B), B), inputs(B));
            assertThat(offered.get()).as("a generic session declines").isFalse();
            DjlFixtures.assertAgree(rf, rg, NAMES, 1e-11, 1e-10);
            Session.GradientResult rr = generic.gradient(layer(offered, SPEC.withForm(Mamba2Spec.Form.RECURRENT),
                    weights(B), B), inputs(B));
            DjlFixtures.assertAgree(rf, rr, NAMES, 1e-11, 1e-10);
        }
    }

    @Test
    void twoThreadsGiveTheSameBits() {
        AtomicReference<Boolean> offered = new AtomicReference<>();
        try (Session one = DjlFixtures.session(DType.FLOAT32, true, 1);
             Session two = DjlFixtures.session(DType.FLOAT32, true, 2)) {
            Session.GradientResult r1 = one.gradient(layer(offered, SPEC, weights(WIDE), WIDE), inputs(WIDE));
            Session.GradientResult r2 = two.gradient(layer(offered, SPEC, weights(WIDE), WIDE), inputs(WIDE));
            assertThat(offered.get()).isTrue();
            assertThat(r2.value().data()).containsExactly(r1.value().data());
            for (String n : NAMES) {
                assertThat(r2.gradients().get(n).data()).as(n).containsExactly(r1.gradients().get(n).data());
            }
        }
    }
}
