package org.lincde.harness.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.signature.LogSignature;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.LossSpec;
import org.lincde.spi.NeuralCdeSpec.Kind;
import org.lincde.spi.NeuralCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.HeunGrid;
import org.lincde.spi.model.NeuralCde;
import org.lincde.spi.testing.WithReferenceOracle;

/**
 * R3's NCDE, NRDE and Log-NCDE (docs/models/neural-cdes.md) on the float64 reference backend: diffrax's step
 * grid and the interval search against hand-worked cases, the Hermite control and Heun's stages against
 * hand-derived sums (a constant field), the t = 0 [QUIRK], the JVPs against central differences of the MLP,
 * the Lie-bracket sign against the exact flow (third order), gradients through every solver step against
 * central differences, the Lip(2) regulariser and the initialisation.
 */
class NeuralCdeTest extends WithReferenceOracle {

    // ------------------------------------------------------------------ the time grid

    @Test
    void constantStepGridFollowsDiffraxIncludingTheClipToTheEnd() {
        float[] ts = HeunGrid.observationTimes(4, 1.0);
        assertThat(ts).containsExactly(0f, 0.25f, 0.5f, 0.75f);
        assertThat(HeunGrid.steps(0f, 0.75f, 0.25, 100)).containsExactly(0f, 0.25f, 0.5f, 0.75f);
        // 0.3, 0.6, then 0.9 > 0.75 − 1e−6 is clipped to 0.75
        float[] g = HeunGrid.steps(0f, 0.75f, 0.3, 100);
        assertThat(g).hasSize(4);
        assertThat(g[3]).isEqualTo(0.75f);
        assertThat(g[1]).isEqualTo(0.3f);
        // a step ending within the float32 tolerance of t1 ends exactly at t1 (no sliver step)
        assertThat(HeunGrid.steps(0f, 0.75f, 0.2499999, 100)).hasSize(4);
        // no step when t0 = t1 (L = 1)
        assertThat(HeunGrid.steps(0f, 0f, 0.1, 100)).containsExactly(0f);
        assertThatThrownBy(() -> HeunGrid.steps(0f, 0.75f, 0.25, 2)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("max_steps");
        assertThat(HeunGrid.steps(0f, 0.75f, 0.25, 3)).hasSize(4);
    }

    @Test
    void intervalsAreEveryStepsizeTimesThenTAndSearchIsLeftSided() {
        float[] ts = HeunGrid.observationTimes(5, 1.0);
        float[] iv = HeunGrid.intervals(ts, 2, 1.0);
        assertThat(iv).containsExactly(0f, ts[2], ts[4], 1f);
        assertThat(HeunGrid.searchLeft(iv, 0f)).isZero();
        assertThat(HeunGrid.searchLeft(iv, ts[2])).isEqualTo(1);
        assertThat(HeunGrid.searchLeft(iv, ts[2] + 1e-3f)).isEqualTo(2);
        assertThat(HeunGrid.searchLeft(iv, 0.99f)).isEqualTo(3);
    }

    // ------------------------------------------------------------------ controls and Heun's stages

    /**
     * A constant field (MLP weights 0, so {@code f = tanh(b_last)}) makes the NCDE a quadrature of the control:
     * Heun's stages at the knots see the backward differences, a stage at a mid-point sees the Hermite cubic's
     * {@code D_i + 1.25 (D_{i+1} − D_i)}; the field is read as {@code reshape(f, h, d)}.
     */
    @Test
    void ncdeWithAConstantFieldIntegratesTheHermiteDerivativeWithHeunStages() {
        int h = 2;
        int d = 2;
        double[] x = {0, 1, 1, 3, 2, 6, 5, 6}; // L = 4, channels (x, z); ts = 0, ¼, ½, ¾
        for (double dt0 : new double[] {0.25, 0.125}) {
            NeuralCdeSpec spec = new NeuralCdeSpec(Kind.NCDE, d, 2, h, 1, 3, 1, 4, 1, 1.0, dt0, 100, 1.0, true);
            ParameterSet p = constantField(spec, new double[] {0.1, -0.2, 0.3, 0.4});
            double[] m = tanh(new double[] {0.1, -0.2, 0.3, 0.4}); // M = reshape(f, h, d)
            Batch batch = Batch.of(new Batch.ChannelInputs(1, 4, d, x), new Batch.SequenceTargets(new int[] {0}));
            double[] y = terminal(spec, p, batch);
            double[] y0 = linear(p, "linear1", new double[] {x[0], x[1]}, d, h);
            double[] inc = new double[d];
            for (int c = 0; c < d; c++) {
                double[] knots = {x[c], x[2 + c], x[4 + c], x[6 + c]};
                double delta = 0.25;
                double[] dk = new double[4];
                dk[0] = (knots[1] - knots[0]) / delta;
                for (int j = 1; j < 4; j++) {
                    dk[j] = (knots[j] - knots[j - 1]) / delta;
                }
                for (int i = 0; i < 3; i++) {
                    if (dt0 == 0.25) {
                        inc[c] += delta / 2 * (dk[i] + dk[i + 1]);
                    } else {
                        double mid = dk[i] + 1.25 * (dk[i + 1] - dk[i]);
                        inc[c] += delta / 4 * (dk[i] + mid) + delta / 4 * (mid + dk[i + 1]);
                    }
                }
            }
            for (int r = 0; r < h; r++) {
                double expected = y0[r] + m[r * d] * inc[0] + m[r * d + 1] * inc[1];
                assertThat(y[r]).as("dt0 %s row %d", dt0, r).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    /**
     * NRDE with a constant field: the stage at t = 0 reads the last interval divided by −T ([QUIRK]), the
     * others {@code λ_{k−1}/Δ_k} with the left-sided search (t = ½ still in the first interval).
     */
    @Test
    void nrdeStagesReadTheIntervalOfTheSearchAndTheFirstStageWrapsAround() {
        int d = 2;
        int h = 2;
        // L = 4, s = 2: intervals [0, ½, 1], three log-signature rows (the last only read by the quirk)
        double[] lam = {1, 2, 3, -1, 5, 7};
        double[] x0 = {0.2, -0.4};
        for (boolean wrap : new boolean[] {true, false}) {
            NeuralCdeSpec spec = new NeuralCdeSpec(Kind.NRDE, d, 2, h, 1, 3, 1, 4, 2, 1.0, 0.25, 100, 1.0, wrap);
            ParameterSet p = constantField(spec, new double[] {0.5, -0.5, 0.25});
            double[] f = tanh(new double[] {0.5, -0.5, 0.25});
            double[] cm = linear(p, "mlp_linear", f, 3, h * d); // C = reshape(mlp_linear(f), h, β)
            Batch batch = Batch.of(new Batch.ChannelInputs(1, 3, d, lam, d, x0), new Batch.SequenceTargets(new int[] {1}));
            double[] y = terminal(spec, p, batch);
            double[] y0 = linear(p, "linear1", x0, d, h);
            double[] first = wrap ? new double[] {-lam[4], -lam[5]} : new double[] {lam[0] / 0.5, lam[1] / 0.5};
            double[] l0 = {lam[0] / 0.5, lam[1] / 0.5};
            double[] l1 = {lam[2] / 0.5, lam[3] / 0.5};
            // stages: (0, ¼), (¼, ½), (½, ¾) with dt = ¼
            double[] total = new double[d];
            for (int c = 0; c < d; c++) {
                total[c] = 0.125 * (first[c] + l0[c]) + 0.125 * (l0[c] + l0[c]) + 0.125 * (l0[c] + l1[c]);
            }
            for (int r = 0; r < h; r++) {
                double expected = y0[r] + cm[r * d] * total[0] + cm[r * d + 1] * total[1];
                assertThat(y[r]).as("wrap %s row %d", wrap, r).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    // ------------------------------------------------------------------ Log-NCDE: JVPs and Lie brackets

    @Test
    void jacobianVectorProductsMatchCentralDifferencesOfTheMlp() {
        NeuralCdeSpec spec = new NeuralCdeSpec(Kind.LOG_NCDE, 3, 2, 4, 2, 5, 2, 8, 2, 1.0, 0.1, 100, 1.0, true);
        NeuralCde graph = new NeuralCde(spec);
        ParameterSet p = graph.initialize(Rng.seeded(4));
        Rng r = Rng.seeded(9);
        double[] y = new double[2 * 4];
        double[] v = new double[2 * 3 * 4];
        r.stream("y").fillNormal(y, 0, 1);
        r.stream("v").fillNormal(v, 0, 1);
        double[] jvp = ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
            @Override
            public <T> T build(TensorOps<T> ops, ParameterLookup<T> in) {
                return graph.mlpJvp(ops, in, ops.constant(y, 2, 4), ops.constant(v, 2, 3, 4));
            }
        }).data();
        int out = 4 * 3;
        double eps = 1e-6;
        double worst = 0;
        for (int s = 0; s < 2; s++) {
            for (int j = 0; j < 3; j++) {
                double[] yp = y.clone();
                double[] ym = y.clone();
                for (int k = 0; k < 4; k++) {
                    yp[s * 4 + k] += eps * v[(s * 3 + j) * 4 + k];
                    ym[s * 4 + k] -= eps * v[(s * 3 + j) * 4 + k];
                }
                double[] fp = mlp(graph, p, yp, 2);
                double[] fm = mlp(graph, p, ym, 2);
                for (int o = 0; o < out; o++) {
                    double fd = (fp[s * out + o] - fm[s * out + o]) / (2 * eps);
                    worst = Math.max(worst, Math.abs(fd - jvp[(s * 3 + j) * out + o]));
                }
            }
        }
        assertThat(worst).isLessThan(1e-8);
    }

    /**
     * The bracket sign: over one interval the Log-ODE step with {@code J f_b f_a − J f_a f_b} must match the exact
     * flow along the path (ε e_1, then ε e_2, solved finely by RK4 on the same MLP) to third order in ε, the
     * error falling ≈ 8× per halving; the opposite sign (or no bracket) leaves a second-order error (≈ 4×).
     */
    @Test
    void lieBracketTermMakesTheLogOdeStepThirdOrderAccurate() {
        int d = 2;
        int h = 3;
        // L = 2, s = 2: one interval [0, 1], solve over [0, ½] with the first interval's λ everywhere (no wrap)
        NeuralCdeSpec spec = new NeuralCdeSpec(Kind.LOG_NCDE, d, 2, h, 2, 8, 2, 2, 2, 1.0, 0.5 / 256, 1000, 1.0, false);
        NeuralCde graph = new NeuralCde(spec);
        ParameterSet p = graph.initialize(Rng.seeded(7));
        double[] x0 = {0.3, -0.6};
        double[] y0 = linear(p, "linear1", x0, d, h);
        double[] errors = new double[3];
        for (int i = 0; i < 3; i++) {
            double eps = 0.4 / (1 << i);
            double[] logsig = LogSignature.of(new double[][] {{0, 0}, {eps, 0}, {eps, eps}}, 2); // (ε, ε, ε²/2)
            double[] lam = new double[2 * 3];
            for (int c = 0; c < 3; c++) {
                lam[c] = 2 * logsig[c]; // the solve lasts ½: λ·2 gives the interval's flow
            }
            Batch batch = Batch.of(new Batch.ChannelInputs(1, 2, 3, lam, d, x0), new Batch.SequenceTargets(new int[] {0}));
            double[] y = terminal(spec, p, batch);
            double[] exact = rk4Along(graph, p, y0, 0, eps, 64);
            exact = rk4Along(graph, p, exact, 1, eps, 64);
            double err = 0;
            for (int k = 0; k < h; k++) {
                err = Math.max(err, Math.abs(y[k] - exact[k]));
            }
            errors[i] = err;
        }
        assertThat(errors[0] / errors[1]).as("errors %s", java.util.Arrays.toString(errors)).isBetween(6.0, 10.0);
        assertThat(errors[1] / errors[2]).as("errors %s", java.util.Arrays.toString(errors)).isBetween(6.5, 9.5);
    }

    // ------------------------------------------------------------------ gradients, regulariser, init

    @Test
    void gradientsThroughEverySolverStepMatchCentralDifferences() {
        Rng rng = Rng.seeded(31);
        int d = 3;
        int b = 2;
        for (Kind kind : Kind.values()) {
            int depth = kind == Kind.NCDE ? 1 : 2;
            NeuralCdeSpec spec = new NeuralCdeSpec(kind, d, 3, 4, 2, 5, depth, 9, 3, 1.0, 0.07, 100,
                    kind == Kind.LOG_NCDE ? 2.0 : 1.0, true);
            NeuralCde graph = new NeuralCde(spec);
            Batch batch = batch(spec, rng.stream("batch", kind.name()), b);
            Objective objective = new Objective(new LossSpec.CrossEntropy(1e-8), kind == Kind.LOG_NCDE ? 0.05 : 0.0);
            ParameterSet init = graph.initialize(rng.stream("init", kind.name()));
            try (SequenceModel model = reference.model(spec, init)) {
                SequenceModel.LossReport r = model.lossAndGradients(List.of(batch), objective, ForwardMode.inference());
                double worst = 0;
                int checked = 0;
                for (ParameterSet.Entry entry : init.entries(ParameterSet.Entry::trainable)) {
                    double[] g = r.gradients().get(entry.name()).data();
                    for (int i = 0; i < g.length; i += Math.max(1, g.length / 7)) {
                        double fd = centralDifference(model, init, entry.name(), i, batch, objective);
                        // relative 1e−6, with an absolute floor of 1e−9 for the central difference's round-off
                        worst = Math.max(worst, (Math.abs(g[i] - fd) - 1e-9) / (Math.abs(g[i]) + Math.abs(fd)));
                        checked++;
                    }
                }
                assertThat(checked).isGreaterThan(30);
                assertThat(worst).as(kind.name()).isLessThan(1e-6);
            }
        }
    }

    @Test
    void regulariserIsLogNcdesSumOverLayersOfMeanRowNormPlusBiasNorm() {
        NeuralCdeSpec spec = new NeuralCdeSpec(Kind.LOG_NCDE, 2, 2, 3, 2, 4, 2, 5, 2, 1.0, 0.1, 100, 1.0, true);
        NeuralCde graph = new NeuralCde(spec);
        ParameterSet p = graph.initialize(Rng.seeded(1));
        double expected = 0;
        for (int i = 0; i < graph.mlpLayers(); i++) {
            HostTensor w = p.get("vf.mlp.layers." + i + ".weight");
            int rows = w.dim(0);
            int cols = w.dim(1);
            double bias = 0;
            for (double v : p.get("vf.mlp.layers." + i + ".bias").data()) {
                bias += v * v;
            }
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                double ss = 0;
                for (int c = 0; c < cols; c++) {
                    ss += w.data()[r * cols + c] * w.data()[r * cols + c];
                }
                mean += (Math.sqrt(ss) + Math.sqrt(bias)) / rows; // jnp.mean(norm(W, -1) + norm(b, -1))
            }
            expected += mean;
        }
        double reg = ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
            @Override
            public <T> T build(TensorOps<T> ops, ParameterLookup<T> in) {
                return graph.regularizer(ops, in);
            }
        }).data()[0];
        assertThat(reg).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        NeuralCde ncde = new NeuralCde(new NeuralCdeSpec(Kind.NRDE, 2, 2, 3, 2, 4, 2, 5, 2, 1.0, 0.1, 100, 1.0, true));
        double zero = ReferenceOps.value(reference, ncde.initialize(Rng.seeded(1)), new ReferenceOps.Graph() {
            @Override
            public <T> T build(TensorOps<T> ops, ParameterLookup<T> in) {
                return ncde.regularizer(ops, in);
            }
        }).data()[0];
        assertThat(zero).isZero();
    }

    @Test
    void initialisationIsEquinoxLinearWithTheMlpDividedByScale() {
        NeuralCdeSpec spec = new NeuralCdeSpec(Kind.NRDE, 3, 2, 16, 3, 32, 2, 5, 2, 1.0, 0.1, 100, 1000.0, true);
        NeuralCde graph = new NeuralCde(spec);
        // NRDE: an MLP of vf_depth − 1 = 2 hidden layers, h → w → w → w, then mlp_linear w → h·β (β = 6)
        assertThat(graph.mlpLayers()).isEqualTo(3);
        assertThat(graph.parameters()).extracting(ps -> ps.name()).containsExactly("vf.mlp.layers.0.weight",
                "vf.mlp.layers.0.bias", "vf.mlp.layers.1.weight", "vf.mlp.layers.1.bias", "vf.mlp.layers.2.weight",
                "vf.mlp.layers.2.bias", "mlp_linear.weight", "mlp_linear.bias", "linear1.weight", "linear1.bias",
                "linear2.weight", "linear2.bias");
        ParameterSet p = graph.initialize(Rng.seeded(3));
        assertThat(p.get("mlp_linear.weight").shape()).containsExactly(16 * 6, 32);
        assertMaxNear(p.get("vf.mlp.layers.0.weight").data(), 1 / Math.sqrt(16) / 1000);
        assertMaxNear(p.get("vf.mlp.layers.1.bias").data(), 1 / Math.sqrt(32) / 1000);
        assertMaxNear(p.get("mlp_linear.weight").data(), 1 / Math.sqrt(32)); // not scaled
        assertMaxNear(p.get("linear1.weight").data(), 1 / Math.sqrt(3));
        // same seed, same numbers
        assertThat(graph.initialize(Rng.seeded(3)).sameAs(p)).isTrue();
        NeuralCde log = new NeuralCde(new NeuralCdeSpec(Kind.LOG_NCDE, 3, 2, 16, 3, 32, 2, 5, 2, 1.0, 0.1, 100, 1.0, true));
        assertThat(log.mlpLayers()).isEqualTo(4);
        assertThat(log.parameters().get(6).shape()).containsExactly(3 * 16, 32); // last layer: w → d·h
    }

    @Test
    void badSettingsAreRejectedNamingR3sKey() {
        assertThatThrownBy(() -> new NeuralCdeSpec(Kind.NRDE, 3, 2, 4, 0, 5, 2, 9, 2, 1.0, 0.1, 100, 1.0, true))
                .hasMessageContaining("vf_depth");
        assertThatThrownBy(() -> new NeuralCdeSpec(Kind.NRDE, 3, 2, 4, 2, 5, 0, 9, 2, 1.0, 0.1, 100, 1.0, true))
                .hasMessageContaining("depth = 0");
        assertThatThrownBy(() -> new NeuralCdeSpec(Kind.LOG_NCDE, 3, 2, 4, 2, 5, 2, 9, 2, 1.0, -0.1, 100, 1.0, true))
                .hasMessageContaining("dt0 = -0.1");
        NeuralCdeSpec tooFew = new NeuralCdeSpec(Kind.NCDE, 3, 2, 4, 1, 5, 1, 9, 1, 1.0, 0.01, 10, 1.0, true);
        Batch batch = batch(tooFew, Rng.seeded(1), 1);
        try (SequenceModel m = reference.model(tooFew, new NeuralCde(tooFew).initialize(Rng.seeded(2)))) {
            assertThatThrownBy(() -> m.forward(batch, ForwardMode.inference())).hasMessageContaining("max_steps");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** MLP weights 0 and last-layer bias {@code last}: {@code f = tanh(last)} whatever y. */
    private static ParameterSet constantField(NeuralCdeSpec spec, double[] last) {
        NeuralCde graph = new NeuralCde(spec);
        ParameterSet p = graph.initialize(Rng.seeded(12));
        for (int i = 0; i < graph.mlpLayers(); i++) {
            java.util.Arrays.fill(p.get("vf.mlp.layers." + i + ".weight").data(), 0.0);
        }
        System.arraycopy(last, 0, p.get("vf.mlp.layers." + (graph.mlpLayers() - 1) + ".bias").data(), 0, last.length);
        return p;
    }

    private static double[] terminal(NeuralCdeSpec spec, ParameterSet p, Batch batch) {
        NeuralCde graph = new NeuralCde(spec);
        return ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
            @Override
            public <T> T build(TensorOps<T> ops, ParameterLookup<T> in) {
                return graph.terminalState(ops, in, batch);
            }
        }).data();
    }

    private static double[] mlp(NeuralCde graph, ParameterSet p, double[] y, int b) {
        int h = y.length / b;
        return ReferenceOps.value(reference, p, new ReferenceOps.Graph() {
            @Override
            public <T> T build(TensorOps<T> ops, ParameterLookup<T> in) {
                return graph.mlp(ops, in, ops.constant(y, b, h));
            }
        }).data();
    }

    /** RK4 of {@code dy/ds = f_channel(y)} for s ∈ [0, eps] (Log-NCDE's layout: rows of reshape(f, d, h)). */
    private static double[] rk4Along(NeuralCde graph, ParameterSet p, double[] y0, int channel, double eps, int steps) {
        int h = y0.length;
        double dt = eps / steps;
        double[] y = y0.clone();
        for (int n = 0; n < steps; n++) {
            double[] k1 = row(mlp(graph, p, y, 1), channel, h);
            double[] k2 = row(mlp(graph, p, axpy(y, k1, dt / 2), 1), channel, h);
            double[] k3 = row(mlp(graph, p, axpy(y, k2, dt / 2), 1), channel, h);
            double[] k4 = row(mlp(graph, p, axpy(y, k3, dt), 1), channel, h);
            for (int k = 0; k < h; k++) {
                y[k] += dt / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]);
            }
        }
        return y;
    }

