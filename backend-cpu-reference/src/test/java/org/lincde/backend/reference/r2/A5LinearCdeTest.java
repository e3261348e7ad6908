package org.lincde.backend.reference.r2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.lincde.spi.testing.SharedFixtures.std;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lincde.backend.reference.ReferenceBackend;
import org.lincde.spi.A5LinearCdeSpec;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LossSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.A5LinearCde;
import org.lincde.spi.model.FixedStepLinearCde;
import org.lincde.spi.model.Models;
import org.lincde.spi.testing.SharedFixtures;

/**
 * R2's {@code A5LinearCDE} (SPEC §1.4) on the float64 reference backend: shapes and names, the fixed-step
 * recurrence (3) against a hand-worked case and against the formula evaluated here in plain loops, the
 * initialisation scales, gradients against central finite differences, and dropout in training vs inference.
 */
class A5LinearCdeTest {
    private static final StructureRegistry NO_STRUCTURES = new StructureRegistry(List.of());
    private static Session session;

    @BeforeAll
    static void open() {
        session = new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(1));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    /** The layer's states for {@code x} of shape (B, L, d) and the given parameters. */
    private static HostTensor states(FixedStepLinearCde layer, ParameterSet params, HostTensor x) {
        Map<String, HostTensor> in = new LinkedHashMap<>(params.asMap());
        in.put("x", x);
        return session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> l) {
                return layer.forward(ops, l, l.get("x"));
            }
        }, in).value();
    }

    private static Batch tokens(Rng rng, int b, int len, int vocab, int labels) {
        return SharedFixtures.tokenBatch(rng, b, len, vocab, labels, (i, r) -> true); // R2 scores every position
    }

    @Test
    void parametersCarryR2NamesAndShapesAndTheModelEmitsPerTokenLogits() {
        A5LinearCdeSpec spec = new A5LinearCdeSpec(5, 4, 3, 0.1);
        A5LinearCde graph = new A5LinearCde(spec);
        assertThat(graph.parameters()).extracting(ParameterShape::name).containsExactly("embedding.weights",
                "LCDE.init_matrix", "LCDE.init_bias", "LCDE.vf_A", "LCDE.vf_B", "linear_mix.weight", "linear_mix.bias",
                "norm.weight", "norm.bias", "linear_out.weight", "linear_out.bias");
        assertThat(graph.parameters().get(3).shape()).containsExactly(3, 4, 3); // h × (d+1) × h with d = h
        assertThat(graph.parameters().get(4).shape()).containsExactly(3, 4);
        // 5·3 + (3·3 + 3 + 3·4·3 + 3·4) + (9 + 3) + 6 + (12 + 4)
        assertThat(graph.parameterCount()).isEqualTo(15 + 60 + 12 + 6 + 16);
        try (SequenceModel m = session.model(spec, Models.initialize(spec, NO_STRUCTURES, Rng.seeded(1)))) {
            HostTensor out = m.forward(tokens(Rng.seeded(2), 2, 3, 5, 4), ForwardMode.inference());
            assertThat(out.shape()).containsExactly(2, 3, 4);
        }
        assertThat(A5LinearCdeSpec.r2()).isEqualTo(new A5LinearCdeSpec(60, 60, 256, 0.1));
    }

    @Test
    void recurrenceMatchesAHandWorkedExample() {
        // h = 2, d = 1, L = 2, X = [1, 2]; t = [0, 1], so ω_1 = ξ_1 = [1, 2]
        FixedStepLinearCde layer = new FixedStepLinearCde(2, 1);
        ParameterSet p = new ParameterSet();
        p.put("init_matrix", HostTensor.of(new double[] {1, 2}, 2, 1));
        p.put("init_bias", HostTensor.of(new double[] {0.5, -1}, 2));
        // A_0 (time channel) = I, A_1 = [[0,1],[1,0]]; stored A[p, j, q]
        p.put("vf_A", HostTensor.of(new double[] {1, 0, 0, 1, 0, 1, 1, 0}, 2, 2, 2));
        p.put("vf_B", HostTensor.of(new double[] {1, 0, 0, -1}, 2, 2));
        HostTensor y = states(layer, p, HostTensor.of(new double[] {1, 2}, 1, 2, 1));
        // y_0 = M0·1 + m0 = [1.5, 1]
        // Σ_j ω^j A_j y_0 = 1·[1.5, 1] + 2·[1, 1.5] = [3.5, 4];  Bξ ξ_1 = [1, −2]
        // y_1 = y_0 + (1/2)·[4.5, 2] = [3.75, 2]
        assertThat(y.shape()).containsExactly(1, 2, 2);
        assertThat(y.data()).containsExactly(new double[] {1.5, 1, 3.75, 2}, within(1e-15));
    }

    @Test
    void recurrenceMatchesEquationThreeForRandomParameters() {
        int h = 2;
        int d = 3;
        int len = 3;
        int b = 2;
        FixedStepLinearCde layer = new FixedStepLinearCde(h, d);
        ParameterSet p = layer.initialize(Rng.seeded(7));
        double[] x = new double[b * len * d];
        Rng.seeded(8).fillNormal(x, 0, 1);
        HostTensor y = states(layer, p, HostTensor.of(x, b, len, d));
        double[] m0 = p.get("init_matrix").data();
        double[] c0 = p.get("init_bias").data();
        double[] a = p.get("vf_A").data();
        double[] bx = p.get("vf_B").data();
        int w = d + 1;
        for (int s = 0; s < b; s++) {
            double[] state = new double[h];
            for (int r = 0; r < h; r++) {
                state[r] = c0[r];
                for (int c = 0; c < d; c++) {
                    state[r] += m0[r * d + c] * x[(s * len) * d + c];
                }
            }
            for (int k = 0; k < len; k++) {
                if (k > 0) {
                    double[] omega = new double[w];
                    omega[0] = k / (double) (len - 1); // t_k = k/(L−1)
                    for (int c = 0; c < d; c++) {
                        omega[c + 1] = x[(s * len + k) * d + c]; // path value, not increment [QUIRK]
                    }
                    double[] next = new double[h];
                    for (int r = 0; r < h; r++) {
                        double f = 0;
                        for (int j = 0; j < w; j++) {
                            for (int q = 0; q < h; q++) {
                                f += omega[j] * a[(r * w + j) * h + q] * state[q];
                            }
                            f += bx[r * w + j] * omega[j];
                        }
                        next[r] = state[r] + f / len; // 1/L, not 1/(L−1) [QUIRK]
                    }
                    state = next;
                }
                for (int r = 0; r < h; r++) {
                    assertThat(y.data()[(s * len + k) * h + r]).as("sample %d step %d unit %d", s, k, r)
                            .isCloseTo(state[r], within(1e-13));
                }
            }
        }
    }

    @Test
    void initialisationScalesAreR2s() {
        int h = 64;
        ParameterSet p = new FixedStepLinearCde(h, h).initialize(Rng.seeded(3));
        assertThat(std(p.get("vf_A").data())).isCloseTo(1 / Math.sqrt(h), within(0.01 / Math.sqrt(h)));
        assertThat(std(p.get("init_matrix").data())).isCloseTo(1.0, within(0.03));
        assertThat(std(p.get("vf_B").data())).isCloseTo(1.0, within(0.03));
    }

    @Test
    void gradientsMatchCentralFiniteDifferences() {
        A5LinearCdeSpec spec = new A5LinearCdeSpec(5, 4, 3, 0.1);
        Objective r2Loss = new Objective(new LossSpec.CrossEntropy(1e-10), 0.0);
        try (SequenceModel m = session.model(spec, Models.initialize(spec, NO_STRUCTURES, Rng.seeded(11)))) {
            List<Batch> batches = List.of(tokens(Rng.seeded(12), 2, 4, 5, 4), tokens(Rng.seeded(13), 3, 2, 5, 4));
            ForwardMode mode = ForwardMode.training(Rng.seeded(14));
            StringBuilder worstAt = new StringBuilder();
            double worst = SharedFixtures.maxFiniteDifferenceError(m, batches, r2Loss, mode, Rng.seeded(15), 4, 1e-4,
                    worstAt);
            assertThat(worst).as("worst at " + worstAt).isLessThanOrEqualTo(1e-6);
            // the loss is R2's: mean over scored tokens of −log(softmax + 1e−10), one mean per batch, summed
            assertThat(m.lossAndGradients(batches, r2Loss, mode).loss()).isCloseTo(r2Reference(m, batches), within(1e-12));
        }
    }

    /**
     * R2's loss computed here from the model's training-mode logits (batch i's dropout masks come from
     * {@code stream("batch", i)} of the mode's stream): Σ_batches mean_tokens −log(softmax(z)_y + 1e−10).
     */
    private static double r2Reference(SequenceModel m, List<Batch> batches) {
        double total = 0;
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            double[] z = m.forward(b, ForwardMode.training(Rng.seeded(14).stream("batch", i))).data();
            int[] y = ((Batch.TokenTargets) b.targets()).labels();
            int k = z.length / y.length;
            double sum = 0;
            for (int t = 0; t < y.length; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, z[t * k + c]);
                }
                double norm = 0;
                for (int c = 0; c < k; c++) {
                    norm += Math.exp(z[t * k + c] - max);
                }
                sum -= Math.log(Math.exp(z[t * k + y[t]] - max) / norm + 1e-10);
            }
            total += sum / y.length;
        }
        return total;
    }

    @Test
    void dropoutActsOnlyInTrainingWithMasksFromTheGivenStream() {
        A5LinearCdeSpec spec = new A5LinearCdeSpec(5, 4, 6, 0.1);
        A5LinearCdeSpec noDropout = new A5LinearCdeSpec(5, 4, 6, 0.0);
        ParameterSet init = Models.initialize(spec, NO_STRUCTURES, Rng.seeded(21));
        Batch b = tokens(Rng.seeded(22), 2, 5, 5, 4);
        try (SequenceModel m = session.model(spec, init); SequenceModel plain = session.model(noDropout, init)) {
            double[] e1 = m.forward(b, ForwardMode.inference()).data();
            double[] e2 = m.forward(b, ForwardMode.inference()).data();
            double[] t1 = m.forward(b, ForwardMode.training(Rng.seeded(30))).data();
            double[] t2 = m.forward(b, ForwardMode.training(Rng.seeded(31))).data();
            assertThat(e2).containsExactly(e1);
            assertThat(t1).isNotEqualTo(e1);
            assertThat(t2).isNotEqualTo(t1);
            assertThat(m.forward(b, ForwardMode.training(Rng.seeded(30))).data()).containsExactly(t1);
            // with rate 0 a training pass is the inference pass
            assertThat(plain.forward(b, ForwardMode.training(Rng.seeded(30))).data()).containsExactly(e1);
        }
    }
}
