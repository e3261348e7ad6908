package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.StackedLinearCde;

/**
 * Gradients of the whole stacked Linear CDE model (R1's objective: masked cross-entropy + λ·Σ‖vf_A‖,
 * training mode with dropout) against central finite differences in float64 (relative error ≤ 1e-6),
 * for every built-in structure, on the fused path and on the generic path: for each parameter
 * tensor, the directional derivative along a random direction over all its coordinates. The loss of
 * the finite differences is computed here, in plain double, from the model's logits. For the sparse
 * structure only unmasked coordinates of {@code vf_A.weight} move (masked ones have their gradient
 * zeroed by {@code mask_grads}, which the finite difference does not know; they are checked to be 0).
 */
class Nd4jModelGradientTest {
    private static final double EPS = 1e-5;
    private static final double LAMBDA = 0.05;

    static Stream<Arguments> cases() {
        return Nd4jFixtures.ALL_STRUCTURES.stream()
                .flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
    }

    @ParameterizedTest(name = "{0} fused={1}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(StructureSpec structure, boolean fused) {
        Session session = fused ? Nd4jFixtures.session(DType.FLOAT64) : Nd4jFixtures.genericSession(DType.FLOAT64);
        LinearCdeSpec spec = Nd4jFixtures.smallSpec(structure, 4, 2).withDropout(0.2);
        StackedLinearCde graph = (StackedLinearCde) Models.graph(spec, StructureRegistry.discover());
        ParameterSet init = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(11));
        Rng data = Rng.seeded(12).stream(structure.toString());
        List<Batch> batches = List.of(Nd4jFixtures.tokenBatch(data, 2, 5, 5, 4), Nd4jFixtures.tokenBatch(data, 1, 3, 5, 4));
        Objective objective = Objective.maskedCrossEntropy(LAMBDA);
        ForwardMode mode = ForwardMode.training(Rng.seeded(13));
        List<String> regularized = new ArrayList<>();
        for (int i = 0; i < spec.numBlocks(); i++) {
            for (String name : graph.layer(i).field().regularizedParameters()) {
                regularized.add("blocks." + i + ".LCDE." + name);
            }
        }
        try (SequenceModel model = session.model(spec, init)) {
            SequenceModel.LossReport report = model.lossAndGradients(batches, objective, mode);
            // the backend's loss is the objective computed here from its logits
            assertThat(report.loss()).isCloseTo(loss(model, init, batches, mode, regularized), Offset.offset(1e-12));
            assertThat(report.loss()).isCloseTo(report.dataLoss() + LAMBDA * report.regularizer(), Offset.offset(1e-12));
            assertThat(report.regularizer()).isPositive();
            Rng pick = Rng.seeded(14).stream(structure.toString(), fused);
            double worst = 0;
            String worstAt = "";
            for (ParameterSet.Entry e : init.entries(ParameterSet.Entry::trainable)) {
                double[] g = report.gradients().get(e.name()).data();
                assertThat(report.gradients().get(e.name()).shape()).containsExactly(e.tensor().shape());
                double[] mask = maskFor(init, e.name());
                if (mask != null) {
                    for (int i = 0; i < g.length; i++) {
                        assertThat(mask[i] == 0 ? g[i] : 0.0).as("masked gradient of %s[%d]", e.name(), i).isZero();
                    }
                }
                // a random direction over the whole tensor (unmasked coordinates only for sparse)
                double[] v = new double[g.length];
                pick.fillNormal(v, 0.0, 1.0);
                double analytic = 0;
                for (int i = 0; i < g.length; i++) {
                    v[i] *= mask == null ? 1.0 : mask[i];
                    analytic += g[i] * v[i];
                }
                double fd = (lossAlong(model, init, e.name(), v, EPS, batches, mode, regularized)
                        - lossAlong(model, init, e.name(), v, -EPS, batches, mode, regularized)) / (2 * EPS);
                double err = Nd4jFixtures.relErr(analytic, fd);
                if (err > worst) {
                    worst = err;
                    worstAt = e.name() + ": analytic " + analytic + ", finite difference " + fd;
                }
            }
            assertThat(worst).as("worst relative error at %s", worstAt).isLessThanOrEqualTo(1e-6);
        }
    }

    private static double[] maskFor(ParameterSet p, String name) {
        String mask = name.endsWith("vf_A.weight") ? name.replace("vf_A.weight", "mask") : null;
        return mask != null && p.contains(mask) ? p.get(mask).data() : null;
    }

    private static double lossAlong(SequenceModel model, ParameterSet base, String name, double[] v, double d,
                                    List<Batch> batches, ForwardMode mode, List<String> regularized) {
        ParameterSet p = base.copy();
        double[] w = p.get(name).data();
        for (int i = 0; i < w.length; i++) {
            w[i] += d * v[i];
        }
        model.load(p);
        double l = loss(model, p, batches, mode, regularized);
        model.load(base);
        return l;
    }

    /**
     * R1's objective from the model's logits, computed here in plain double: per batch the mean over
     * masked positions of {@code −log softmax(logits)[target]} (dropout masks from
     * {@code mode.dropout().stream("batch", i)}, as {@code Models.objective} draws them), plus
     * {@code λ Σ ‖W‖_F} over the regularised tensors.
     */
    private static double loss(SequenceModel model, ParameterSet params, List<Batch> batches, ForwardMode mode,
                               List<String> regularized) {
        double total = 0;
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            HostTensor logits = model.forward(batch, new ForwardMode(true, mode.dropout().stream("batch", b),
                    mode.evaluation()));
            Batch.TokenTargets tt = (Batch.TokenTargets) batch.targets();
            int k = logits.dim(-1);
            double sum = 0;
            for (int pos = 0; pos < tt.labels().length; pos++) {
                if (!tt.mask()[pos]) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, logits.data()[pos * k + j]);
                }
                double z = 0;
                for (int j = 0; j < k; j++) {
                    z += Math.exp(logits.data()[pos * k + j] - max);
                }
                sum -= logits.data()[pos * k + tt.labels()[pos]] - max - Math.log(z);
            }
            total += sum / tt.maskedCount();
        }
        double reg = 0;
        for (String name : regularized) {
            double sq = 0;
            for (double w : params.get(name).data()) {
                sq += w * w;
            }
            reg += Math.sqrt(sq);
        }
        return total + LAMBDA * reg;
    }
}
