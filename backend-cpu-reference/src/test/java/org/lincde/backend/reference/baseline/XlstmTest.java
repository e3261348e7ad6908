package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.model.baseline.MlstmCell;
import org.lincde.spi.testing.SharedFixtures;

/**
 * mLSTM, sLSTM and xLSTM[1:1] on the float64 oracle (docs/models/xlstm.md): gradients against fourth-order central
 * differences in training mode (dropout masks fixed), the mLSTM's parallel form against its recurrence, the library
 * step's zero start against the state-free one, and the initial values the library's {@code reset_parameters} gives.
 */
class XlstmTest {

    /** Conformance-sized xLSTMs: width 8, inner widths rounded to 4 instead of 64 (the library's key). */
    static XlstmSpec small(List<Integer> slstmAt, int blocks, XlstmSpec.Form form, double dropout) {
        return new XlstmSpec(SequenceIo.tokens(BaselineFixtures.VOCAB, BaselineFixtures.LABELS), 8, blocks, slstmAt,
                16, dropout, new XlstmSpec.Mlstm(2, 3, 2, 2.0, 4, form), new XlstmSpec.Slstm(2, 3),
                new XlstmSpec.FeedForward(1.3, 4));
    }

    static List<BaselineFixtures.Case> cases() {
        return List.of(
                new BaselineFixtures.Case("mLSTM parallel", small(List.of(), 2, XlstmSpec.Form.PARALLEL, 0.1)),
                new BaselineFixtures.Case("mLSTM recurrent", small(List.of(), 2, XlstmSpec.Form.RECURRENT, 0.1)),
                new BaselineFixtures.Case("sLSTM", small(List.of(0, 1), 2, XlstmSpec.Form.PARALLEL, 0.1)),
                new BaselineFixtures.Case("xLSTM[1:1]", small(List.of(1), 2, XlstmSpec.Form.PARALLEL, 0.1)));
    }

