package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.lincde.spi.testing.SharedFixtures.sampleStd;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.LinearCdeLayer;
import org.lincde.spi.model.Models;

/** The authors' own tests (R1 {@code tests/test_models.py}, SPEC §6) ported, plus structure invariants. */
class R1TestCasesTest extends WithReferenceSession {
    @Test
    void linearCdeLayerOutputShape() {
        // LinearCDE(d=4, h=5) on 2×3×4 random input → 2×3×5 (R1 default structure: dense)
        StructuredVectorField f = REGISTRY.configure(StructureSpec.of("dense"), 5, 5);
        LinearCdeLayer layer = new LinearCdeLayer(f, 4, LinearCdeSpec.R1_DT, LinearCdeSpec.R1_TANH_CLIP);
        ParameterSet p = layer.initialize(Rng.seeded(1234), 1.0);
        HostTensor x = Fixtures.randn(Rng.seeded(1), 2, 3, 4);
        java.util.Map<String, HostTensor> in = new java.util.LinkedHashMap<>(p.asMap());
        in.put("x", x);
        HostTensor y = session.gradient(new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> l) {
                return layer.forward(ops, l, l.get("x"), ForwardMode.Evaluation.RECURRENT);
            }
        }, in).value();
        assertThat(y.shape()).containsExactly(2, 3, 5);
    }

    @Test
    void stackedModelOutputShape() {
        // StackedLCDE(2 blocks, dim 10, vocab 4, K 6) on 2×3 ids → 2×3×6
        LinearCdeSpec spec = LinearCdeSpec.r1(4, 6, 10, 2, StructureSpec.of("dense"));
        try (SequenceModel m = session.model(spec, Models.initialize(spec, REGISTRY, Rng.seeded(1234)))) {
            Batch b = Fixtures.tokenBatch(Rng.seeded(1), 2, 3, 4, 6);
            assertThat(m.forward(b, ForwardMode.inference()).shape()).containsExactly(2, 3, 6);
        }
    }

    @Test
    void dropoutIsOffInEvalAndDrawsFreshMasksInTraining() {
        LinearCdeSpec spec = LinearCdeSpec.r1(4, 6, 8, 2, StructureSpec.of("dense")).withDropout(0.1);
        try (SequenceModel m = session.model(spec, Models.initialize(spec, REGISTRY, Rng.seeded(1234)))) {
            Batch b = Fixtures.tokenBatch(Rng.seeded(2), 2, 3, 4, 6);
            double[] e1 = m.forward(b, ForwardMode.inference()).data();
            double[] e2 = m.forward(b, ForwardMode.inference()).data();
            double[] t1 = m.forward(b, ForwardMode.training(Rng.seeded(10))).data();
            double[] t2 = m.forward(b, ForwardMode.training(Rng.seeded(11))).data();
            assertThat(e2).containsExactly(e1);
            assertThat(t1).isNotEqualTo(e1);
            assertThat(t2).isNotEqualTo(t1);
            // and the same dropout stream gives the same training output (backends must agree on it)
            assertThat(m.forward(b, ForwardMode.training(Rng.seeded(10))).data()).containsExactly(t1);
        }
    }

    @Test
    void initStatisticsMatchR1() {
        // over 100 LinearCDE(d=20, h=40, init_std=0.5): mean sample std of W_0, b_0 ≈ 0.5 and of the
        // dense vector field ≈ 0.5/√40 (atol 0.01)
        double sw = 0;
        double sb = 0;
        double sv = 0;
        for (int i = 0; i < 100; i++) {
            StructuredVectorField f = REGISTRY.configure(StructureSpec.of("dense"), 40, 21);
            LinearCdeLayer layer = new LinearCdeLayer(f, 20, LinearCdeSpec.R1_DT, LinearCdeSpec.R1_TANH_CLIP);
            ParameterSet p = layer.initialize(Rng.seeded(1234).stream("instance", i), 0.5);
            sw += sampleStd(p.get("init_layer.weight").data());
            sb += sampleStd(p.get("init_layer.bias").data());
            sv += sampleStd(p.get("vf_A.weight").data());
        }
        assertThat(sw / 100).isCloseTo(0.5, within(0.01));
        assertThat(sb / 100).isCloseTo(0.5, within(0.01));
        assertThat(sv / 100).isCloseTo(0.5 / Math.sqrt(40), within(0.01));
    }

    @Test
    void sparsityMaskKeepsTheRequestedFraction() {
        assertThat(maskOnes("0")).isEqualTo(0.0);
        assertThat(maskOnes("1")).isEqualTo(1.0);
        assertThat(maskOnes("0.5")).isCloseTo(0.5, within(0.01));
    }

    private static double maskOnes(String p) {
        StructuredVectorField f = REGISTRY.configure(StructureSpec.of("sparse", "sparsity", p), 40, 21);
        double[] m = f.initialize(Rng.seeded(1234), 1.0).get("mask").data();
        double ones = 0;
        for (double v : m) {
            ones += v;
        }
        return ones / m.length;
    }

    @Test
    void blockDiagonalProductsStayBlockDiagonal() {
        int h = 8;
        int b = 2;
        StructuredVectorField f = REGISTRY.configure(StructureSpec.of("block-diagonal", "block_size", "2"), h, 3);
        ParameterSet p = f.initialize(Rng.seeded(3), 1.0);
        Rng rng = Rng.seeded(4);
        double[] prod = identity(h);
        for (int k = 0; k < 6; k++) {
            double[] u = new double[3];
            rng.fillNormal(u, 0, 1);
            double[] t = f.denseMatrix(p, u);
            for (int i = 0; i < h; i++) {
                t[i * h + i] += 1.0;  // T = I + A(u)
            }
            prod = mul(t, prod, h);
        }
        int nonzeroInBlocks = 0;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < h; c++) {
                if (r / b != c / b) {
                    assertThat(prod[r * h + c]).as("(%d,%d) off the diagonal blocks", r, c).isEqualTo(0.0);
                } else if (prod[r * h + c] != 0) {
                    nonzeroInBlocks++;
                }
            }
        }
        assertThat(nonzeroInBlocks).isEqualTo(h * b);
    }

    private static double[] identity(int h) {
        double[] m = new double[h * h];
        for (int i = 0; i < h; i++) {
            m[i * h + i] = 1;
        }
        return m;
    }

    private static double[] mul(double[] a, double[] b, int h) {
        double[] c = new double[h * h];
        for (int i = 0; i < h; i++) {
            for (int k = 0; k < h; k++) {
                for (int j = 0; j < h; j++) {
                    c[i * h + j] += a[i * h + k] * b[k * h + j];
                }
            }
        }
        return c;
    }

    @Test
    void parameterNamesFollowTheAuthorsStateDict() {
        LinearCdeSpec spec = LinearCdeSpec.r1(9, 9, 8, 2, StructureSpec.of("dplr", "rank", "2"));
        assertThat(Models.initialize(spec, REGISTRY, Rng.seeded(1)).names()).containsExactly(
                "embedding.weight",
                "blocks.0.LCDE.init_layer.weight", "blocks.0.LCDE.init_layer.bias",
                "blocks.0.LCDE.vf_A", "blocks.0.LCDE.vf_A_u", "blocks.0.LCDE.vf_A_v",
                "blocks.0.linear.weight", "blocks.0.linear.bias", "blocks.0.norm.weight", "blocks.0.norm.bias",
                "blocks.1.LCDE.init_layer.weight", "blocks.1.LCDE.init_layer.bias",
                "blocks.1.LCDE.vf_A", "blocks.1.LCDE.vf_A_u", "blocks.1.LCDE.vf_A_v",
                "blocks.1.linear.weight", "blocks.1.linear.bias", "blocks.1.norm.weight", "blocks.1.norm.bias",
                "linear.weight", "linear.bias");
        assertThat(Models.initialize(LinearCdeSpec.r1(9, 9, 8, 1, StructureSpec.of("sparse")), REGISTRY,
                Rng.seeded(1)).names()).contains("blocks.0.LCDE.vf_A.weight", "blocks.0.LCDE.mask");
        assertThat(Models.graph(spec, REGISTRY).parameters()).hasSize(21);
    }
}
