package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lincde.spi.testing.SharedFixtures.std;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.signature.LogSignature;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.LossSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.model.LogLinearCde;
import org.lincde.spi.testing.WithReferenceOracle;

/**
 * R3's log-linear CDE (SPEC §1.5) on the float64 reference backend: the flows against eq. (4) built by
 * hand from each structure's independent dense {@code A(u)}, the bracket sign against the exact solution,
 * chunked scan against the recurrence, gradients against central differences, the R3 regulariser.
 */
class LogLinearCdeTest extends WithReferenceOracle {
    private static final StructureRegistry STRUCTURES = StructureRegistry.discover();

    /** Every built-in structure in an R3-compatible configuration, at h = 4. */
    static final List<StructureSpec> STRUCTURE_SPECS = List.of(
            StructureSpec.of("dense"),
            StructureSpec.of("diagonal"),
            StructureSpec.of("block-diagonal", "block_size", "2"),
            StructureSpec.of("sparse", "sparsity", "0.5"),
            StructureSpec.of("walsh-hadamard", "parameter_tanh", "false"),
            StructureSpec.of("dplr", "rank", "2", "form", "linear"),
            StructureSpec.of("diagonal-dense", "block_size", "2"));

    /** SPEC §6 (d): on the path (0,0)→(1,0)→(1,1) the log-signature is (1, 1, ½), the flow I + ΔᵀA + ½[A₂, A₁]. */
    @Test
    void depthTwoFlowOnATwoSegmentPathEqualsTheHandBuiltFormulaForEveryStructure() {
        double[] logsig = LogSignature.of(new double[][] {{0, 0}, {1, 0}, {1, 1}}, 2);
        assertThat(logsig).containsExactly(1.0, 1.0, 0.5);
        for (StructureSpec s : STRUCTURE_SPECS) {
            LogLinearCdeSpec spec = new LogLinearCdeSpec(2, 3, 4, s, 2, 0.7, 128, true);
            LogLinearCde graph = new LogLinearCde(spec, STRUCTURES);
            ParameterSet p = graph.initialize(Rng.seeded(11).stream(s.id()));
            // interval 0 is discarded; interval 1 carries the path's log-signature
            Batch batch = batch(1, 2, 3, new double[] {9, -9, 4, logsig[0], logsig[1], logsig[2]}, new double[] {0.3, -0.2});
            double[] expected = handBuiltFlow(graph.field(), p, logsig);
            double[] actual = dense(ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
                @Override
                public <T> T build(org.lincde.spi.TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> in) {
                    return graph.flows(ops, in, batch);
                }
            }), 4);
            assertThat(maxAbs(expected, actual)).as(s.toString()).isLessThan(1e-13);
        }
    }

    /**
     * The sign of the brackets: exp(T − I) must match the exact flow exp(A(εδ₂))·exp(A(εδ₁)) to third order
     * in ε (the error falls ≈ 8× per halving), which the opposite sign breaks (second order, ≈ 4×).
     */
    @Test
    void bracketSignMakesTheLogOdeFlowThirdOrderAccurate() {
        LogLinearCdeSpec spec = new LogLinearCdeSpec(2, 2, 4, StructureSpec.of("dense"), 2, 1.0, 128, true);
        LogLinearCde graph = new LogLinearCde(spec, STRUCTURES);
        ParameterSet p = graph.initialize(Rng.seeded(3));
        double[] d1 = {0.8, -0.3};
        double[] d2 = {0.2, 0.9};
        double[] errors = new double[3];
        for (int i = 0; i < 3; i++) {
            double eps = 0.2 / (1 << i);
            double[] logsig = LogSignature.of(new double[][] {{0, 0}, {eps * d1[0], eps * d1[1]},
                {eps * (d1[0] + d2[0]), eps * (d1[1] + d2[1])}}, 2);
            Batch batch = batch(1, 2, 3, new double[] {0, 0, 0, logsig[0], logsig[1], logsig[2]}, new double[] {0, 0});
            double[] t = dense(ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
                @Override
                public <T> T build(org.lincde.spi.TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> in) {
                    return graph.flows(ops, in, batch);
                }
            }), 4);
            for (int r = 0; r < 4; r++) {
                t[r * 4 + r] -= 1.0;
            }
            double[] exact = Matrices.multiply(
                    Matrices.expm(graph.field().denseMatrix(p, new double[] {eps * d2[0], eps * d2[1]}), 4),
                    Matrices.expm(graph.field().denseMatrix(p, new double[] {eps * d1[0], eps * d1[1]}), 4), 4);
            errors[i] = maxAbs(Matrices.expm(t, 4), exact);
        }
        assertThat(errors[0] / errors[1]).isBetween(6.5, 9.5);
        assertThat(errors[1] / errors[2]).isBetween(7.0, 9.0);
    }

    @Test
    void chunkedScanEqualsTheRecurrenceForEveryStructure() {
        Rng rng = Rng.seeded(5);
        int b = 2;
        int n = 11; // 10 flows: two chunks of 4 and 2 left for the recurrence
        int d = 3;
        for (StructureSpec s : STRUCTURE_SPECS) {
            for (int depth = 1; depth <= 2; depth++) {
                LogLinearCdeSpec spec = new LogLinearCdeSpec(d, 3, 4, s, depth, 0.5, 4, true);
                LogLinearCde graph = new LogLinearCde(spec, STRUCTURES);
                ParameterSet p = graph.initialize(rng.stream(s.id(), depth));
                double[] v = new double[b * n * spec.logSignatureDimension()];
                rng.stream("x", s.id(), depth).fillNormal(v, 0, 0.3);
                double[] x0 = new double[b * d];
                rng.stream("x0", s.id(), depth).fillNormal(x0, 0, 1);
                Batch batch = batch(b, n, spec.logSignatureDimension(), v, x0);
                double[] rec = states(graph, p, batch, ForwardMode.Evaluation.RECURRENT);
                double[] scan = states(graph, p, batch, ForwardMode.Evaluation.SCAN);
                assertThat(rec).hasSize(b * n * 4);
                assertThat(maxAbs(rec, scan)).as(s + " depth " + depth).isLessThan(1e-12);
                assertThat(maxAbs(rec, new double[rec.length])).isGreaterThan(0.1);
            }
        }
    }

    @Test
    void theFirstFlowIsDiscardedOnlyInFaithfulMode() {
        StructureSpec s = StructureSpec.of("block-diagonal", "block_size", "2");
        for (boolean discard : new boolean[] {true, false}) {
            LogLinearCdeSpec spec = new LogLinearCdeSpec(2, 2, 4, s, 2, 0.5, 128, discard);
            LogLinearCde graph = new LogLinearCde(spec, STRUCTURES);
            ParameterSet p = graph.initialize(Rng.seeded(8));
            double[] a = {0.1, 0.2, 0.3, -0.2, 0.4, 0.1, 0.3, 0.3, -0.1};
            double[] changed = a.clone();
            changed[0] = 5.0; // interval 0
            double[] x0 = {0.5, -0.5};
            double[] ya = states(graph, p, batch(1, 3, 3, a, x0), ForwardMode.Evaluation.RECURRENT);
            double[] yb = states(graph, p, batch(1, 3, 3, changed, x0), ForwardMode.Evaluation.RECURRENT);
            assertThat(ya).hasSize((discard ? 3 : 4) * 4);
            assertThat(maxAbs(ya, yb) == 0.0).isEqualTo(discard);
        }
    }

    @Test
    void gradientsMatchCentralDifferencesInBothEvaluationModes() {
        Rng rng = Rng.seeded(21);
        for (StructureSpec s : List.of(StructureSpec.of("block-diagonal", "block_size", "2"),
                StructureSpec.of("dplr", "rank", "1", "form", "linear"), StructureSpec.of("sparse", "sparsity", "0.5"),
                StructureSpec.of("diagonal"))) {
            LogLinearCdeSpec spec = new LogLinearCdeSpec(3, 3, 4, s, 2, 0.5, 2, true);
            int n = 6;
            double[] v = new double[2 * n * spec.logSignatureDimension()];
            rng.stream("v", s.id()).fillNormal(v, 0, 0.4);
            double[] x0 = new double[6];
            rng.stream("x0", s.id()).fillNormal(x0, 0, 1);
            Batch batch = new Batch(new Batch.ChannelInputs(2, n, spec.logSignatureDimension(), v, 3, x0),
                    new Batch.SequenceTargets(new int[] {2, 0}), new int[] {n, n});
            Objective objective = new Objective(new LossSpec.CrossEntropy(1e-8), 0.3);
            ParameterSet init = new LogLinearCde(spec, STRUCTURES).initialize(rng.stream("init", s.id()));
            for (ForwardMode.Evaluation e : ForwardMode.Evaluation.values()) {
                try (SequenceModel model = reference.model(spec, init)) {
                    ForwardMode mode = ForwardMode.inference().with(e);
                    SequenceModel.LossReport r = model.lossAndGradients(List.of(batch), objective, mode);
                    double worst = 0;
                    for (ParameterSet.Entry entry : init.entries(ParameterSet.Entry::trainable)) {
                        double[] g = r.gradients().get(entry.name()).data();
                        String maskName = model.spec() instanceof LogLinearCdeSpec
                                ? new LogLinearCde(spec, STRUCTURES).gradientMasks().get(entry.name()) : null;
                        for (int i = 0; i < g.length; i++) {
                            if (maskName != null && init.get(maskName).data()[i] == 0.0) {
                                assertThat(g[i]).as("masked gradient").isZero(); // mask_grads (SPEC §1.1 item 6)
                                continue;
                            }
                            double fd = centralDifference(model, init, entry.name(), i, List.of(batch), objective, mode);
                            worst = Math.max(worst, Math.abs(g[i] - fd) / Math.max(1e-6, Math.abs(g[i]) + Math.abs(fd)));
                        }
                    }
                    assertThat(worst).as(s + " " + e).isLessThan(1e-6);
                }
            }
        }
    }

    @Test
    void regulariserIsTheMeanOfPerChannelRowNormsAsInR3() {
        Rng rng = Rng.seeded(2);
        int d = 3;
        int h = 4;
        // diagonal: vf_A (d, h), rows = channels
        checkRegulariser(StructureSpec.of("diagonal"), rng, (p) -> meanRowNorms(p.get("vf_A").data(), d, h, false));
        // dense: vf_A.weight (h·h, d), R3's rows (d, h·h) are its columns
        checkRegulariser(StructureSpec.of("dense"), rng, (p) -> meanRowNorms(p.get("vf_A.weight").data(), h * h, d, true));
        // sparse: mean over (c, row p) of ||W_c[p, :]||
        checkRegulariser(StructureSpec.of("sparse", "sparsity", "0.6"), rng, (p) -> {
            double[] w = p.get("vf_A.weight").data();
            double sum = 0;
            for (int c = 0; c < d; c++) {
                for (int row = 0; row < h; row++) {
                    double ss = 0;
                    for (int q = 0; q < h; q++) {
                        ss += w[(row * h + q) * d + c] * w[(row * h + q) * d + c];
                    }
                    sum += Math.sqrt(ss);
                }
            }
            return sum / (d * h);
        });
        // DPLR: only vf_A; D-DE: none
        checkRegulariser(StructureSpec.of("dplr", "rank", "2", "form", "linear"), rng,
                (p) -> meanRowNorms(p.get("vf_A").data(), d, h, false));
        checkRegulariser(StructureSpec.of("diagonal-dense", "block_size", "2"), rng, (p) -> 0.0);
    }

    @Test
    void quadraticDplrAndMismatchedInputsAreRefused() {
        assertThatThrownBy(() -> new LogLinearCde(
                new LogLinearCdeSpec(3, 2, 4, StructureSpec.of("dplr", "rank", "2"), 2, 0.25, 128, true), STRUCTURES))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("form").hasMessageContaining("linear");
        LogLinearCdeSpec spec = LogLinearCdeSpec.r3(3, 2, 4, StructureSpec.of("diagonal"), 2);
        assertThat(spec.logSignatureDimension()).isEqualTo(6);
        ParameterSet p = new LogLinearCde(spec, STRUCTURES).initialize(Rng.seeded(1));
        try (SequenceModel m = reference.model(spec, p)) {
            Batch wrong = batch(1, 2, 3, new double[6], new double[3]);
            assertThatThrownBy(() -> m.forward(wrong, ForwardMode.inference()))
                    .hasMessageContaining("6 log-signature coordinates").hasMessageContaining("3");
        }
        assertThatThrownBy(() -> new LogLinearCdeSpec(3, 2, 4, StructureSpec.of("diagonal"), 3, 0.25, 128, true))
                .hasMessageContaining("depth").hasMessageContaining("3");
    }

    @Test
    void initialisationFollowsR3() {
        LogLinearCdeSpec spec = LogLinearCdeSpec.r3(5, 4, 64, StructureSpec.of("block-diagonal", "block_size", "4"), 2);
        ParameterSet p = new LogLinearCde(spec, STRUCTURES).initialize(Rng.seeded(9));
        assertThat(p.names()).containsExactly("init_layer.weight", "init_layer.bias", "vf_A", "out_layer.weight",
                "out_layer.bias");
        assertThat(new LogLinearCde(spec, STRUCTURES).parameterCount()).isEqualTo(p.trainableCount())
                .isEqualTo(64 * 5 + 64 + 5 * 64 * 4 + 4 * 64 + 4);
        // sparse: the masked weights do not count (the structure's expected count round(p·h²·d))
        LogLinearCdeSpec sparse = LogLinearCdeSpec.r3(5, 4, 64, StructureSpec.of("sparse", "sparsity", "0.1"), 2);
        assertThat(new LogLinearCde(sparse, STRUCTURES).parameterCount())
                .isEqualTo(64 * 5 + 64 + 4 * 64 + 4 + Math.round(0.1 * 64 * 64 * 5));
        // BD: N(0, (w/√b)²) = N(0, 0.125²); init_layer: U(±1/√5)
        assertThat(std(p.get("vf_A").data())).isCloseTo(0.125, org.assertj.core.data.Offset.offset(0.01));
        assertThat(maxAbs(p.get("init_layer.weight").data(), new double[5 * 64])).isLessThan(1 / Math.sqrt(5));
        assertThat(maxAbs(p.get("out_layer.weight").data(), new double[4 * 64])).isLessThan(1 / 8.0);
    }

    // ------------------------------------------------------------------ helpers

    private interface Expected {
        double of(ParameterSet p);
    }

    private static void checkRegulariser(StructureSpec s, Rng rng, Expected expected) {
        LogLinearCdeSpec spec = new LogLinearCdeSpec(3, 2, 4, s, 2, 0.5, 128, true);
        LogLinearCde graph = new LogLinearCde(spec, STRUCTURES);
        ParameterSet p = graph.initialize(rng.stream(s.id()));
        double actual = ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
            @Override
            public <T> T build(org.lincde.spi.TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> in) {
                return graph.regularizer(ops, in);
            }
        }).data()[0];
        double e = expected.of(p);
        assertThat(actual).as(s.toString()).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12));
        if (!s.id().equals("diagonal-dense")) {
            assertThat(actual).isGreaterThan(0.1);
        }
    }

    /** Mean over the {@code rows} rows (or over the columns when {@code byColumn}) of their 2-norms. */
    private static double meanRowNorms(double[] w, int rows, int cols, boolean byColumn) {
        int n = byColumn ? cols : rows;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double ss = 0;
            for (int j = 0; j < (byColumn ? rows : cols); j++) {
                double x = byColumn ? w[j * cols + i] : w[i * cols + j];
                ss += x * x;
            }
            sum += Math.sqrt(ss);
        }
        return sum / n;
    }

    private static double centralDifference(SequenceModel model, ParameterSet base, String name, int i, List<Batch> batches,
                                            Objective objective, ForwardMode mode) {
        double eps = 1e-6;
        double[] saved = base.get(name).data().clone();
        ParameterSet plus = base.copy();
        plus.get(name).data()[i] = saved[i] + eps;
        model.load(plus);
        double lp = model.lossAndGradients(batches, objective, mode).loss();
        ParameterSet minus = base.copy();
        minus.get(name).data()[i] = saved[i] - eps;
        model.load(minus);
        double lm = model.lossAndGradients(batches, objective, mode).loss();
        model.load(base);
        return (lp - lm) / (2 * eps);
    }

    /** I + Σ_c λ^c A_c + λ^{12}(A₂A₁ − A₁A₂) from the field's plain-Java dense matrices (d = 2). */
    private static double[] handBuiltFlow(StructuredVectorField f, ParameterSet p, double[] logsig) {
        int h = f.hidden();
        double[] a1 = f.denseMatrix(p, new double[] {1, 0});
        double[] a2 = f.denseMatrix(p, new double[] {0, 1});
        double[] br = Matrices.subtract(Matrices.multiply(a2, a1, h), Matrices.multiply(a1, a2, h));
        double[] t = new double[h * h];
        for (int i = 0; i < h * h; i++) {
            t[i] = logsig[0] * a1[i] + logsig[1] * a2[i] + logsig[2] * br[i];
        }
        for (int r = 0; r < h; r++) {
            t[r * h + r] += 1.0;
        }
        return t;
    }

    /** The dense {@code h×h} matrix of the first flow in block form {@code (1, 1, nb, k, k)}. */
    private static double[] dense(HostTensor blocks, int h) {
        int nb = blocks.dim(2);
        int k = blocks.dim(3);
        double[] t = new double[h * h];
        for (int j = 0; j < nb; j++) {
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    t[(j * k + r) * h + j * k + c] = blocks.data()[(j * k + r) * k + c];
                }
            }
        }
        return t;
    }

    private static double[] states(LogLinearCde graph, ParameterSet p, Batch batch, ForwardMode.Evaluation e) {
        return ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
            @Override
            public <T> T build(org.lincde.spi.TensorOps<T> ops, org.lincde.spi.ParameterLookup<T> in) {
                return graph.states(ops, in, batch, e);
            }
        }).data();
    }

    static Batch batch(int b, int n, int beta, double[] values, double[] x0) {
        int[] labels = new int[b];
        int[] lengths = new int[b];
        java.util.Arrays.fill(lengths, n);
        return new Batch(new Batch.ChannelInputs(b, n, beta, values, x0.length / b, x0),
                new Batch.SequenceTargets(labels), lengths);
    }

    private static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
