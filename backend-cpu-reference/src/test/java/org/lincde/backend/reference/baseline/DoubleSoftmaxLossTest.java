package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LossSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Losses;

/** SPEC §2.9 [QUIRK]: R3's PyTorch loss is cross-entropy applied to softmax outputs. */
class DoubleSoftmaxLossTest {
    private static final double[] LOGITS = {2.0, -1.0, 0.5, 0.3, 0.1, -2.5}; // (2, 3)
    private static final int[] LABELS = {0, 2};

    private static Session.GradientResult loss(double[] logits) {
        Batch batch = Batch.of(new Batch.ChannelInputs(2, 1, 1, new double[2]), new Batch.SequenceTargets(LABELS));
        try (Session s = BaselineFixtures.session()) {
            return s.gradient(new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    return Losses.data(ops, p.get("z"), batch, new LossSpec.SoftmaxOfProbabilitiesCrossEntropy());
                }
            }, Map.of("z", HostTensor.of(logits, 2, 3)));
        }
    }

    private static double byHand(double[] z) {
        double total = 0;
        for (int r = 0; r < 2; r++) {
            double[] p = new double[3];
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                p[k] = Math.exp(z[3 * r + k]);
                sum += p[k];
            }
            double sum2 = 0;
            for (int k = 0; k < 3; k++) {
                p[k] /= sum;
                sum2 += Math.exp(p[k]);
            }
            total += -(p[LABELS[r]] - Math.log(sum2)); // −log softmax(p)_y
        }
        return total / 2;
    }

    @Test
    void valueIsTheCrossEntropyOfTheProbabilitiesAndGradientsMatchFiniteDifferences() {
        Session.GradientResult r = loss(LOGITS);
        assertThat(r.value().data()[0]).isCloseTo(byHand(LOGITS), within(1e-14));
        // bounded: −log softmax(p)_y ≤ log(1 + 2e) for 3 classes however wrong the logits
        assertThat(byHand(new double[] {-50, 50, 0, 50, 0, -50})).isLessThan(Math.log(3) + 0.6);
        double[] g = r.gradients().get("z").data();
        for (int i = 0; i < LOGITS.length; i++) {
            double[] up = LOGITS.clone();
            double[] down = LOGITS.clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            assertThat(g[i]).isCloseTo((byHand(up) - byHand(down)) / 2e-6, within(1e-8));
        }
    }
}
