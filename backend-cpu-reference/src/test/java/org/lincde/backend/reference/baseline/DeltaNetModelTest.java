package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DeltaNetSpec.Variant;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.baseline.Bfloat16;
import org.lincde.spi.model.baseline.DeltaNetLayer;

/**
 * The four delta-rule baselines (docs/models/deltanet.md) on the float64 oracle: each layer against a plain-Java
 * re-implementation of fla's layer (projections, short convolutions, l2norm, β, gate, the delta recurrence with
 * DeltaProduct's Householder steps, RMSNorm and output gate); recurrent and chunked forms of the whole model equal,
 * forward and backward; every gradient against central finite differences; parameter names and counts of R1's
 * defaults; the bf16 emulation; and the errors for bad sizes.
 */
class DeltaNetModelTest {

    record Case(String name, DeltaNetSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    static SequenceIo tok() {
        return SequenceIo.tokens(BaselineFixtures.VOCAB, BaselineFixtures.LABELS);
    }

    /** Small specs of every variant: 2 heads, d_k 3, d_v 4, width 6; chunk 2 so short sequences span chunks. */
    static List<Case> cases() {
        DeltaNetSpec.Form f = DeltaNetSpec.Form.RECURRENT;
        return List.of(
                new Case("deltanet", new DeltaNetSpec(tok(), Variant.DELTANET, 6, 2, 2, 3, 3, 4, 1, false, false, 0.1,
                        f, 2, false)),
                new Case("deltanet2-glu", new DeltaNetSpec(tok(), Variant.DELTANET_NEG, 6, 1, 2, 3, 3, 4, 1, false, true,
                        0.1, f, 2, false)),
                new Case("gateddeltanet", new DeltaNetSpec(tok(), Variant.GATED_DELTANET, 6, 2, 2, 3, 4, 4, 1, true,
                        false, 0.1, f, 2, false)),
                new Case("deltaproduct-r2", new DeltaNetSpec(tok(), Variant.GATED_DELTAPRODUCT, 6, 1, 2, 3, 4, 3, 2, true,
                        false, 0.1, f, 2, false)),
                new Case("deltaproduct-r3-ungated", new DeltaNetSpec(tok(), Variant.GATED_DELTAPRODUCT, 6, 1, 2, 3, 4, 2,
                        3, false, true, 0.1, f, 4, false)));
    }

    private static Batch batch(Rng rng, int b, int len) {
        return BaselineFixtures.batch(new BaselineFixtures.Case("tok", org.lincde.spi.LstmSpec.r1(
                BaselineFixtures.VOCAB, BaselineFixtures.LABELS, 4, 1)), rng, b, len);
    }

    private static ParameterSet init(DeltaNetSpec spec, long seed) {
        return Models.initialize(spec, BaselineFixtures.STRUCTURES, Rng.seeded(seed));
    }

    // ------------------------------------------------------------------ the layer against plain Java

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void layerMatchesAPlainJavaReimplementation(Case c) {
        DeltaNetSpec spec = c.spec();
        int b = 2;
        int len = 5;
        ParameterSet all = init(spec, 11);
        // larger-than-init values so the convolution, gate and β all matter
        ParameterSet p = new ParameterSet();
        Rng jitter = Rng.seeded(12);
        for (ParameterSet.Entry e : all.entries()) {
            if (e.name().startsWith("blocks.0.layer.")) {
                double[] v = e.tensor().data().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] += 0.3 * jitter.nextNormal();
                }
                p.put(e.name().substring("blocks.0.layer.".length()), HostTensor.of(v, e.tensor().shape()));
            }
        }
        double[] x = new double[b * len * spec.modelDim()];
        Rng.seeded(13).fillNormal(x, 0, 1);
        Map<String, HostTensor> in = new LinkedHashMap<>(p.asMap());
        in.put("x", HostTensor.of(x, b, len, spec.modelDim()));
        double[] expected = PlainDeltaNet.layer(spec, p, x, b, len);
        try (Session s = BaselineFixtures.session()) {
            for (DeltaNetSpec.Form form : DeltaNetSpec.Form.values()) {
                DeltaNetLayer layer = new DeltaNetLayer(spec.withForm(form));
                double[] got = s.gradient(new Session.OpsFunction() {
                    @Override
                    public <T> T apply(TensorOps<T> ops, ParameterLookup<T> l) {
                        return layer.forward(ops, l, l.get("x"), ForwardMode.inference());
                    }
                }, in).value().data();
                assertThat(BaselineFixtures.maxAbsDiff(got, expected)).as(c.name() + " " + form)
                        .isLessThanOrEqualTo(1e-12);
            }
        }
    }

    /** A batch in groups of rows (the layer's bound on its tensors' size) gives the same outputs and gradients. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rowGroupsGiveTheSameOutputsAndGradients(Case c) {
        DeltaNetSpec spec = c.spec().withForm(DeltaNetSpec.Form.CHUNKED);
        int b = 4;
        int len = 5;
        long perRow = (long) len * spec.numHouseholder() * spec.valueDim();
        ParameterSet all = init(spec, 21);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        for (ParameterSet.Entry e : all.entries()) {
            if (e.name().startsWith("blocks.0.layer.")) {
                in.put(e.name().substring("blocks.0.layer.".length()), e.tensor());
            }
        }
        double[] x = new double[b * len * spec.modelDim()];
        Rng.seeded(22).fillNormal(x, 0, 1);
        double[] w = new double[x.length];
        Rng.seeded(23).fillNormal(w, 0, 1);
        in.put("x", HostTensor.of(x, b, len, spec.modelDim()));
        in.put("w", HostTensor.of(w, b, len, spec.modelDim()));
        DeltaNetLayer layer = new DeltaNetLayer(spec);
        try (Session s = BaselineFixtures.session()) {
            Session.GradientResult whole = null;
            for (long limit : new long[] {Long.MAX_VALUE, 2 * perRow, 1}) { // 1 group, 2 groups of 2 rows, 4 of 1
                Session.GradientResult r = s.gradient(new Session.OpsFunction() {
                    @Override
                    public <T> T apply(TensorOps<T> ops, ParameterLookup<T> l) {
                        return ops.mul(layer.forward(ops, l, l.get("x"), ForwardMode.inference(), limit), l.get("w"));
                    }
                }, in);
                if (whole == null) {
                    whole = r;
                    continue;
                }
                assertThat(BaselineFixtures.maxAbsDiff(r.value().data(), whole.value().data()))
                        .as(c.name() + " limit " + limit).isLessThanOrEqualTo(1e-13);
                for (String name : in.keySet()) {
                    assertThat(BaselineFixtures.maxAbsDiff(r.gradients().get(name).data(),
                            whole.gradients().get(name).data())).as(c.name() + " limit " + limit + " d/d" + name)
                            .isLessThanOrEqualTo(1e-12);
                }
            }
        }
        assertThat(DeltaNetLayer.rowGroups(256, 40 * 3072, DeltaNetLayer.ROW_GROUP_ELEMENTS)).isEqualTo(8);
        assertThat(DeltaNetLayer.rowGroups(256, 40 * 128, DeltaNetLayer.ROW_GROUP_ELEMENTS)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ whole models

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recurrentAndChunkedModelsAgreeForwardAndBackward(Case c) {
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), init(c.spec(), 4))) {
            for (int len : new int[] {1, 2, 5, 9}) {
                Batch batch = batch(Rng.seeded(40 + len), 2, len);
                ForwardMode rec = ForwardMode.training(Rng.seeded(3));
                ForwardMode chunked = rec.with(ForwardMode.Evaluation.SCAN);
                double[] a = m.forward(batch, rec).data();
                double[] bb = m.forward(batch, chunked).data();
                assertThat(BaselineFixtures.maxAbsDiff(a, bb)).as(c.name() + " L=" + len).isLessThanOrEqualTo(1e-12);
                SequenceModel.LossReport ga = m.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(), rec);
                SequenceModel.LossReport gb = m.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(), chunked);
                assertThat(Math.abs(ga.loss() - gb.loss())).isLessThanOrEqualTo(1e-12);
                for (ParameterSet.Entry e : ga.gradients().entries()) {
                    assertThat(BaselineFixtures.maxAbsDiff(e.tensor().data(), gb.gradients().get(e.name()).data()))
                            .as(c.name() + " L=" + len + " d/d" + e.name()).isLessThanOrEqualTo(1e-11);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(Case c) {
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), init(c.spec(), 3))) {
            BaselineFixtures.assertGradientsMatchFiniteDifferences(m, batch(Rng.seeded(21), 2, 5), c.name());
        }
    }

    // ------------------------------------------------------------------ R1's defaults

    @Test
    void r1DefaultsHaveTheLibrarysShapesAndCounts() {
        int h = 128;
        DeltaNetSpec dn = DeltaNetSpec.r1(Variant.DELTANET, 2, 2, h, 2, 0.01, false, 0, true, false);
        assertThat(dn.numHeads()).isEqualTo(4);
        assertThat(dn.headKDim()).isEqualTo(32);
        Map<String, int[]> shapes = shapes(dn);
        assertThat(shapes.get("blocks.0.layer.q_proj.weight")).containsExactly(128, 128);
        assertThat(shapes.get("blocks.0.layer.b_proj.weight")).containsExactly(4, 128);
        assertThat(shapes.get("blocks.0.layer.v_conv1d.weight")).containsExactly(128, 1, 4);
        assertThat(shapes.get("blocks.0.layer.o_norm.weight")).containsExactly(32);
        // per layer: q,k,v,o 4·h², β h·4, three convolutions 3·h·4, RMSNorm 32; block LayerNorm 2h
        long perBlock = 4L * h * h + 4 * h + 3 * h * 4 + 32 + 2 * h;
        assertThat(count(dn)).isEqualTo(2 * h + 2 * perBlock + (h * 2 + 2));

        DeltaNetSpec gdn = DeltaNetSpec.r1(Variant.GATED_DELTANET, 2, 2, h, 1, 0.01, false, 0, true, false);
        Map<String, int[]> g = shapes(gdn);
        assertThat(g.get("blocks.0.layer.q_proj.weight")).containsExactly(1536, 128);
        assertThat(g.get("blocks.0.layer.v_proj.weight")).containsExactly(3072, 128);
        assertThat(g.get("blocks.0.layer.g_proj.weight")).containsExactly(3072, 128);
        assertThat(g.get("blocks.0.layer.o_proj.weight")).containsExactly(128, 3072);
        assertThat(g.get("blocks.0.layer.A_log")).containsExactly(6);
        assertThat(g.get("blocks.0.layer.o_norm.weight")).containsExactly(512);

        DeltaNetSpec dp = DeltaNetSpec.r1(Variant.GATED_DELTAPRODUCT, 2, 2, h, 1, 0.01, false, 2, true, false);
        Map<String, int[]> d = shapes(dp);
        assertThat(d).containsKeys("blocks.0.layer.k_projs.1.weight", "blocks.0.layer.v_conv1ds.1.weight",
                "blocks.0.layer.b_projs.0.weight", "blocks.0.layer.a_proj.weight", "blocks.0.layer.dt_bias");
        assertThat(d).doesNotContainKey("blocks.0.layer.k_proj.weight");
        DeltaNetSpec dpUngated = DeltaNetSpec.r1(Variant.GATED_DELTAPRODUCT, 2, 2, h, 1, 0.01, false, 2, false, false);
        assertThat(shapes(dpUngated)).doesNotContainKeys("blocks.0.layer.a_proj.weight", "blocks.0.layer.A_log");
    }

    @Test
    void initialisationFollowsEachLayersOwnRule() {
        int h = 64;
        // fla DeltaNet keeps PyTorch's nn.Linear default U(±1/√h); the fork re-initialises Xavier with gain 2^-2.5
        double torchBound = 1 / Math.sqrt(h);
        double xavier = Math.pow(2, -2.5) * Math.sqrt(6.0 / (h + h));
        ParameterSet a = init(DeltaNetSpec.r1(Variant.DELTANET, 2, 2, h, 1, 0.0, false, 0, true, false), 1);
        ParameterSet b = init(DeltaNetSpec.r1(Variant.DELTANET_NEG, 2, 2, h, 1, 0.0, false, 0, true, false), 1);
        assertThat(maxAbs(a.get("blocks.0.layer.q_proj.weight"))).isBetween(0.95 * torchBound, torchBound);
        assertThat(maxAbs(b.get("blocks.0.layer.q_proj.weight"))).isBetween(0.95 * xavier, xavier);
        // convolutions are nn.Conv1d default in both: U(±1/√4)
        assertThat(maxAbs(b.get("blocks.0.layer.k_conv1d.weight"))).isBetween(0.45, 0.5);
        ParameterSet g = init(DeltaNetSpec.r1(Variant.GATED_DELTANET, 2, 2, h, 1, 0.0, false, 0, true, false), 1);
        for (double v : g.get("blocks.0.layer.A_log").data()) {
            assertThat(v).isLessThan(Math.log(16));
        }
        for (double v : g.get("blocks.0.layer.dt_bias").data()) {
            double dt = Math.log1p(Math.exp(v)); // softplus(dt_bias) = dt ∈ [1e-3, 1e-1]
            assertThat(dt).isBetween(1e-3 - 1e-12, 1e-1 + 1e-12);
        }
    }

    @Test
    void badSizesNameTheKey() {
        assertThatThrownBy(() -> DeltaNetSpec.r1(Variant.DELTANET, 2, 2, 130, 1, 0.0, false, 0, true, false))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("model_dim").hasMessageContaining("130");
        assertThatThrownBy(() -> DeltaNetSpec.r1(Variant.GATED_DELTAPRODUCT, 2, 2, 128, 1, 0.0, false, 0, true, false))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("rank");
    }

    // ------------------------------------------------------------------ bf16 emulation

    @Test
    void bfloat16RoundsToNearestEven() {
        assertThat(Bfloat16.round(1.0)).isEqualTo(1.0);
        assertThat(Bfloat16.round(1.0 + Math.pow(2, -8))).isEqualTo(1.0);                        // tie → even
        assertThat(Bfloat16.round(1.0 + 3 * Math.pow(2, -8))).isEqualTo(1.0 + Math.pow(2, -6));  // tie → even (up)
        assertThat(Bfloat16.round(1.0 + 1.5 * Math.pow(2, -8))).isEqualTo(1.0 + Math.pow(2, -7));
        assertThat(Bfloat16.round(-3.14159)).isEqualTo(-3.140625);
    }

    @Test
    void bf16EmulationChangesTheLayerOnlyByRounding() {
        DeltaNetSpec f32 = cases().get(2).spec().withForm(DeltaNetSpec.Form.CHUNKED);
        DeltaNetSpec bf = new DeltaNetSpec(f32.io(), f32.variant(), f32.modelDim(), f32.numBlocks(), f32.numHeads(),
                f32.headKDim(), f32.headVDim(), f32.convSize(), f32.numHouseholder(), f32.forgetGate(), f32.useGlu(),
                f32.dropoutRate(), f32.form(), f32.chunkSize(), true);
        ParameterSet p = init(f32, 8);
        Batch batch = batch(Rng.seeded(2), 2, 6);
        try (Session s = BaselineFixtures.session();
             SequenceModel a = s.model(f32, p);
             SequenceModel b = s.model(bf, p)) {
            double[] x = a.forward(batch, ForwardMode.inference()).data();
            double[] y = b.forward(batch, ForwardMode.inference()).data();
            double diff = BaselineFixtures.maxAbsDiff(x, y);
            assertThat(diff).isGreaterThan(1e-6).isLessThan(0.1);
            // the layer's output is a bf16 number (o_proj runs in bf16 before the block's .float())
            double[] x0 = new double[2 * 6 * f32.modelDim()];
            Rng.seeded(3).fillNormal(x0, 0, 1);
            Map<String, HostTensor> in = new LinkedHashMap<>();
            p.entries().stream().filter(e -> e.name().startsWith("blocks.0.layer."))
                    .forEach(e -> in.put(e.name().substring("blocks.0.layer.".length()), e.tensor()));
            in.put("x", HostTensor.of(x0, 2, 6, f32.modelDim()));
            DeltaNetLayer layer = new DeltaNetLayer(bf);
            double[] out = s.gradient(new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> l) {
                    return layer.forward(ops, l, l.get("x"), ForwardMode.inference());
                }
            }, in).value().data();
            for (double v : out) {
                assertThat(Bfloat16.round(v)).isEqualTo(v);
            }
        }
    }

    private static Map<String, int[]> shapes(DeltaNetSpec spec) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (ParameterShape s : Models.graph(spec, BaselineFixtures.STRUCTURES).parameters()) {
            m.put(s.name(), s.shape());
        }
        return m;
    }

    private static long count(DeltaNetSpec spec) {
        long n = 0;
        for (ParameterShape s : Models.graph(spec, BaselineFixtures.STRUCTURES).parameters()) {
            long k = 1;
            for (int d : s.shape()) {
                k *= d;
            }
            n += k;
        }
        return n;
    }

    private static double maxAbs(HostTensor t) {
        double m = 0;
        for (double v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
