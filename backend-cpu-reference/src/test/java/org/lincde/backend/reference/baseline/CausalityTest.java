package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.Session;

/**
 * Per-token models are causal: changing the inputs from position {@code s} on leaves every output before
 * {@code s} bit-for-bit unchanged (the attention mask, the recurrences, the left-padded convolution), and
 * changes the outputs from {@code s} on (so the check can fail). R3's LRU and S5 normalise with batch
 * statistics over time and are not causal per token, which is why they are absent here.
 */
class CausalityTest {
    private static final int LEN = 6;
    private static final int CUT = 3;

    static List<BaselineFixtures.Case> perToken() {
        List<BaselineFixtures.Case> cs = new ArrayList<>(BaselineFixtures.all().stream()
                .filter(BaselineFixtures.Case::perToken).toList());
        SequenceIo ch = BaselineFixtures.channelIo().withOutput(SequenceIo.Output.PER_TOKEN);
        cs.add(new BaselineFixtures.Case("r2-s4d-per-token", new SequenceModelSpec(ch, SequenceModelSpec.Core.S4D, 6, 3,
                2, SequenceModelSpec.Mix.GLU, true, 0.0)));
        cs.add(new BaselineFixtures.Case("r3-s6-per-token", new MambaSpec(ch, MambaSpec.Template.R3_PRENORM,
                MambaSpec.Core.S6, 5, 3, 2, 4, 2, true, 0.1)));
        cs.add(new BaselineFixtures.Case("r3-mamba-per-token", new MambaSpec(ch, MambaSpec.Template.R3_PRENORM,
                MambaSpec.Core.MAMBA_V1, 4, 2, 1, 3, 2, true, 0.1)));
        return cs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perToken")
    void futureInputsDoNotReachPastOutputs(BaselineFixtures.Case c) {
        Batch batch = BaselineFixtures.batch(c, Rng.seeded(31), 2, LEN);
        Batch changed = perturbFrom(batch, CUT);
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), BaselineFixtures.init(c.spec(), 8))) {
            for (ForwardMode.Evaluation e : ForwardMode.Evaluation.values()) {
                ForwardMode mode = ForwardMode.inference().with(e);
                double[] a = m.forward(batch, mode).data();
                double[] b = m.forward(changed, mode).data();
                int k = a.length / (2 * LEN);
                double before = 0;
                double after = 0;
                for (int i = 0; i < 2; i++) {
                    for (int t = 0; t < LEN; t++) {
                        for (int j = 0; j < k; j++) {
                            int at = (i * LEN + t) * k + j;
                            double d = Math.abs(a[at] - b[at]);
                            if (t < CUT) {
                                before = Math.max(before, d);
                            } else {
                                after = Math.max(after, d);
                            }
                        }
                    }
                }
                assertThat(before).as(c.name() + " " + e + ": outputs before the change").isEqualTo(0.0);
                assertThat(after).as(c.name() + " " + e + ": outputs from the change on").isGreaterThan(1e-6);
            }
        }
    }

    private static Batch perturbFrom(Batch batch, int from) {
        if (batch.inputs() instanceof Batch.TokenInputs tok) {
            int[] ids = tok.ids().clone();
            int per = tok.perStep();
            for (int i = 0; i < tok.batch(); i++) {
                for (int t = from; t < tok.length(); t++) {
                    for (int q = 0; q < per; q++) {
                        int at = (i * tok.length() + t) * per + q;
                        ids[at] = (ids[at] + 1) % BaselineFixtures.VOCAB;
                    }
                }
            }
            return Batch.of(new Batch.TokenInputs(tok.batch(), tok.length(), per, ids), batch.targets());
        }
        Batch.ChannelInputs ch = (Batch.ChannelInputs) batch.inputs();
        double[] v = ch.values().clone();
        for (int i = 0; i < ch.batch(); i++) {
            for (int t = from; t < ch.length(); t++) {
                for (int q = 0; q < ch.channels(); q++) {
                    v[(i * ch.length() + t) * ch.channels() + q] += 1.0;
                }
            }
        }
        return Batch.of(new Batch.ChannelInputs(ch.batch(), ch.length(), ch.channels(), v), batch.targets());
    }
}
