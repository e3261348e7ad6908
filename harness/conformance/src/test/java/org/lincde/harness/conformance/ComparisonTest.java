package org.lincde.harness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;

/** Errors, worst index and the tolerance rule of {@link Comparison}, on hand-worked numbers. */
class ComparisonTest {

    @Test
    void reportsMaxAbsRelAndWorstMultiIndex() {
        HostTensor expected = HostTensor.of(new double[] {1, -4, 2, 0, 3, 0.5}, 2, 3);
        HostTensor actual = HostTensor.of(new double[] {1, -4.001, 2, 0, 3.5, 0.5}, 2, 3);
        Comparison c = Comparison.of("grad w", expected, actual, new Tolerance(0.1, 0));
        assertThat(c.maxAbs()).isEqualTo(0.5);
        assertThat(c.maxRel()).isEqualTo(0.5 / 4);       // against max|expected| = 4
        assertThat(c.worstIndex()).containsExactly(1, 1);
        assertThat(c.expected()).isEqualTo(3.0);
        assertThat(c.actual()).isEqualTo(3.5);
        assertThat(c.passed()).isFalse();                  // 0.5 > 0.1·4
        assertThat(Comparison.of("grad w", expected, actual, new Tolerance(0.2, 0)).passed()).isTrue();
        assertThat(c.toString()).contains("grad w: max abs 5.000e-01, rel 1.250e-01 at [1,1] (expected 3.0, got 3.5)")
                .contains("rel<=1e-01").contains("EXCEEDED");
    }

    @Test
    void nonFiniteValuesFailUnlessBothAgree() {
        Comparison nan = Comparison.of("x", new int[] {2}, new double[] {1, 2}, new double[] {1, Double.NaN},
                new Tolerance(1, 1));
        assertThat(nan.passed()).isFalse();
        assertThat(nan.worstIndex()).containsExactly(1);
        Comparison both = Comparison.of("x", new int[] {2}, new double[] {Double.NaN, Double.POSITIVE_INFINITY},
                new double[] {Double.NaN, Double.POSITIVE_INFINITY}, Tolerance.EXACT);
        assertThat(both.passed()).isTrue();
    }

    @Test
    void exactToleranceAndShapeMismatch() {
        assertThat(Comparison.of("z", new int[0], new double[] {0.0}, new double[] {0.0}, Tolerance.EXACT).passed()).isTrue();
        assertThat(Comparison.of("z", new int[0], new double[] {0.0}, new double[] {1e-300}, Tolerance.EXACT).passed())
                .isFalse();
        assertThatThrownBy(() -> Comparison.of("logits", HostTensor.of(new double[4], 2, 2), HostTensor.of(new double[4], 4),
                Tolerance.EXACT)).hasMessage("logits: shape [4], expected [2, 2]");
        assertThat(Comparison.ofEntries("masked", new int[] {3, 3}, new int[] {7}, new double[] {0}, new double[] {2},
                Tolerance.EXACT).worstIndex()).containsExactly(2, 1);
    }

    @Test
    void toleranceTableHasEveryCheckInBothDtypesAndFloat32IsLooser() {
        for (Check c : Check.values()) {
            Tolerance f64 = Tolerances.of(c, DType.FLOAT64);
            Tolerance f32 = Tolerances.of(c, DType.FLOAT32);
            assertThat(f64).as("%s float64", c).isNotNull();
            assertThat(f32.rel()).as("%s", c).isGreaterThanOrEqualTo(f64.rel());
        }
        assertThat(Tolerances.of(Check.FORWARD, DType.FLOAT64).rel()).isEqualTo(1e-9);
        assertThat(Tolerances.of(Check.FORWARD, DType.FLOAT32).rel()).isEqualTo(1e-4);
        assertThat(Tolerances.of(Check.FINITE_DIFFERENCES, DType.FLOAT64).rel()).isEqualTo(1e-6);
    }
}
