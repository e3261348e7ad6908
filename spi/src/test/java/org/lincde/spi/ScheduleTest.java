package org.lincde.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void warmupCosineAtZeroWarmupEndAndTotal() {
        // R1 with num_steps = 100001: W = floor(10000.1) = 10000
        Schedule.WarmupCosine s = Schedule.WarmupCosine.r1(0.002, 100_001);
        assertThat(s.warmupSteps()).isEqualTo(10_000);
        assertThat(s.at(0)).isEqualTo(0.0);                          // the first update has rate 0
        assertThat(s.at(5_000)).isCloseTo(0.001, within(1e-15));     // half-way up the ramp
        assertThat(s.at(10_000)).isCloseTo(0.002, within(1e-15));    // cos(0) = 1: the peak
        // midpoint of the cosine: lr_min + ½(lr_max − lr_min)
        long mid = 10_000 + (100_001 - 10_000) / 2;
        double progress = (double) (mid - 10_000) / (100_001 - 10_000);
        assertThat(s.at(mid)).isCloseTo(1e-5 + 0.5 * (1 + Math.cos(Math.PI * progress)) * (0.002 - 1e-5),
                within(1e-15));
        assertThat(s.at(100_001)).isEqualTo(1e-5);                   // t = T: the floor
        assertThat(s.at(200_000)).isEqualTo(1e-5);
        assertThat(s.at(100_000)).isCloseTo(1e-5, within(1e-11));   // one step before T: just above the floor
    }

    @Test
    void invalidStepCountsNameTheField() {
        assertThatThrownBy(() -> new Schedule.WarmupCosine(1e-3, 1e-5, 10, 5))
                .hasMessageContaining("num_steps").hasMessageContaining("5");
    }

    @Test
    void adamWGroupsByName() {
        OptimizerSpec.AdamW a = OptimizerSpec.AdamW.r1();
        assertThat(a.decayFor("embedding.weight")).isEqualTo(0.0);
        assertThat(a.decayFor("blocks.0.LCDE.vf_A")).isEqualTo(0.01);
        assertThatThrownBy(() -> new OptimizerSpec.AdamW(1.0, 0.9, 1e-8, 0, null)).hasMessageContaining("beta1 = 1.0");
    }
}
