package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.LruSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.S5Spec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.Session;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.model.ModelGraph;
import org.lincde.spi.model.Models;

/** Output shapes, declared-vs-initialised parameters, seeding and spec validation of every baseline. */
class BaselineShapesTest {

    static List<BaselineFixtures.Case> cases() {
        return BaselineFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputShapeIsPerTokenOrPerSequence(BaselineFixtures.Case c) {
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(c.spec(), BaselineFixtures.init(c.spec(), 7))) {
            for (int len : new int[] {1, 3}) {
                Batch batch = BaselineFixtures.batch(c, Rng.seeded(len), 2, len);
                HostTensor out = m.forward(batch, ForwardMode.inference());
                int[] expected = c.perToken() ? new int[] {2, len, BaselineFixtures.LABELS}
                        : new int[] {2, BaselineFixtures.LABELS};
                assertThat(out.shape()).as(c.name() + " L=" + len).containsExactly(expected);
                for (double v : out.data()) {
                    assertThat(v).isFinite();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void initialisationMatchesDeclarationAndSeed(BaselineFixtures.Case c) {
        ModelGraph g = Models.graph(c.spec(), BaselineFixtures.STRUCTURES);
        ParameterSet p = BaselineFixtures.init(c.spec(), 11);
        List<String> declared = new ArrayList<>();
        for (ParameterShape ps : g.parameters()) {
            declared.add(ps.name());
            assertThat(p.get(ps.name()).shape()).as(ps.name()).containsExactly(ps.shape());
            assertThat(p.entry(ps.name()).role()).isEqualTo(ps.role());
        }
        assertThat(List.copyOf(p.names())).containsExactlyElementsOf(declared);
        assertThat(p.trainableCount()).isEqualTo(g.parameterCount());
        // same seed, bit-identical; another seed, different
        assertThat(BaselineFixtures.init(c.spec(), 11).sameAs(p)).isTrue();
        assertThat(BaselineFixtures.init(c.spec(), 12).sameAs(p)).isFalse();
        assertThat(g.gradientMasks()).isEmpty();
    }

    @Test
    void familiesAreTheAuthorsModelNames() {
        SequenceIo tok = BaselineFixtures.tokenIo();
        assertThat(LstmSpec.r1(5, 4, 8, 1).family()).isEqualTo("lstm");
        assertThat(TransformerSpec.r1(5, 4, 32, 1, 0.1).family()).isEqualTo("transformer");
        assertThat(MambaSpec.r1(5, 4, 8, 1, 0.1, false).family()).isEqualTo("mamba");
        assertThat(MambaSpec.r3S6(3, 2, 1, 8, 4).family()).isEqualTo("s6");
        assertThat(MambaSpec.r3Mamba(3, 2, 1, 8, 4, 4, 2).family()).isEqualTo("mamba");
        assertThat(LruSpec.r3(3, 2, 1, 8, 4).family()).isEqualTo("lru");
        assertThat(S5Spec.r3(3, 2, 1, 8, 4, 2).family()).isEqualTo("s5");
        assertThat(SequenceModelSpec.a5(SequenceModelSpec.Core.S6, 1).family()).isEqualTo("mamba");
        assertThat(SequenceModelSpec.a5(SequenceModelSpec.Core.S4D, 1).family()).isEqualTo("s4");
        assertThat(SequenceModelSpec.a5(SequenceModelSpec.Core.RNN, 1).family()).isEqualTo("rnn");
        assertThat(SequenceModelSpec.a5(SequenceModelSpec.Core.TRANSFORMER, 1).family()).isEqualTo("transformer");
        assertThat(new SequenceModelSpec(tok, SequenceModelSpec.Core.RNN, 4, 1, 1, SequenceModelSpec.Mix.GLU, true, 0)
                .outputDim()).isEqualTo(BaselineFixtures.LABELS);
    }

    @Test
    void r1TransformerHasSixteenHeadsAndRunsAtWidth32() {
        TransformerSpec spec = TransformerSpec.r1(5, 4, 32, 1, 0.0);
        assertThat(spec.numHeads()).isEqualTo(16);
        assertThat(spec.headDim()).isEqualTo(2);
        assertThat(spec.ffnDim()).isEqualTo(512);
        BaselineFixtures.Case c = new BaselineFixtures.Case("t", spec);
        try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(spec, BaselineFixtures.init(spec, 1))) {
            assertThat(m.forward(BaselineFixtures.batch(c, Rng.seeded(1), 2, 3), ForwardMode.inference()).shape())
                    .containsExactly(2, 3, 4);
        }
    }

    @Test
    void r2ToyRegressorEmitsOneValuePerSequenceForTheMeanSquaredError() {
        for (SequenceModelSpec.Core core : new SequenceModelSpec.Core[] {SequenceModelSpec.Core.S6,
                SequenceModelSpec.Core.S4D}) {
            SequenceModelSpec spec = SequenceModelSpec.toy(core, 2, 2, true);
            assertThat(spec.hiddenDim()).isEqualTo(256);
            double[] x = new double[2 * 5 * 2];
            Rng.seeded(3).fillNormal(x, 0, 1);
            double[] y = {0.25, -0.5};
            Batch batch = Batch.of(new Batch.ChannelInputs(2, 5, 2, x), new Batch.RealTargets(y, 1));
            try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(spec, BaselineFixtures.init(spec, 1))) {
                HostTensor out = m.forward(batch, ForwardMode.inference());
                assertThat(out.shape()).containsExactly(2, 1);
                double mse = ((out.data()[0] - y[0]) * (out.data()[0] - y[0])
                        + (out.data()[1] - y[1]) * (out.data()[1] - y[1])) / 2;
                SequenceModel.LossReport r = m.lossAndGradients(List.of(batch),
                        new org.lincde.spi.Objective(new org.lincde.spi.LossSpec.MeanSquaredError(), 0.5),
                        ForwardMode.inference());
                assertThat(r.loss()).isCloseTo(mse, org.assertj.core.data.Offset.offset(1e-14));
                assertThat(r.regularizer()).isEqualTo(0.0);
            }
        }
    }

    @Test
    void badOptionsNameTheirConfigKey() {
        SequenceIo tok = BaselineFixtures.tokenIo();
        assertThatThrownBy(() -> new LstmSpec(tok, 0, 1, 0.1)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("model_dim");
        assertThatThrownBy(() -> new LstmSpec(tok, 4, 1, 1.0)).hasMessageContaining("dropout_rate");
        assertThatThrownBy(() -> new TransformerSpec(tok, 30, 1, 16, 8, 0.1)).hasMessageContaining("model_dim")
                .hasMessageContaining("num_heads");
        assertThatThrownBy(() -> new TransformerSpec(tok, 48, 1, 16, 8, 0.1)).hasMessageContaining("even head");
        assertThatThrownBy(() -> new S5Spec(BaselineFixtures.channelIo(), 4, 6, 2, 1, 0.05))
                .hasMessageContaining("ssm_dim");
        assertThatThrownBy(() -> new LruSpec(BaselineFixtures.channelIo(), 4, 2, 1, 0.1, 0.5, 0.4, 6.28))
                .hasMessageContaining("r_max");
        assertThatThrownBy(() -> new MambaSpec(BaselineFixtures.channelIo(), MambaSpec.Template.R3_PRENORM,
                MambaSpec.Core.S6, 4, 2, 1, 4, 2, false, 0.1)).hasMessageContaining("use_glu");
        assertThatThrownBy(() -> new SequenceModelSpec(tok, SequenceModelSpec.Core.TRANSFORMER, 6, 4, 1,
                SequenceModelSpec.Mix.GLU, true, 0.1)).hasMessageContaining("hidden_dim");
        assertThatThrownBy(() -> new SequenceIo(SequenceIo.Input.TOKENS, 0, SequenceIo.Output.PER_TOKEN, 2))
                .hasMessageContaining("input_dim");
        assertThatThrownBy(() -> new LstmSpec(new SequenceIo(SequenceIo.Input.TOKEN_PAIRS, 5,
                SequenceIo.Output.PER_TOKEN, 2), 5, 1, 0.1)).hasMessageContaining("second_embedding");
    }

    @Test
    void wrongInputKindIsAClearError() {
        BaselineFixtures.Case tokens = BaselineFixtures.all().get(0);
        BaselineFixtures.Case channels = new BaselineFixtures.Case("c", new LstmSpec(BaselineFixtures.channelIo(), 4, 1, 0));
        try (Session s = BaselineFixtures.session();
             SequenceModel m = s.model(tokens.spec(), BaselineFixtures.init(tokens.spec(), 1))) {
            Batch wrong = BaselineFixtures.batch(channels, Rng.seeded(1), 2, 3);
            assertThatThrownBy(() -> m.forward(wrong, ForwardMode.inference()))
                    .hasMessageContaining("token ids").hasMessageContaining("ChannelInputs");
        }
    }
}
