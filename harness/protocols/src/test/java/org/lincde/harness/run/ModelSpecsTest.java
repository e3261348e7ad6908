package org.lincde.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;
import org.lincde.spi.testing.WithReferenceOracle;

/** Every R1 {@code model_name} builds a per-token model that runs on R1's token batches and is causal. */
class ModelSpecsTest extends WithReferenceOracle {
    private static R1Config config(String model, int dim) {
        Map<String, Object> c = TinyR1Configs.of("cycle_nav", model, 2, dim, 2, 1, 0.002);
        if (model.equals("lcde")) {
            c.put("diagonal", true);
            c.put("block_size", 2);
        }
        return R1Config.fromMap("test/" + model, c);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lcde", "lstm", "mamba", "transformer", "rnn", "s4", "s6", "mamba1", "rwkv7", "rwkv6",
        "xlstm"})
    void logitsAtAPositionDoNotDependOnLaterTokens(String name) {
        int vocab = 6;
        int labels = 5;
        int len = 6;
        ModelSpec spec = ModelSpecs.fromR1(config(name, name.equals("rwkv7") ? 64 : 32), vocab, labels);
        ParameterSet params = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(3));
        int[] a = {1, 4, 2, 0, 3, 5};
        int[] b = {1, 4, 2, 5, 0, 1}; // the same first three tokens
        try (SequenceModel m = reference.model(spec, params)) {
            HostTensor ya = m.forward(batch(a), ForwardMode.inference());
            HostTensor yb = m.forward(batch(b), ForwardMode.inference());
            assertThat(ya.shape()).containsExactly(1, len, labels);
            double[] da = ya.data();
            double[] db = yb.data();
            for (int i = 0; i < 3 * labels; i++) {
                assertThat(db[i]).as("logit %d of the shared prefix", i).isEqualTo(da[i]);
            }
            boolean later = false;
            for (int i = 3 * labels; i < len * labels; i++) {
                later |= da[i] != db[i];
            }
            assertThat(later).as("later logits see the differing tokens").isTrue();
        }
    }

    private static Batch batch(int[] ids) {
        return new Batch(new Batch.TokenInputs(1, ids.length, ids),
                new Batch.TokenTargets(new int[ids.length], new boolean[ids.length]), new int[] {ids.length});
    }

    @Test
    void r3sBatchNormModelsAreNotOfferedForPerTokenTasks() {
        // R3's LRU/S5 BatchNorm normalises over time: per-token logits would depend on later tokens
        for (String name : new String[] {"lru", "s5"}) {
            assertThatThrownBy(() -> ModelSpecs.fromR1(config(name, 16), 6, 5))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("'model_name' = \"" + name + "\"")
                    .hasMessageContaining("later tokens").hasMessageContaining("uea-mini")
                    .hasMessageContaining("lincde bench --r3-model " + name);
        }
    }

    @Test
    void mambaIsR1sMamba2AndMamba1TheV1Block() {
        assertThat(ModelSpecs.fromR1(config("mamba", 128), 6, 5)).isEqualTo(
                org.lincde.spi.Mamba2Spec.r1(6, 5, 128, 2, 0.01, false));
        org.lincde.spi.Mamba2Spec m2 = (org.lincde.spi.Mamba2Spec) ModelSpecs.fromR1(config("mamba", 128), 6, 5);
        assertThat(List.of(m2.stateDim(), m2.headDim(), m2.expand(), m2.convKernel(), m2.numHeads()))
                .containsExactly(128, 64, 2, 4, 4);
        assertThat(((org.lincde.spi.MambaSpec) ModelSpecs.fromR1(config("mamba1", 32), 6, 5)).core())
                .isEqualTo(org.lincde.spi.MambaSpec.Core.MAMBA_V1);
    }

    @Test
    void widthsTheHeadsDoNotDivideAreOneConfigErrorNamingFileAndKey() {
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("mamba", 48), 6, 5)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test/mamba: key 'model_dim' = 48 with model_name \"mamba\"")
                .hasMessageContaining("headdim = 64");
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("rwkv7", 32), 6, 5)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test/rwkv7: key 'model_dim' = 32").hasMessageContaining("multiple of 64");
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("rwkv6", 20), 6, 5)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test/rwkv6: key 'model_dim' = 20").hasMessageContaining("multiple of 8");
    }

    @Test
    void flaBfloat16SwitchesTheRwkvQuirkOn() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", "parity");
        c.put("model_name", "rwkv6");
        c.put("num_blocks", 2);
        c.put("model_dim", 64);
        c.put("batch_size", 2);
        c.put("num_steps", 1);
        c.put("print_steps", 1);
        c.put("learning_rate", 0.002);
        c.put("fla_bfloat16", true);
        org.lincde.spi.RwkvSpec on = (org.lincde.spi.RwkvSpec) ModelSpecs.fromR1(R1Config.fromMap("t", c), 6, 5);
        assertThat(on.bf16()).isTrue();
        assertThat(((org.lincde.spi.RwkvSpec) ModelSpecs.fromR1(config("rwkv6", 64), 6, 5)).bf16()).isFalse();
        c.put("fla_bfloat16", "yes");
        assertThatThrownBy(() -> R1Config.fromMap("t", c)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fla_bfloat16");
    }

    @Test
    void unknownModelNamesListTheSupportedOnes() {
        assertThatThrownBy(() -> ModelSpecs.fromR1(config("gru", 8), 6, 5))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gru").hasMessageContaining("s6");
    }
}
