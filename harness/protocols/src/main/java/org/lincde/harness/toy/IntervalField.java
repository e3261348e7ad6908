package org.lincde.harness.toy;

/**
 * The right-hand side of {@code dy/dt = f(t, y)} on one of several knot intervals: a controlled
 * differential equation driven by a piecewise-linear control is a different smooth ODE on every
 * interval between knots, so the solver says which interval a stage belongs to (a stage at the right end
 * of an interval still uses that interval's field).
 */
@FunctionalInterface
public interface IntervalField {
    /** Writes {@code f(t, y)} on {@code interval} into {@code dy}. y: read; dy: written. */
    void derivative(int interval, double t, double[] y, double[] dy);
}
