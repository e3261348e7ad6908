package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.testing.SharedFixtures;
import org.lincde.spi.model.baseline.LstmLayer;

/**
 * One {@code nn.LSTM} layer in libtorch's own LSTM op ({@code FusedLstm}, {@code TensorOps.fusedLstm})
 * against {@link LstmLayer}'s generic step loop on the same backend, float64: the output and the
 * gradients of the input and all four parameters; and the fused forward against the layer's equations
 * evaluated here in plain double arithmetic (SPEC §2.1). The models' fused-vs-generic and oracle checks
 * are the conformance kit's ({@code lstm} baseline case). The op is offered on the CPU because this module's
 * tests run with {@code -Dlincde.djl.fusedLstm=always} (pom.xml; the default offers it on a GPU only).
 */
class FusedLstmTest {
    private static final List<String> NAMES =
            List.of("x", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1");

    @ParameterizedTest(name = "B={0} L={1} in={2} h={3}")
    @CsvSource({"3,7,5,4", "2,1,3,6", "1,12,8,3"})
    void fusedEqualsTheGenericLoopForwardAndBackward(int b, int len, int in, int h) {
        Map<String, HostTensor> inputs = inputs(Rng.seeded(11 + len), b, len, in, h);
        double[] w = SharedFixtures.normal(Rng.seeded(5).stream("w"), 1.0, b, len, h).data();
        LstmLayer layer = new LstmLayer(in, h, 1);
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedLstm().isPresent());
                T out = layer.forward(ops, p, p.get("x"), ForwardMode.inference());
                return ops.mul(out, ops.constant(w, b, len, h));      // weighted: every gradient distinct
            }
        };
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(fn, inputs);
            assertThat(offered.get()).as("fused session offers the LSTM op").isTrue();
            Session.GradientResult rg = generic.gradient(fn, inputs);
            assertThat(offered.get()).as("generic session declines").isFalse();
            DjlFixtures.assertAgree(rf, rg, NAMES, 1e-12, 1e-12);
            double[] expected = plainLstm(inputs, b, len, in, h);
            for (int i = 0; i < expected.length; i++) {
                expected[i] *= w[i];
            }
            assertThat(DjlFixtures.maxRelError(rf.value(), HostTensor.of(expected, b, len, h)))
                    .as("fused vs plain double LSTM").isLessThanOrEqualTo(1e-12);
        }
    }

    @ParameterizedTest(name = "B={0} L={1} in={2} h={3}")
    @CsvSource({"4,9,6,5", "8,12,32,48"})
    void float32FollowsTheFloat64Loop(int b, int len, int in, int h) {
        Map<String, HostTensor> inputs = inputs(Rng.seeded(3), b, len, in, h);
        LstmLayer layer = new LstmLayer(in, h, 1);
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return layer.forward(ops, p, p.get("x"), ForwardMode.inference());
            }
        };
        try (Session f32 = DjlFixtures.session(DType.FLOAT32, true);
             Session f64 = DjlFixtures.session(DType.FLOAT64, false)) {
            DjlFixtures.assertAgree(f32.gradient(fn, inputs), f64.gradient(fn, inputs), NAMES, 1e-5, 1e-4);
        }
    }

    /**
     * R1's stacked LSTM model: the inference forward (grad mode off) and the loss with gradients (grad mode
     * on; libtorch picks its kernels by both), fused float32 and float64 against the generic float64 loop.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT32,1e-5", "FLOAT64,1e-12"})
    void stackedModelForwardFollowsTheGenericLoop(DType dtype, double tol) {
        LstmSpec spec = new LstmSpec(SequenceIo.tokens(5, 4), 6, 2, 0.1);
        ParameterSet p0 = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(9));
        Batch batch = DjlFixtures.tokenBatch(Rng.seeded(10), 3, 8, 5, 4);
        try (Session fused = DjlFixtures.session(dtype, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false);
             SequenceModel f = fused.model(spec, p0);
             SequenceModel g = generic.model(spec, p0)) {
            assertThat(DjlFixtures.maxRelError(f.forward(batch, ForwardMode.inference()),
                    g.forward(batch, ForwardMode.inference()))).as("inference").isLessThanOrEqualTo(tol);
            Objective ce = Objective.maskedCrossEntropy(0.0);
            SequenceModel.LossReport rf = f.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            SequenceModel.LossReport rg = g.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            assertThat(Math.abs(rf.loss() - rg.loss())).as("loss").isLessThanOrEqualTo(tol);
        }
    }

    /** {@code -Dlincde.djl.fusedLstm}: {@code auto} (the default) offers the op on a GPU only; a bad value is named. */
    @Test
    void thePropertyChoosesWhereTheOpIsOffered() {
        String before = System.getProperty("lincde.djl.fusedLstm");
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction probe = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedLstm().isPresent());
                return p.get("x");
            }
        };
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(new double[] {1, 2}, 2));
        try (Session cpu = DjlFixtures.session(DType.FLOAT64, true)) {
            System.setProperty("lincde.djl.fusedLstm", "auto");
            cpu.gradient(probe, in);
            assertThat(offered.get()).as("auto on the CPU").isFalse();
            System.setProperty("lincde.djl.fusedLstm", "never");
            cpu.gradient(probe, in);
            assertThat(offered.get()).as("never").isFalse();
            System.setProperty("lincde.djl.fusedLstm", "always");
            cpu.gradient(probe, in);
            assertThat(offered.get()).as("always").isTrue();
            System.setProperty("lincde.djl.fusedLstm", "yes");
            assertThatThrownBy(() -> cpu.gradient(probe, in)).hasMessageContaining("-Dlincde.djl.fusedLstm=yes")
                    .hasMessageContaining("auto (GPU only), always or never");
        } finally {
            if (before == null) {
                System.clearProperty("lincde.djl.fusedLstm");
            } else {
                System.setProperty("lincde.djl.fusedLstm", before);
            }
        }
    }

    @Test
    void mismatchedShapesAreNamed() {
        Map<String, HostTensor> inputs = inputs(Rng.seeded(1), 2, 3, 4, 5);
        inputs.put("x", SharedFixtures.normal(Rng.seeded(2), 1.0, 2, 3, 7));       // in = 7, weight_ih has 4 columns
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.fusedLstm().orElseThrow().hiddenStates(p.get("x"), p.get("weight_ih_l1"),
                        p.get("weight_hh_l1"), p.get("bias_ih_l1"), p.get("bias_hh_l1"));
            }
        };
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true)) {
            assertThatThrownBy(() -> fused.gradient(fn, inputs)).hasMessageContaining("x [2, 3, 7]")
                    .hasMessageContaining("weight_ih [20, 4]");
        }
    }

    private static Map<String, HostTensor> inputs(Rng rng, int b, int len, int in, int h) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("x", SharedFixtures.normal(rng.stream("x"), 1.0, b, len, in));
        m.put("weight_ih_l1", SharedFixtures.normal(rng.stream("wi"), 0.6, 4 * h, in));
        m.put("weight_hh_l1", SharedFixtures.normal(rng.stream("wh"), 0.6, 4 * h, h));
        m.put("bias_ih_l1", SharedFixtures.normal(rng.stream("bi"), 0.5, 4 * h));
        m.put("bias_hh_l1", SharedFixtures.normal(rng.stream("bh"), 0.5, 4 * h));
        return m;
    }

    /** SPEC §2.1's equations in plain doubles (the shared oracle). */
    private static double[] plainLstm(Map<String, HostTensor> p, int b, int len, int in, int h) {
        return SharedFixtures.lstmOracle(p.get("x").data(), p.get("weight_ih_l1").data(),
                p.get("weight_hh_l1").data(), p.get("bias_ih_l1").data(), p.get("bias_hh_l1").data(), b, len, in, h);
    }
}
