package org.lincde.harness.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.harness.config.ConfigException;
import org.lincde.harness.config.R1Config;
import org.lincde.harness.uea.NeuralCdeSettings;
import org.lincde.harness.uea.R3Baseline;
import org.lincde.harness.uea.SsmSettings;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Schedule;

/** Settings built by name: a missing field is named, "absent" is an empty optional and never a 0 in a run. */
class SettingsBuildersTest {
    private static TrainingSettings.Builder complete() {
        return TrainingSettings.builder().batchSize(4).numSteps(10).printSteps(5).schedule(new Schedule.Constant(1e-3))
                .objective(Objective.maskedCrossEntropy(0)).optimizer(OptimizerSpec.AdamW.r1()).earlyStopThreshold(0.9)
                .auxiliaryMode(TrainingSettings.AuxiliaryMode.ACCUMULATE).evalBatchSize(8);
    }

    @Test
    void trainingSettingsNameTheFieldThatWasNeverSetAndDefaultToLincdesLoop() {
        TrainingSettings s = complete().build();
        assertThat(s.loop()).isEqualTo(TrainingSettings.LoopRule.EVALUATE_FIRST);
        assertThat(s.plannedUpdates()).isEqualTo(10);
        assertThat(s.toBuilder().loop(TrainingSettings.LoopRule.R1).build().plannedUpdates()).isEqualTo(12);
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThatThrownBy(() -> TrainingSettings.builder().batchSize(4).numSteps(10).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("TrainingSettings: 'printSteps' is required: call printSteps(…) before build()");
        assertThatThrownBy(() -> complete().numSteps(0).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anSsmBaselineKeyAModelHasNotIsAbsentAndOneItNeedsIsNamedWhenMissing() {
        SsmSettings lru = SsmSettings.of(1e-3, true, 2, 64, 16);
        assertThat(lru.ssmBlocks()).isEmpty();
        assertThat(lru.asConfig(R3Baseline.LRU)).doesNotContainKeys("ssm_blocks", "conv_dim", "expansion");
        assertThat(SsmSettings.s5(1e-3, true, 2, 64, 16, 2).asConfig(R3Baseline.S5)).containsEntry("ssm_blocks", 2);
        assertThat(SsmSettings.mamba(1e-3, true, 2, 16, 16, 4, 2).asConfig(R3Baseline.MAMBA))
                .containsEntry("conv_dim", 4).containsEntry("expansion", 2);
        assertThatThrownBy(() -> lru.asConfig(R3Baseline.S5)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("ssm_blocks").hasMessageContaining("S5");
        assertThatThrownBy(() -> SsmSettings.s5(1e-3, true, 2, 64, 16, 0)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("ssm_blocks");
    }

    @Test
    void r1TrainPaddingIsGivenOrAbsentNeverZero() {
        assertThat(R1Config.fromMap("t", r1(Map.of())).trainPadding()).isEmpty();
        assertThat(R1Config.fromMap("t", r1(Map.of("train_padding", 40))).trainPadding()).hasValue(40);
        assertThatThrownBy(() -> R1Config.fromMap("t", r1(Map.of("train_padding", 0))))
                .isInstanceOf(ConfigException.class).hasMessage("t: key 'train_padding' must be >= 1, got 0");
    }

    private static Map<String, Object> r1(Map<String, Object> extra) {
        Map<String, Object> c = new LinkedHashMap<>(Map.of("task", "parity", "model_name", "lstm", "num_blocks", 1,
                "model_dim", 8, "batch_size", 4, "num_steps", 10, "print_steps", 5, "learning_rate", 1e-3));
        c.putAll(extra);
        return c;
    }

    @Test
    void aNeuralCdeEvaluatesWithItsOwnPeriodOrTheDatasets() {
        NeuralCdeSettings s = NeuralCdeSettings.ncde(true, 1e-3, 16, 2, 32, 0.01);
        assertThat(s.printSteps()).hasValue(NeuralCdeSettings.R3_PRINT_STEPS);
        assertThat(s.withDatasetPrintSteps().printSteps()).isEmpty();
        assertThat(s.withDatasetPrintSteps().withPrintSteps(50).printSteps()).hasValue(50);
        assertThatThrownBy(() -> s.withPrintSteps(0)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("print_steps");
    }
}
