package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;

/**
 * Dropout (SPEC §6 test_models: eval outputs equal each other; train outputs differ from eval and from
 * each other): in inference every baseline is deterministic; in training its masks come only from the
 * dropout stream, so one seed reproduces bit-for-bit and another seed differs.
 */
class DropoutBehaviourTest {

    static List<BaselineFixtures.Case> withDropout() {
        return BaselineFixtures.all().stream().filter(c -> !c.name().matches("r2-s4d|lstm-pairs")).toList(); // no dropout: rate 0, one LSTM layer
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withDropout")
    void inferenceIsDeterministicTrainingDrawsFromItsStream(BaselineFixtures.Case c) {
        Batch batch = BaselineFixtures.batch(c, Rng.seeded(41), 3, 5);
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), BaselineFixtures.init(c.spec(), 2))) {
            double[] eval1 = m.forward(batch, ForwardMode.inference()).data();
            double[] eval2 = m.forward(batch, ForwardMode.inference()).data();
            double[] train1 = m.forward(batch, ForwardMode.training(Rng.seeded(1))).data();
            double[] train1Again = m.forward(batch, ForwardMode.training(Rng.seeded(1))).data();
            double[] train2 = m.forward(batch, ForwardMode.training(Rng.seeded(2))).data();
            assertThat(eval2).containsExactly(eval1);
            assertThat(train1Again).containsExactly(train1);
            assertThat(BaselineFixtures.maxAbsDiff(train1, eval1)).isGreaterThan(1e-6);
            assertThat(BaselineFixtures.maxAbsDiff(train1, train2)).isGreaterThan(1e-6);
        }
    }

    @Test
    void zeroDropoutTrainsLikeInference() {
        BaselineFixtures.Case c = BaselineFixtures.all().stream().filter(k -> k.name().equals("r2-s4d")).findFirst()
                .orElseThrow();
        Batch batch = BaselineFixtures.batch(c, Rng.seeded(41), 3, 5);
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), BaselineFixtures.init(c.spec(), 2))) {
            assertThat(m.forward(batch, ForwardMode.training(Rng.seeded(1))).data())
                    .containsExactly(m.forward(batch, ForwardMode.inference()).data());
        }
    }

    @Test
    void singleLayerLstmHasNoDropoutBecauseNnLstmSkipsTheLastLayer() {
        LstmSpec spec = new LstmSpec(BaselineFixtures.tokenIo(), 6, 1, 0.5);
        BaselineFixtures.Case c = new BaselineFixtures.Case("lstm-1", spec);
        Batch batch = BaselineFixtures.batch(c, Rng.seeded(41), 3, 5);
        try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(spec, BaselineFixtures.init(spec, 2))) {
            assertThat(m.forward(batch, ForwardMode.training(Rng.seeded(1))).data())
                    .containsExactly(m.forward(batch, ForwardMode.inference()).data());
        }
        LstmSpec two = new LstmSpec(BaselineFixtures.tokenIo(), 6, 2, 0.5);
        try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(two, BaselineFixtures.init(two, 2))) {
            assertThat(BaselineFixtures.maxAbsDiff(m.forward(batch, ForwardMode.training(Rng.seeded(1))).data(),
                    m.forward(batch, ForwardMode.inference()).data())).isGreaterThan(1e-6);
        }
    }
}
