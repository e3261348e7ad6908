package org.lincde.harness.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tsit5 (fixed and adaptive) and Euler against closed-form solutions of linear ODEs. */
class OdeSolverTest {
    private static final double A = 0.3;
    private static final double W = 2.0;

    /** dy/dt = [[−a, −w], [w, −a]] y: a damped rotation, y(t) = e^{−at} R(wt) y0. */
    private static final IntervalField ROTATION = (k, t, y, dy) -> {
        dy[0] = -A * y[0] - W * y[1];
        dy[1] = W * y[0] - A * y[1];
    };

    private static double[] rotationExact(double t, double[] y0) {
        double e = Math.exp(-A * t);
        return new double[] {e * (Math.cos(W * t) * y0[0] - Math.sin(W * t) * y0[1]),
            e * (Math.sin(W * t) * y0[0] + Math.cos(W * t) * y0[1])};
    }

    @Test
    void tableauIsConsistent() {
        for (int i = 1; i < 7; i++) {
            double row = 0;
            for (double a : Tsit5.A[i]) {
                row += a;
            }
            assertThat(row).as("row %d sums to c_%d", i, i).isCloseTo(Tsit5.C[i], offset(1e-14));
        }
        double b = 0;
        double e = 0;
        for (int i = 0; i < 7; i++) {
            b += Tsit5.B[i];
            e += Tsit5.E[i];
        }
        assertThat(b).isCloseTo(1.0, offset(1e-14));
        assertThat(e).isCloseTo(0.0, offset(1e-14)); // b and b̂ both sum to 1
    }

    @Test
    void fixedStepTsit5IsFifthOrder() {
        double[] errors = new double[3];
        for (int i = 0; i < 3; i++) {
            double[] y = {1.0, 0.5};
            new OdeSolver(2).fixed(ROTATION, new double[] {0, 2}, y, 40 << i);
            double[] exact = rotationExact(2, new double[] {1.0, 0.5});
            errors[i] = Math.hypot(y[0] - exact[0], y[1] - exact[1]);
        }
        // 2^5 = 32 per halving of the step
        assertThat(errors[0] / errors[1]).as("%s", java.util.Arrays.toString(errors)).isBetween(28.0, 38.0);
        assertThat(errors[1] / errors[2]).as("%s", java.util.Arrays.toString(errors)).isBetween(28.0, 38.0);
    }

    @Test
    void errorEstimateIsTheLocalErrorOfTheEmbeddedFourthOrderSolution() {
        OdeSolver solver = new OdeSolver(2);
        double[] y0 = {1.0, 0.5};
        double[] norms = new double[2];
        for (int i = 0; i < 2; i++) {
            double h = 0.1 / (1 << i);
            double[] y5 = new double[2];
            double[] err = solver.singleStep(ROTATION, 0, y0, h, y5).clone();
            double[] exact = rotationExact(h, y0);
            // the 4th-order solution is y5 − err; its error is err up to the O(h^6) error of y5
            for (int c = 0; c < 2; c++) {
                assertThat(err[c]).isCloseTo(exact[c] - (y5[c] - err[c]), offset(0.05 * Math.abs(err[c]) + 1e-16));
            }
            norms[i] = Math.hypot(err[0], err[1]);
        }
        assertThat(norms[0] / norms[1]).isBetween(26.0, 38.0); // O(h^5)
    }

    @Test
    void adaptiveStepsLandOnKnotsAndMeetTheTolerance() {
        double[] knots = {0.0, 0.3, 0.35, 1.0};
        double[] rates = {-2.0, 5.0, 0.5};
        List<double[]> calls = new ArrayList<>();
        IntervalField f = (k, t, y, dy) -> {
            calls.add(new double[] {k, t});
            dy[0] = rates[k] * y[0];
        };
        double exact = 1.5 * Math.exp(-2.0 * 0.3 + 5.0 * 0.05 + 0.5 * 0.65);
        long previous = 0;
        for (double tol : new double[] {1e-3, 1e-6, 1e-9}) {
            calls.clear();
            double[] y = {1.5};
            OdeSolver.Stats s = new OdeSolver(1).adaptive(f, knots, y, new OdeSolver.Settings(tol, tol, 0.01, 100_000));
            assertThat(Math.abs(y[0] - exact)).as("tol %s", tol).isLessThan(100 * tol * exact);
            assertThat(s.accepted()).isGreaterThanOrEqualTo(3).isGreaterThan(previous);
            previous = s.accepted();
            for (double[] c : calls) {
                int k = (int) c[0];
                assertThat(c[1]).isBetween(knots[k], knots[k + 1]); // no stage crosses a knot
            }
        }
    }

    @Test
    void eulerTakesTheGivenStepsPerInterval() {
        double[] knots = {0.0, 0.5, 2.0};
        double[] rates = {1.0, -0.4};
        IntervalField f = (k, t, y, dy) -> dy[0] = rates[k] * y[0];
        double[] y = {2.0};
        new OdeSolver(1).euler(f, knots, y, 2);
        double expected = 2.0 * (1 + 0.25) * (1 + 0.25) * (1 - 0.4 * 0.75) * (1 - 0.4 * 0.75);
        assertThat(y[0]).isCloseTo(expected, offset(1e-15));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new OdeSolver(1).euler((k, t, y, dy) -> { }, new double[] {0, 0}, new double[1], 1))
                .hasMessageContaining("knot 1");
        assertThatThrownBy(() -> new OdeSolver.Settings(0, 0, 0.01, 10)).hasMessageContaining("tolerances");
        assertThatThrownBy(() -> new OdeSolver(2).fixed(ROTATION, new double[] {0, 1}, new double[3], 1))
                .hasMessageContaining("3");
    }
}
