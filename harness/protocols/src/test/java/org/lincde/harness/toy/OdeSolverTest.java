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

    /*
     * diffrax 0.6's PIDController (default coefficients, jump_ts = the knots), traced by hand on fields whose
     * Tsit5 error estimate is known in closed form.
     *
     * dy/dt = c: every stage is c, the error estimate is 0, e = 0, and the factor is factormax = 10.
     * Knots {0, 0.05, 1}, dt0 = 0.01:
     *   diffrax: [0, 0.01] -> dt = 0.1, clipped to the knot: [0.01, 0.05] (made_jump) -> the next dt grows
     *            from the unclipped 0.1: dt = 1.0 -> [0.05, 1]: 3 accepted steps;
     *   classic: [0, 0.01], [0.01, 0.05], then 0.04 * 10 = 0.4: [0.05, 0.45], [0.45, 1]: 4 steps.
     */
    @Test
    void diffraxGrowsFromTheUnclippedStepAfterLandingOnAKnot() {
        double[] knots = {0.0, 0.05, 1.0};
        List<Double> firstStages = new ArrayList<>();
        IntervalField constant = (k, t, y, dy) -> dy[0] = 3.0;
        for (OdeSolver.Controller c : OdeSolver.Controller.values()) {
            double[] y = {1.0};
            OdeSolver.Stats st = new OdeSolver(1).adaptive(constant, knots, y,
                    new OdeSolver.Settings(1e-2, 1e-2, 0.01, 4096, c));
            assertThat(y[0]).isCloseTo(4.0, offset(1e-12));
            assertThat(st.rejected()).isZero();
            assertThat(st.accepted()).as("%s", c).isEqualTo(c == OdeSolver.Controller.DIFFRAX_PID ? 3 : 4);
        }
        // the diffrax steps, from the stage times: stage 1 of each step is at its start
        IntervalField spy = (k, t, y, dy) -> {
            firstStages.add(t);
            dy[0] = 3.0;
        };
        new OdeSolver(1).adaptive(spy, knots, new double[] {1.0}, OdeSolver.Settings.r2());
        assertThat(firstStages).contains(0.0, 0.01, 0.05).doesNotContain(0.45);
    }

    /*
     * dy/dt = a·t^4: Tsit5 integrates it exactly (order 5), and its error estimate is
     * err = a·h^5·K with K = Σ E_i c_i^4 at every t (the E-weights annihilate t^0..t^3). With rtol = 0,
     * e = |a K| h^5 / atol. atol is set so that e = 0.8 at h = 0.1: the raw factor 0.9·0.8^(-1/5) = 0.941
     * is below 1, so diffrax keeps h = 0.1 (factormin = 1 after an accepted step) and takes exactly 100
     * steps over [0, 10]; the classic controller shrinks towards e = 0.9^5 and takes more.
     */
    @Test
    void diffraxNeverShrinksTheStepAfterAnAcceptedOne() {
        double a = 1e-3;
        double k = 0;
        for (int i = 0; i < 7; i++) {
            k += Tsit5.E[i] * Math.pow(Tsit5.C[i], 4);
        }
        IntervalField quartic = (kk, t, y, dy) -> dy[0] = a * t * t * t * t;
        // the premise: one step's error estimate is a·K·h^5
        double[] err = new OdeSolver(1).singleStep(quartic, 2.0, new double[] {0}, 0.1, new double[1]);
        assertThat(Math.abs(err[0])).isCloseTo(Math.abs(a * k * 1e-5), offset(1e-6 * Math.abs(a * k * 1e-5)));
        double atol = Math.abs(a * k) * 1e-5 / 0.8;
        double[] knots = {0.0, 10.0};
        double[] y = {0.0};
        OdeSolver.Stats d = new OdeSolver(1).adaptive(quartic, knots, y, new OdeSolver.Settings(0, atol, 0.1, 4096));
        assertThat(d.accepted()).isEqualTo(100);
        assertThat(d.rejected()).isZero();
        assertThat(y[0]).isCloseTo(a * 1e5 / 5, offset(1e-9));
        OdeSolver.Stats c = new OdeSolver(1).adaptive(quartic, knots, new double[] {0.0},
                new OdeSolver.Settings(0, atol, 0.1, 4096, OdeSolver.Controller.CLASSIC_I));
        assertThat(c.accepted()).isGreaterThan(100);
        // a first step with e = 32 is rejected, the retry shrinks by 0.9·32^(-1/5) = 0.45 to e = 0.9^5 < 1
        OdeSolver.Stats r = new OdeSolver(1).adaptive(quartic, knots, new double[] {0.0},
                new OdeSolver.Settings(0, atol * 0.8 / 32, 0.1, 4096));
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.accepted()).isEqualTo((long) Math.ceil(10 / 0.045 - 1e-9));
    }

    @Test
    void r2sSettingsAreDiffraxsControllerWithItsStepLimit() {
        OdeSolver.Settings s = OdeSolver.Settings.r2();
        assertThat(s.controller()).isEqualTo(OdeSolver.Controller.DIFFRAX_PID);
        assertThat(s.maxSteps()).isEqualTo(4096); // diffeqsolve's default max_steps
        assertThat(s.rtol()).isEqualTo(1e-2);
        assertThat(s.atol()).isEqualTo(1e-2);
        assertThat(s.initialStep()).isEqualTo(0.01);
        // more than 4096 steps is an error, as in diffrax
        IntervalField constant = (k, t, y, dy) -> dy[0] = 1.0;
        double[] knots = new double[4098];
        for (int i = 0; i < knots.length; i++) {
            knots[i] = i;
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OdeSolver(1).adaptive(constant, knots,
                new double[] {0}, s)).hasMessageContaining("max_steps");
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