    /** Initial parameters moved off their values (zero gate weights and recurrent kernel would hide terms). */
    static ParameterSet perturbed(XlstmSpec spec, long seed) {
        ParameterSet p = BaselineFixtures.init(spec, seed);
        Rng r = Rng.seeded(seed + 1);
        for (ParameterSet.Entry e : p.entries(ParameterSet.Entry::trainable)) {
            double[] v = e.tensor().data();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.3 * r.nextNormal();
            }
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(BaselineFixtures.Case c) {
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), perturbed((XlstmSpec) c.spec(), 3))) {
            Batch batch = BaselineFixtures.batch(c, Rng.seeded(21), 2, 5);
            StringBuilder where = new StringBuilder();
            double err = SharedFixtures.maxFiniteDifferenceError(m, List.of(batch), BaselineFixtures.crossEntropy(),
                    ForwardMode.training(Rng.seeded(5)), Rng.seeded(9), 3, 1e-5, where);
            assertThat(err).as(c.name() + " worst at " + where).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void theParallelFormEqualsTheRecurrenceInTheModel() {
        for (List<Integer> at : List.of(List.<Integer>of(), List.of(1))) {
            XlstmSpec par = small(at, 2, XlstmSpec.Form.PARALLEL, 0.1);
            ParameterSet p = perturbed(par, 4);
            Batch batch = BaselineFixtures.batch(new BaselineFixtures.Case("x", par), Rng.seeded(2), 3, 9);
            ForwardMode mode = ForwardMode.training(Rng.seeded(6));
            try (Session s = BaselineFixtures.session();
                 SequenceModel mp = s.model(par, p);
                 SequenceModel mr = s.model(par.withForm(XlstmSpec.Form.RECURRENT), p)) {
                double[] yp = mp.forward(batch, mode).data();
                double[] yr = mr.forward(batch, mode).data();
                assertThat(BaselineFixtures.maxAbsDiff(yp, yr)).as("logits, slstm_at " + at).isLessThan(1e-12);
                SequenceModel.LossReport gp = mp.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(), mode);
                SequenceModel.LossReport gr = mr.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(), mode);
                for (String name : gp.gradients().names()) {
                    assertThat(BaselineFixtures.maxAbsDiff(gp.gradients().get(name).data(),
                            gr.gradients().get(name).data())).as("grad " + name).isLessThan(1e-12);
                }
            }
        }
    }

    /**
     * The cell alone, with input gates large enough that {@code e^{m}·ε} counts: parallel and state-free recurrence
     * agree to rounding; the library's {@code recurrent_step_stabilized_simple} started from its zero state
     * ({@code m_0 = 0}) differs while {@code Σφ > max(ĩ + Σφ)}, by at most ε relative (docs/models/xlstm.md §3).
     */
    @Test
    void cellFormsAndTheLibraryStepStart() {
        int b = 2;
        int nh = 2;
        int len = 12;
        int dh = 3;
        Rng r = Rng.seeded(11);
        double[] igv = normal(r, b * nh * len, 4.0);
        igv[0] = 9.0; // one large gate early: m is large for a while (the ε term counts)
        igv[len] = -12.0; // a very small first gate: the zero start's m_0 = 0 dominates for a few steps
        java.util.Map<String, HostTensor> in = java.util.Map.of(
                "q", HostTensor.of(normal(r, b * nh * len * dh, 1.0), b, nh, len, dh),
                "k", HostTensor.of(normal(r, b * nh * len * dh, 1.0), b, nh, len, dh),
                "v", HostTensor.of(normal(r, b * nh * len * dh, 1.0), b, nh, len, dh),
                "ig", HostTensor.of(igv, b, nh, len),
                "fg", HostTensor.of(normal(r, b * nh * len, 2.0), b, nh, len));
        double[] par;
        double[] rec;
        double[] lib;
        try (Session s = BaselineFixtures.session()) {
            par = s.gradient(cell(0), in).value().data();
            rec = s.gradient(cell(1), in).value().data();
            lib = s.gradient(cell(2), in).value().data();
        }
        assertThat(BaselineFixtures.maxAbsDiff(par, rec)).isLessThan(1e-12);
        double maxRel = 0;
        for (int i = 0; i < par.length; i++) {
            maxRel = Math.max(maxRel, Math.abs(lib[i] - par[i]) / Math.max(Math.abs(par[i]), 1e-300));
        }
        assertThat(maxRel).as("the zero start changes only the ε term").isGreaterThan(1e-9).isLessThanOrEqualTo(1.01e-6);
    }

    @Test
    void aSequenceLongerThanTheContextLengthIsAnErrorNamingIt() {
        XlstmSpec spec = small(List.of(), 1, XlstmSpec.Form.PARALLEL, 0.0); // context_length 16
        Batch batch = BaselineFixtures.batch(new BaselineFixtures.Case("x", spec), Rng.seeded(2), 1, 17);
        try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(spec, BaselineFixtures.init(spec, 1))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.forward(batch, ForwardMode.inference()))
                    .hasMessageContaining("length 17").hasMessageContaining("context_length 16");
        }
        XlstmSpec slstm = small(List.of(0), 1, XlstmSpec.Form.PARALLEL, 0.0); // no mLSTM: no limit
        Batch b2 = BaselineFixtures.batch(new BaselineFixtures.Case("x", slstm), Rng.seeded(2), 1, 17);
        try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(slstm, BaselineFixtures.init(slstm, 1))) {
            assertThat(m.forward(b2, ForwardMode.inference()).shape()).containsExactly(1, 17, BaselineFixtures.LABELS);
        }
    }

    @Test
    void initialValuesAreTheLibrarys() {
        XlstmSpec spec = new XlstmSpec(SequenceIo.tokens(5, 4), 16, 3, List.of(1, 2), 16, 0.0, XlstmSpec.Mlstm.r1(),
                new XlstmSpec.Slstm(4, 4), XlstmSpec.FeedForward.r1());
        ParameterSet p = BaselineFixtures.init(spec, 1);
        // mLSTM block 0: inner ⌈2·16/64⌉·64 = 64, 4 heads; forget bias linspace(3, 6, 4), gate weights 0, skip 1
        assertThat(p.get("xlstm.blocks.0.xlstm.mlstm_cell.fgate.bias").data()).containsExactly(3, 4, 5, 6);
        assertThat(p.get("xlstm.blocks.0.xlstm.mlstm_cell.fgate.weight").shape()).containsExactly(4, 192);
        assertThat(p.get("xlstm.blocks.0.xlstm.mlstm_cell.igate.weight").data()).containsOnly(0.0);
        assertThat(p.get("xlstm.blocks.0.xlstm.learnable_skip").data()).containsOnly(1.0);
        assertThat(p.get("xlstm.blocks.0.xlstm.q_proj.weight").shape()).containsExactly(16, 4, 4);
        // sLSTM blocks 1 and 2 of 3: head_dim 4; forget bias 5 − 12·(j/3)^(0.3 + 1.3·idx/2), other gates 0
        // (hand values: (1/3)^0.95 = 0.3521558, (2/3)^0.95 = 0.6803201; (1/3)^1.6 = 0.1724273, (2/3)^1.6 = 0.5227018)
        double[] b1 = p.get("xlstm.blocks.1.xlstm.slstm_cell._bias_").data();
        double[] b2 = p.get("xlstm.blocks.2.xlstm.slstm_cell._bias_").data();
        for (int h = 0; h < 4; h++) {
            int f = (h * 4 + 1) * 4;
            assertThat(new double[] {b1[f], b1[f + 1], b1[f + 2], b1[f + 3]}).containsExactly(
                    new double[] {5.0, 5 - 12 * 0.3521558, 5 - 12 * 0.6803201, -7.0},
                    org.assertj.core.data.Offset.offset(1e-5));
            assertThat(new double[] {b2[f], b2[f + 1], b2[f + 2], b2[f + 3]}).containsExactly(
                    new double[] {5.0, 5 - 12 * 0.1724273, 5 - 12 * 0.5227018, -7.0},
                    org.assertj.core.data.Offset.offset(1e-5));
            for (int g : new int[] {0, 2, 3}) {
                for (int j = 0; j < 4; j++) {
                    assertThat(b1[(h * 4 + g) * 4 + j]).isZero();
                }
            }
        }
        assertThat(p.get("xlstm.blocks.1.xlstm.slstm_cell._recurrent_kernel_").data()).containsOnly(0.0);
        assertThat(p.get("xlstm.blocks.1.ffn.proj_up.weight").shape()).as("2·⌈1.3·16/64⌉·64").containsExactly(128, 16);
        assertThat(p.get("xlstm.post_blocks_norm.weight").data()).containsOnly(0.0);
        // small_init N(0, 2/(5·16)): std 0.158; wang_init N(0, (2/3/4)²): std 0.1667
        assertThat(std(p.get("xlstm.blocks.0.xlstm.proj_up.weight"))).isCloseTo(Math.sqrt(2.0 / 80),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(std(p.get("xlstm.blocks.0.xlstm.proj_down.weight"))).isCloseTo(2.0 / 3 / 4,
                org.assertj.core.data.Offset.offset(0.015));
    }

    /** The cell's parallel form (0), state-free recurrence (1) or library-step recurrence (2). */
    private static Session.OpsFunction cell(int form) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                return form == 0 ? MlstmCell.parallel(o, p.get("q"), p.get("k"), p.get("v"), p.get("ig"), p.get("fg"))
                        : MlstmCell.recurrent(o, p.get("q"), p.get("k"), p.get("v"), p.get("ig"), p.get("fg"), form == 2);
            }
        };
    }

    private static double std(HostTensor t) {
        double s = 0;
        for (double x : t.data()) {
            s += x * x;
        }
        return Math.sqrt(s / t.size());
    }

    private static double[] normal(Rng r, int n, double std) {
        double[] v = new double[n];
        r.fillNormal(v, 0, std);
        return v;
    }
}