    private static double[] row(double[] f, int c, int h) {
        return java.util.Arrays.copyOfRange(f, c * h, c * h + h);
    }

    private static double[] axpy(double[] y, double[] k, double a) {
        double[] out = y.clone();
        for (int i = 0; i < y.length; i++) {
            out[i] += a * k[i];
        }
        return out;
    }

    private static double[] tanh(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.tanh(v[i]);
        }
        return out;
    }

    /** {@code W x + b} of a PyTorch-layout linear layer. */
    private static double[] linear(ParameterSet p, String prefix, double[] x, int in, int out) {
        double[] w = p.get(prefix + ".weight").data();
        double[] bias = p.get(prefix + ".bias").data();
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = bias[o];
            for (int i = 0; i < in; i++) {
                s += w[o * in + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static Batch batch(NeuralCdeSpec spec, Rng r, int b) {
        int d = spec.inputChannels();
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = r.nextInt(spec.numClasses());
        }
        if (spec.kind() == Kind.NCDE) {
            double[] x = new double[b * spec.length() * d];
            r.stream("x").fillNormal(x, 0, 1);
            return Batch.of(new Batch.ChannelInputs(b, spec.length(), d, x), new Batch.SequenceTargets(labels));
        }
        int n = (spec.length() + 1 + spec.stepsize() - 1) / spec.stepsize();
        int beta = spec.logSignatureDimension();
        double[] v = new double[b * n * beta];
        r.stream("logsig").fillNormal(v, 0, 0.3);
        double[] x0 = new double[b * d];
        r.stream("x0").fillNormal(x0, 0, 1);
        return Batch.of(new Batch.ChannelInputs(b, n, beta, v, d, x0), new Batch.SequenceTargets(labels));
    }

    private static double centralDifference(SequenceModel model, ParameterSet base, String name, int i, Batch batch,
                                            Objective objective) {
        double eps = 1e-6;
        double saved = base.get(name).data()[i];
        ParameterSet plus = base.copy();
        plus.get(name).data()[i] = saved + eps;
        model.load(plus);
        double lp = model.lossAndGradients(List.of(batch), objective, ForwardMode.inference()).loss();
        ParameterSet minus = base.copy();
        minus.get(name).data()[i] = saved - eps;
        model.load(minus);
        double lm = model.lossAndGradients(List.of(batch), objective, ForwardMode.inference()).loss();
        model.load(base);
        return (lp - lm) / (2 * eps);
    }

    private static void assertMaxNear(double[] v, double bound) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        assertThat(max).isLessThanOrEqualTo(bound).isGreaterThan(0.8 * bound);
    }
}
