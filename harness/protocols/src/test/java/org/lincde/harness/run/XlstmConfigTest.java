package org.lincde.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.spi.XlstmSpec;

/** R1 configs with {@code model_name: xlstm}: the block pattern from {@code slstm_at}, R1's block settings, clear errors. */
class XlstmConfigTest {

    private static Map<String, Object> base(int blocks, int dim) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", "parity");
        c.put("model_name", "xlstm");
        c.put("num_blocks", blocks);
        c.put("model_dim", dim);
        c.put("batch_size", 2);
        c.put("num_steps", 1);
        c.put("print_steps", 1);
        c.put("learning_rate", 0.001);
        return c;
    }

    private static XlstmSpec spec(Map<String, Object> c) {
        return (XlstmSpec) ModelSpecs.fromR1(R1Config.fromMap("test.json", c), 4, 2);
    }

    @Test
    void slstmAtGivesTheBlockPattern() {
        Map<String, Object> c = base(2, 128);
        assertThat(spec(c).slstmAt()).as("R1's default [1]").containsExactly(1);
        assertThat(spec(c).variantName()).isEqualTo("xLSTM[1:1]");
        c.put("slstm_at", List.of());
        assertThat(spec(c).variantName()).isEqualTo("mLSTM");
        c.put("slstm_at", List.of(0, 1));
        assertThat(spec(c).variantName()).isEqualTo("sLSTM");
        c.put("slstm_at", "all");
        assertThat(spec(c).slstmAt()).containsExactly(0, 1);
        c.put("slstm_at", List.of(-1)); // a Python list index: the last block
        assertThat(spec(c).slstmAt()).containsExactly(1);
    }

    @Test
    void r1sBlockSettingsAndContextLength() {
        XlstmSpec s = spec(base(2, 128));
        assertThat(s.mlstm()).isEqualTo(new XlstmSpec.Mlstm(4, 4, 4, 2.0, 64, XlstmSpec.Form.PARALLEL));
        assertThat(s.mlstm().innerDim(128)).isEqualTo(256);
        assertThat(s.slstm()).isEqualTo(new XlstmSpec.Slstm(4, 4));
        assertThat(s.feedForward().innerDim(128)).as("ceil(1.3·128/64)·64").isEqualTo(192);
        assertThat(s.contextLength()).as("R1: the formal-language training pad length").isEqualTo(256);
        assertThat(s.dropoutRate()).as("R1's default dropout_rate").isEqualTo(0.01);
        Map<String, Object> a5 = base(2, 128);
        a5.put("task", "A5=7");
        assertThat(((XlstmSpec) ModelSpecs.fromR1(R1Config.fromMap("a5.json", a5), 60, 60)).contextLength())
                .as("R1: the A5 length").isEqualTo(7);
        Map<String, Object> longer = base(2, 128);
        longer.put("validation_lengths", List.of(40, 300));
        assertThat(spec(longer).contextLength()).as("raised to the longest validation sequence").isEqualTo(300);
    }

    @Test
    void badValuesNameTheKey() {
        Map<String, Object> c = base(2, 130);
        assertThatThrownBy(() -> spec(c)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.json").hasMessageContaining("key 'model_dim' = 130")
                .hasMessageContaining("multiple of 4");
        c.put("slstm_at", List.of());
        assertThat(spec(c).variantName()).as("the mLSTM takes any width").isEqualTo("mLSTM");
        Map<String, Object> d = base(2, 128);
        d.put("slstm_at", List.of(2));
        assertThatThrownBy(() -> spec(d)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'slstm_at' = [2]").hasMessageContaining("2 blocks");
        d.put("slstm_at", List.of(-3));
        assertThatThrownBy(() -> spec(d)).isInstanceOf(ConfigException.class).hasMessageContaining("key 'slstm_at'");
        d.put("slstm_at", "some");
        assertThatThrownBy(() -> R1Config.fromMap("test.json", d)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'slstm_at'").hasMessageContaining("\"all\"");
        d.put("slstm_at", List.of(1));
        d.put("model_dim", 4);
        assertThatThrownBy(() -> spec(d)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'model_dim' = 4").hasMessageContaining(">= 2 units");
    }
}
