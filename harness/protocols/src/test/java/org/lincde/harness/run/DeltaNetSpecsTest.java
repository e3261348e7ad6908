package org.lincde.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.data.TokenTask;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.DeltaNetSpec;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.model.Models;

/**
 * R1's fla model names, R1's fidelity details of issue 16 (transformer_causal, the LSTM's inter-layer dropout,
 * A5 padding 65) and the errors for bad values, each naming the config key.
 */
class DeltaNetSpecsTest {

    private static R1Config config(String model, int dim, Map<String, Object> extra) {
        Map<String, Object> c = TinyR1Configs.of("parity", model, 2, dim, 2, 1, 0.002);
        c.putAll(extra);
        return R1Config.fromMap("test/" + model + ".json", c);
    }

    @Test
    void eachNameBuildsItsLayerWithTheLibraryDefaults() {
        DeltaNetSpec dn = (DeltaNetSpec) ModelSpecs.fromR1(config("deltanet", 128, Map.of()), 4, 2);
        assertThat(dn.variant()).isEqualTo(DeltaNetSpec.Variant.DELTANET);
        assertThat(dn.numHeads()).isEqualTo(4);
        assertThat(dn.headKDim()).isEqualTo(32);
        assertThat(dn.bf16()).isFalse();
        DeltaNetSpec dn2 = (DeltaNetSpec) ModelSpecs.fromR1(config("deltanet2", 128, Map.of("fla_dtype", "bfloat16")),
                4, 2);
        assertThat(dn2.variant().betaScale()).isEqualTo(2.0);
        assertThat(dn2.bf16()).isTrue();
        DeltaNetSpec small = (DeltaNetSpec) ModelSpecs.fromR1(config("deltaproduct", 64,
                Map.of("rank", 2, "fla_num_heads", 4, "fla_head_dim", 16)), 4, 2);
        assertThat(small.numHeads()).isEqualTo(4);
        assertThat(small.headKDim()).isEqualTo(16);
        assertThat(small.headVDim()).isEqualTo(32);
        DeltaNetSpec dn8 = (DeltaNetSpec) ModelSpecs.fromR1(config("deltanet", 64, Map.of("fla_num_heads", 8)), 4, 2);
        assertThat(dn8.headKDim()).isEqualTo(8);
        DeltaNetSpec gdn = (DeltaNetSpec) ModelSpecs.fromR1(config("gateddeltanet", 128, Map.of()), 4, 2);
        assertThat(gdn.forgetGate()).isTrue();
        assertThat(gdn.keyDim()).isEqualTo(1536);
        assertThat(gdn.valueDim()).isEqualTo(3072);
        DeltaNetSpec dp = (DeltaNetSpec) ModelSpecs.fromR1(config("deltaproduct", 128, Map.of("rank", 3, "gated", false)),
                4, 2);
        assertThat(dp.numHouseholder()).isEqualTo(3);
        assertThat(dp.forgetGate()).isFalse();
        assertThat(dp.variant().betaScale()).isEqualTo(2.0);
        DeltaNetSpec dpGated = (DeltaNetSpec) ModelSpecs.fromR1(config("deltaproduct", 128, Map.of("rank", 2)), 4, 2);
        assertThat(dpGated.forgetGate()).as("R1's gated defaults to true").isTrue();
        assertThat(ModelSpecs.isKnown("deltaproduct")).isTrue();
        assertThat(ModelSpecs.isKnown("no_such_model")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deltanet", "deltanet2", "gateddeltanet", "deltaproduct"})
    void logitsAtAPositionDoNotDependOnLaterTokens(String name) {
        ModelSpec spec = ModelSpecs.fromR1(config(name, 8, Map.of("rank", 2)), 6, 5);
        ParameterSet params = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(3));
        int[] a = {1, 4, 2, 0, 3, 5};
        int[] b = {1, 4, 2, 5, 0, 1};
        try (Session s = BackendRegistry.discover().get("reference").open(SessionOptions.of(DType.FLOAT64).withThreads(1));
             SequenceModel m = s.model(spec, params)) {
            double[] da = m.forward(batch(a), ForwardMode.inference()).data();
            double[] db = m.forward(batch(b), ForwardMode.inference()).data();
            for (int i = 0; i < 3 * 5; i++) {
                assertThat(db[i]).as("logit %d of the shared prefix", i).isEqualTo(da[i]);
            }
            boolean later = false;
            for (int i = 3 * 5; i < 6 * 5; i++) {
                later |= da[i] != db[i];
            }
            assertThat(later).isTrue();
        }
    }

    private static Batch batch(int[] ids) {
        return new Batch(new Batch.TokenInputs(1, ids.length, ids),
                new Batch.TokenTargets(new int[ids.length], new boolean[ids.length]), new int[] {ids.length});
    }

    @Test
    void badValuesGiveOneErrorNamingTheKey() {
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("deltaproduct", 128, Map.of()), 4, 2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test/deltaproduct.json")
                .hasMessageContaining("key 'rank' = 0").hasMessageContaining("num_householder");
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("deltanet", 130, Map.of()), 4, 2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test/deltanet.json")
                .hasMessageContaining("key 'model_dim' = 130").hasMessageContaining("4 heads");
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("deltanett", 128, Map.of()), 4, 2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'model_name' = \"deltanett\"")
                .hasMessageContaining("deltaproduct");
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("deltanet", 64, Map.of("fla_num_heads", 3)), 4, 2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'model_dim' = 64")
                .hasMessageContaining("fla_num_heads = 3");
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("deltanet", 64, Map.of("fla_head_dim", 8)), 4, 2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'fla_head_dim'");
        assertThatThrownBy(() -> config("deltanet", 128, Map.of("fla_dtype", "half")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'fla_dtype'");
    }

    @Test
    void runKeysSeparateTheXlstmStacksAndTheDeltaProductRanks() {
        // the artifacts' mLSTM, sLSTM and xLSTM[1:1] rows differ only in slstm_at; DeltaProduct rows in rank
        Map<String, Object> m = new TokenRunPlan("t", "c", config("xlstm", 8, Map.of("slstm_at", java.util.List.of())),
                0, "reference", DType.FLOAT64).config();
        Map<String, Object> s = new TokenRunPlan("t", "c", config("xlstm", 8, Map.of("slstm_at", java.util.List.of(0, 1))),
                0, "reference", DType.FLOAT64).config();
        assertThat(m.get("slstm_at")).isEqualTo(java.util.List.of());
        assertThat(s.get("slstm_at")).isEqualTo(java.util.List.of(0, 1));
        Map<String, Object> r2 = new TokenRunPlan("t", "c", config("deltaproduct", 8, Map.of("rank", 2)), 0, "reference",
                DType.FLOAT64).config();
        assertThat(r2).containsEntry("rank", 2).containsEntry("gated", true).doesNotContainKey("fla_dtype");
        DepthSearchRunPlan d = new DepthSearchRunPlan("t", "sLSTM / A5-3", config("xlstm", 8,
                Map.of("task", "A5=3", "num_blocks", 1, "slstm_at", java.util.List.of(0))), 3, 0.9, "reference",
                DType.FLOAT64);
        assertThat(d.config()).containsEntry("slstm_at", java.util.List.of(0));
    }

    @Test
    void transformerCausalIsR1sNameForTheTransformer() {
        ModelSpec a = ModelSpecs.fromR1(config("transformer_causal", 32, Map.of()), 4, 2);
        ModelSpec b = ModelSpecs.fromR1(config("transformer", 32, Map.of()), 4, 2);
        assertThat(a).isInstanceOf(TransformerSpec.class).isEqualTo(b);
    }

    @Test
    void lstmInterLayerDropoutIsTheConfigsDropoutRate() {
        // R1 models/lstm.py: nn.LSTM(..., dropout=dropout_rate)
        LstmSpec s = (LstmSpec) ModelSpecs.fromR1(config("lstm", 16, Map.of("dropout_rate", 0.3)), 4, 2);
        assertThat(s.dropoutRate()).isEqualTo(0.3);
        LstmSpec d = (LstmSpec) ModelSpecs.fromR1(config("lstm", 16, Map.of()), 4, 2);
        assertThat(d.dropoutRate()).as("R1's default dropout_rate").isEqualTo(0.01);
    }

    @Test
    void a5BatchesOfTheDeltaRuleModelsArePaddedTo65() {
        for (String model : new String[] {"deltanet", "deltanet2", "gateddeltanet", "deltaproduct", "lcde", "lstm"}) {
            R1Config c = config(model, 8, Map.of("task", "A5=4", "a5_size", 200, "rank", 1));
            TokenRunPlan plan = new TokenRunPlan("t", "c", c, 0, "reference", DType.FLOAT64);
            TokenTask task = plan.task();
            // R1 train.py: model_name[:8] == "deltanet" or model_name == "deltaproduct" (not gateddeltanet)
            boolean fla = model.startsWith("deltanet") || model.equals("deltaproduct");
            int expected = fla ? 65 : 4;
            Batch train = task.trainBatch(0, 8);
            assertThat(train.length()).as(model + " train").isEqualTo(expected);
            assertThat(task.auxiliaryBatch(0, 8)).get().extracting(Batch::length).as(model + " length-2")
                    .isEqualTo(expected);
            assertThat(task.validationBatches(8).get(0).length()).as(model + " validation").isEqualTo(expected);
            assertThat(plan.config().get("train_padding")).isEqualTo(fla ? 65 : null);
            // padding carries no loss: the mask covers the N real tokens only
            assertThat(((Batch.TokenTargets) train.targets()).maskedCount()).isEqualTo(train.batchSize() * 4);
        }
    }
}
