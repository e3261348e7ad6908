package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * One Linear CDE step {@code s = A(c) y} of a structured vector field over flat row-major arrays, and its
 * hand-derived adjoint. Implementations hold no mutable state; scratch space is the caller's
 * {@code ws} of {@link #workspace()} doubles, so the time loop allocates nothing (docs/STYLE.md E2).
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.2")
public interface StepKernel {
    /** Coefficients {@code P} per step (must equal the field's {@code coefficientCount()}). */
    int coefficientCount();

    /** Scratch doubles needed by {@link #apply} and {@link #backward} (none by default). */
    default int workspace() {
        return 0;
    }

    /**
     * {@code s = A(c) y}. Read: {@code c[co..co+P)}, {@code y[yo..yo+h)}. Written: {@code s[so..so+h)}.
     */
    void apply(double[] c, int co, double[] y, int yo, double[] s, int so, double[] ws);

    /**
     * Adjoint of {@link #apply} for the upstream gradient {@code ds}: writes {@code dc = ∂s/∂c ᵀ ds}
     * into {@code dc[dco..dco+P)} and adds {@code A(c)ᵀ ds} to {@code dy[dyo..dyo+h)}.
     */
    void backward(double[] c, int co, double[] y, int yo, double[] ds, int dso, double[] dc, int dco,
                  double[] dy, int dyo, double[] ws);
}
