package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.baseline.LstmLayer;
import org.lincde.spi.model.baseline.TanhRnnLayer;
import org.lincde.spi.testing.SharedFixtures;

/**
 * The fused LSTM and tanh-RNN recurrence ({@code FusedRnn}, {@code TensorOps.fusedRnnCells}): one GEMM per step
 * in libtorch and the cell's pointwise work and hand-derived backward in Java. Against the layers' generic step
 * loops on the same backend (output and the gradients of the input and all four parameters, float64), against
 * SPEC §2.1's equations in plain doubles ({@link SharedFixtures#lstmOracle}) and a plain tanh recurrence, against
 * central finite differences, and R1's stacked model (whose first layer takes the token-id identity) against the
 * generic model. This module's tests run with {@code -Dlincde.djl.fusedLstm=always} (pom.xml), which gives the
 * LSTM libtorch's op instead: these tests set it to {@code never} so the LSTM reaches this kernel.
 */
class FusedRnnTest {
    private static final List<String> NAMES =
            List.of("x", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1");
    private static final List<String> RNN_NAMES =
            List.of("x", "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0");

    private String lstmOpBefore;

    @BeforeEach
    void libtorchLstmOff() {
        lstmOpBefore = System.getProperty("lincde.djl.fusedLstm");
        System.setProperty("lincde.djl.fusedLstm", "never");
    }

    @AfterEach
    void restore() {
        if (lstmOpBefore == null) {
            System.clearProperty("lincde.djl.fusedLstm");
        } else {
            System.setProperty("lincde.djl.fusedLstm", lstmOpBefore);
        }
        System.clearProperty("lincde.djl.rnnCells");
    }

    /** B = 40, h = 16 splits the rows over both threads (a row loop of 40·16·64 work is above one thread's share). */
    @ParameterizedTest(name = "B={0} L={1} in={2} h={3} threads={4}")
    @CsvSource({"3,7,5,4,1", "2,1,3,6,1", "1,12,8,3,1", "40,6,5,16,2"})
    void lstmEqualsTheGenericLoopAndThePlainEquations(int b, int len, int in, int h, int threads) {
        Map<String, HostTensor> inputs = lstmInputs(Rng.seeded(11 + len), b, len, in, h);
        double[] w = SharedFixtures.normal(Rng.seeded(5).stream("w"), 1.0, b, len, h).data();
        LstmLayer layer = new LstmLayer(in, h, 1);
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedRnnCells().isPresent());
                T out = layer.forward(ops, p, p.get("x"), ForwardMode.inference());
                return ops.mul(out, ops.constant(w, b, len, h));      // weighted: every gradient distinct
            }
        };
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true, threads);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(fn, inputs);
            assertThat(offered.get()).as("fused session offers the recurrence").isTrue();
            Session.GradientResult rg = generic.gradient(fn, inputs);
            assertThat(offered.get()).as("generic session declines").isFalse();
            DjlFixtures.assertAgree(rf, rg, NAMES, 1e-12, 1e-12);
            double[] expected = SharedFixtures.lstmOracle(inputs.get("x").data(), inputs.get("weight_ih_l1").data(),
                    inputs.get("weight_hh_l1").data(), inputs.get("bias_ih_l1").data(),
                    inputs.get("bias_hh_l1").data(), b, len, in, h);
            for (int i = 0; i < expected.length; i++) {
                expected[i] *= w[i];
            }
            assertThat(DjlFixtures.maxRelError(rf.value(), HostTensor.of(expected, b, len, h)))
                    .as("fused vs plain double LSTM").isLessThanOrEqualTo(1e-12);
        }
    }

    @ParameterizedTest(name = "B={0} L={1} h={2} threads={3}")
    @CsvSource({"3,7,4,1", "2,1,6,1", "64,5,32,2"})
    void tanhRnnEqualsTheGenericLoopAndThePlainRecurrence(int b, int len, int h, int threads) {
        Map<String, HostTensor> inputs = rnnInputs(Rng.seeded(21 + len), b, len, h);
        double[] w = SharedFixtures.normal(Rng.seeded(6).stream("w"), 1.0, b, len, h).data();
        TanhRnnLayer layer = new TanhRnnLayer(h);
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.mul(layer.forward(ops, p, p.get("x"), ForwardMode.inference()), ops.constant(w, b, len, h));
            }
        };
        System.setProperty("lincde.djl.rnnCells", "all");     // the tanh RNN's kernel is opt-in
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction probe = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedRnnCells().map(k -> k.offersTanhRnn()).orElse(false));
                return fn.apply(ops, p);
            }
        };
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true, threads);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            Session.GradientResult rf = fused.gradient(probe, inputs);
            assertThat(offered.get()).as("fused session offers the RNN kernel with rnnCells=all").isTrue();
            DjlFixtures.assertAgree(rf, generic.gradient(fn, inputs), RNN_NAMES, 1e-12, 1e-12);
            double[] expected = plainTanhRnn(inputs, b, len, h);
            for (int i = 0; i < expected.length; i++) {
                expected[i] *= w[i];
            }
            assertThat(DjlFixtures.maxRelError(rf.value(), HostTensor.of(expected, b, len, h)))
                    .as("fused vs plain double RNN").isLessThanOrEqualTo(1e-12);
        }
    }

    /** The hand-derived backward against central differences of the fused forward (float64). */
    @Test
    void gradientsMatchFiniteDifferences() {
        int b = 2;
        int len = 5;
        int in = 3;
        int h = 4;
        Map<String, HostTensor> inputs = lstmInputs(Rng.seeded(8), b, len, in, h);
        double[] w = SharedFixtures.normal(Rng.seeded(9).stream("w"), 1.0, b, len, h).data();
        LstmLayer layer = new LstmLayer(in, h, 1);
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.sumAll(ops.mul(layer.forward(ops, p, p.get("x"), ForwardMode.inference()),
                        ops.constant(w, b, len, h)));
            }
        };
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true)) {
            Session.GradientResult r = fused.gradient(fn, inputs);
            double eps = 1e-6;
            for (String name : List.of("x", "weight_hh_l1", "weight_ih_l1", "bias_hh_l1")) {
                HostTensor t = inputs.get(name);
                for (int k = 0; k < t.size(); k += 3) {
                    double[] plus = t.data().clone();
                    double[] minus = t.data().clone();
                    plus[k] += eps;
                    minus[k] -= eps;
                    double fp = value(fused, fn, inputs, name, HostTensor.of(plus, t.shape()));
                    double fm = value(fused, fn, inputs, name, HostTensor.of(minus, t.shape()));
                    double numeric = (fp - fm) / (2 * eps);
                    assertThat(r.gradients().get(name).data()[k]).as("d/d%s[%d]", name, k)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-7 * Math.max(1, Math.abs(numeric))));
                }
            }
        }
    }

    /**
     * R1's stacked LSTM with a fused session (first layer from the embedding table's product, both layers in the
     * fused recurrence) against the generic model, float64 and float32: inference forward, loss and every
     * parameter's gradient; and the same numbers twice (deterministic, two threads).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT64,1e-12,1e-11", "FLOAT32,1e-5,1e-4"})
    void stackedModelFollowsTheGenericModel(DType dtype, double tol, double gradTol) {
        LstmSpec spec = new LstmSpec(SequenceIo.tokens(5, 4), 16, 2, 0.1);
        ParameterSet p0 = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(9));
        Batch batch = DjlFixtures.tokenBatch(Rng.seeded(10), 48, 8, 5, 4);
        try (Session fused = DjlFixtures.session(dtype, true, 2);
             Session generic = DjlFixtures.session(DType.FLOAT64, false);
             SequenceModel f = fused.model(spec, p0);
             SequenceModel g = generic.model(spec, p0)) {
            assertThat(DjlFixtures.maxRelError(f.forward(batch, ForwardMode.inference()),
                    g.forward(batch, ForwardMode.inference()))).as("inference").isLessThanOrEqualTo(tol);
            Objective ce = Objective.maskedCrossEntropy(0.0);
            SequenceModel.LossReport rf = f.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            SequenceModel.LossReport rg = g.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            assertThat(Math.abs(rf.loss() - rg.loss())).as("loss").isLessThanOrEqualTo(tol);
            assertThat(rf.gradients().names()).isEqualTo(rg.gradients().names());
            for (String name : rg.gradients().names()) {
                assertThat(DjlFixtures.maxRelError(rf.gradients().get(name), rg.gradients().get(name)))
                        .as("d/d%s", name).isLessThanOrEqualTo(gradTol);
            }
            SequenceModel.LossReport again = f.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            assertThat(again.loss()).as("deterministic loss").isEqualTo(rf.loss());
            for (String name : rf.gradients().names()) {
                assertThat(again.gradients().get(name).data()).as("deterministic d/d%s", name)
                        .isEqualTo(rf.gradients().get(name).data());
            }
        }
    }

    /**
     * {@code -Dlincde.djl.rnnCells}: {@code auto} offers the LSTM's kernel on the CPU, {@code all} the tanh RNN's
     * too, {@code never} neither; a bad value is named.
     */
    @Test
    void thePropertyChoosesWhereTheKernelIsOffered() {
        AtomicReference<Boolean> offered = new AtomicReference<>();
        Session.OpsFunction probe = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                offered.set(ops.fusedRnnCells().isPresent());
                return p.get("x");
            }
        };
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(new double[] {1, 2}, 2));
        AtomicReference<Boolean> tanh = new AtomicReference<>();
        Session.OpsFunction probeTanh = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                tanh.set(ops.fusedRnnCells().map(k -> k.offersTanhRnn()).orElse(false));
                return p.get("x");
            }
        };
        try (Session cpu = DjlFixtures.session(DType.FLOAT64, true)) {
            cpu.gradient(probe, in);
            assertThat(offered.get()).as("default (auto) on the CPU").isTrue();
            cpu.gradient(probeTanh, in);
            assertThat(tanh.get()).as("auto: the LSTM only").isFalse();
            System.setProperty("lincde.djl.rnnCells", "all");
            cpu.gradient(probeTanh, in);
            assertThat(tanh.get()).as("all: the tanh RNN too").isTrue();
            System.setProperty("lincde.djl.rnnCells", "never");
            cpu.gradient(probe, in);
            assertThat(offered.get()).as("never").isFalse();
            System.setProperty("lincde.djl.rnnCells", "yes");
            assertThatThrownBy(() -> cpu.gradient(probe, in)).hasMessageContaining("-Dlincde.djl.rnnCells=yes")
                    .hasMessageContaining("auto (the LSTM, CPU only), all (the LSTM and the tanh RNN, CPU only) or never");
        }
    }

    @Test
    void mismatchedShapesAreNamed() {
        Map<String, HostTensor> inputs = Map.of("a", SharedFixtures.normal(Rng.seeded(2), 1.0, 2, 3, 12),
                "b", SharedFixtures.normal(Rng.seeded(4), 1.0, 16),
                "u", SharedFixtures.normal(Rng.seeded(3), 1.0, 16, 4));
        Session.OpsFunction fn = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.fusedRnnCells().orElseThrow().lstm(p.get("a"), p.get("b"), p.get("u"));
            }
        };
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true)) {
            assertThatThrownBy(() -> fused.gradient(fn, inputs)).hasMessageContaining("input products [2, 3, 12]")
                    .hasMessageContaining("weight_hh [16, 4]");
        }
    }

    private static double value(Session s, Session.OpsFunction fn, Map<String, HostTensor> inputs, String name,
                                HostTensor replaced) {
        Map<String, HostTensor> m = new LinkedHashMap<>(inputs);
        m.put(name, replaced);
        return s.gradient(fn, m).value().data()[0];
    }

    private static Map<String, HostTensor> lstmInputs(Rng rng, int b, int len, int in, int h) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("x", SharedFixtures.normal(rng.stream("x"), 1.0, b, len, in));
        m.put("weight_ih_l1", SharedFixtures.normal(rng.stream("wi"), 0.6, 4 * h, in));
        m.put("weight_hh_l1", SharedFixtures.normal(rng.stream("wh"), 0.6, 4 * h, h));
        m.put("bias_ih_l1", SharedFixtures.normal(rng.stream("bi"), 0.5, 4 * h));
        m.put("bias_hh_l1", SharedFixtures.normal(rng.stream("bh"), 0.5, 4 * h));
        return m;
    }

    private static Map<String, HostTensor> rnnInputs(Rng rng, int b, int len, int h) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("x", SharedFixtures.normal(rng.stream("x"), 1.0, b, len, h));
        m.put("weight_ih_l0", SharedFixtures.normal(rng.stream("wi"), 0.6, h, h));
        m.put("weight_hh_l0", SharedFixtures.normal(rng.stream("wh"), 0.6, h, h));
        m.put("bias_ih_l0", SharedFixtures.normal(rng.stream("bi"), 0.5, h));
        m.put("bias_hh_l0", SharedFixtures.normal(rng.stream("bh"), 0.5, h));
        return m;
    }

    /** {@code h_t = tanh(W x_t + b + U h_{t−1} + c)} (SPEC §2.8) in plain doubles. */
    private static double[] plainTanhRnn(Map<String, HostTensor> p, int b, int len, int h) {
        double[] x = p.get("x").data();
        double[] wi = p.get("weight_ih_l0").data();
        double[] wh = p.get("weight_hh_l0").data();
        double[] bi = p.get("bias_ih_l0").data();
        double[] bh = p.get("bias_hh_l0").data();
        double[] out = new double[b * len * h];
        for (int r = 0; r < b; r++) {
            double[] prev = new double[h];
            for (int t = 0; t < len; t++) {
                double[] cur = new double[h];
                for (int j = 0; j < h; j++) {
                    double s = bi[j] + bh[j];
                    for (int k = 0; k < h; k++) {
                        s += wi[j * h + k] * x[(r * len + t) * h + k] + wh[j * h + k] * prev[k];
                    }
                    cur[j] = Math.tanh(s);
                }
                System.arraycopy(cur, 0, out, (r * len + t) * h, h);
                prev = cur;
            }
        }
        return out;
    }
}
