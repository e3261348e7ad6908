package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
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
 * The Mamba2 layer with its fused mixer ({@code Nd4jMamba2Mixer}) against the same layer's generic graph on ND4J,
 * float64: outputs and the gradients of the layer input and all eight parameters; the generic graph runs SSD
 * chunks of 3 on 11 steps, the fused kernel one chunk. The model-level check is the conformance kit's
 * ({@code r1-mamba2}).
 */
class Nd4jFusedMamba2MixerTest {
    private static final int B = 3;
    private static final int L = 11;
    private static final int D = 4;
    private static final Mamba2Spec SPEC = new Mamba2Spec(SequenceIo.tokens(5, 3), D, 1, 3, 2, 2, 4, 3, false, 0.0,
            Mamba2Spec.Form.CHUNKED);
    private static final List<String> NAMES = List.of("u", "in_proj.weight", "conv1d.weight", "conv1d.bias", "dt_bias",
            "A_log", "D", "norm.weight", "out_proj.weight");

    private static Map<String, HostTensor> inputs() {
        int e = 2 * D;
        int n = 3;
        int h = e / 2;
        Rng rng = Rng.seeded(29);
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("u", Nd4jFixtures.normal(rng.stream("u"), 1, B, L, D));
        m.put("in_proj.weight", Nd4jFixtures.normal(rng.stream("in"), 1, 2 * e + 2 * n + h, D));
        m.put("conv1d.weight", Nd4jFixtures.normal(rng.stream("cw"), 1, e + 2 * n, 1, 4));
        m.put("conv1d.bias", Nd4jFixtures.normal(rng.stream("cb"), 1, e + 2 * n));
        m.put("dt_bias", Nd4jFixtures.normal(rng.stream("dt"), 1, h));
        m.put("A_log", Nd4jFixtures.normal(rng.stream("al"), 1, h));
        m.put("D", Nd4jFixtures.normal(rng.stream("d"), 1, h));
        m.put("norm.weight", Nd4jFixtures.normal(rng.stream("nw"), 1, e));
        m.put("out_proj.weight", Nd4jFixtures.normal(rng.stream("out"), 1, D, e));
        return m;
    }

    @Test
    void fusedEqualsTheGenericChunkedGraphForwardAndBackward() {
        double[] weights = Nd4jFixtures.normal(Rng.seeded(4), 1, B, L, D).data();
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction f = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedMamba2Mixer().isPresent());
                T y = new Mamba2Layer(SPEC).forward(ops, p, p.get("u"), ForwardMode.inference());
                return ops.mul(y, ops.constant(weights, B, L, D));
            }
        };
        Session.GradientResult rf = Nd4jFixtures.session(DType.FLOAT64).gradient(f, inputs());
        assertThat(offered.get()).as("a fused session offers the kernel").isTrue();
        Session.GradientResult rg = Nd4jFixtures.genericSession(DType.FLOAT64).gradient(f, inputs());
        assertThat(offered.get()).as("a generic session declines").isFalse();
        assertThat(Nd4jFixtures.maxRelErr(rf.value().data(), rg.value().data())).isLessThan(1e-10);
        for (String n : NAMES) {
            assertThat(Nd4jFixtures.maxRelErr(rf.gradients().get(n).data(), rg.gradients().get(n).data())).as(n)
                    .isLessThan(1e-9);
        }
    }
}
