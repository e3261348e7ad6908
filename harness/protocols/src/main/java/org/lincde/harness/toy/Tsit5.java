package org.lincde.harness.toy;

/**
 * Tsitouras' 5(4) Runge–Kutta pair (Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the
 * first column simplifying assumption", Comput. Math. Appl. 62, 2011), the solver of R2's toy feature map
 * (SPEC §1.4, diffrax {@code Tsit5}). Seven stages, first-same-as-last: the 7th stage is the derivative
 * at the new point. The 5th-order solution uses the weights {@link #B}; {@link #E} are the differences
 * {@code b − b̂} to the embedded 4th-order solution, so {@code h·Σ E_i k_i} estimates the local error.
 *
 * <p>One step of {@code dy/dt = f(t, y)} over an {@link IntervalField} interval, writing into caller-owned
 * arrays; no allocation per step (the workspace is this object's).
 */
public final class Tsit5 {
    /** Nodes {@code c_i}. */
    static final double[] C = {0.0, 0.161, 0.327, 0.9, 0.9800255409045097, 1.0, 1.0};
    /** Lower-triangular stage coefficients {@code a_ij}, row i = stage i (0-based), {@code j < i}. */
    static final double[][] A = {
        {},
        {0.161},
        {-0.008480655492356989, 0.335480655492357},
        {2.8971530571054935, -6.359448489975075, 4.3622954328695815},
        {5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525},
        {5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383},
        {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774},
    };
    /** 5th-order weights (the last row of {@link #A}, 0 for the FSAL stage). */
    static final double[] B = {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742,
        -3.290069515436081, 2.324710524099774, 0.0};
    /** Error weights {@code b − b̂}. */
    static final double[] E = {-0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995,
        -0.1447110071732629, 0.5823571654525552, -0.45808210592918697, 0.015151515151515152};

    private final int n;
    private final double[][] k;
    private final double[] stage;

    /** A stepper for systems of dimension {@code n}. */
    public Tsit5(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("system dimension must be >= 1, got " + n);
        }
        this.n = n;
        this.k = new double[7][n];
        this.stage = new double[n];
    }

    /** System dimension. */
    public int dimension() {
        return n;
    }

    /**
     * One step from {@code (t, y)} of size {@code h} on {@code interval}. {@code k0} must hold
     * {@code f(t, y)} (FSAL; see {@link #firstStage}). Writes the 5th-order solution to {@code yNew}, the error
     * estimate to {@code err} (may be null) and leaves {@code f(t+h, yNew)} in {@link #lastStage()}.
     * y: read; yNew, err: written; {@code yNew} must not alias {@code y}.
     */
    public void step(IntervalField f, int interval, double t, double[] y, double h, double[] yNew, double[] err) {
        if (y == yNew) {
            throw new IllegalArgumentException("Tsit5.step: y and yNew must be different arrays");
        }
        for (int s = 1; s < 7; s++) {
            double[] a = A[s];
            for (int i = 0; i < n; i++) {
                double acc = 0.0;
                for (int j = 0; j < s; j++) {
                    acc += a[j] * k[j][i];
                }
                stage[i] = y[i] + h * acc;
            }
            if (s == 6) {
                // the 7th stage point is the 5th-order solution itself (a_7j = b_j)
                System.arraycopy(stage, 0, yNew, 0, n);
            }
            f.derivative(interval, t + C[s] * h, stage, k[s]);
        }
        if (err != null) {
            for (int i = 0; i < n; i++) {
                double acc = 0.0;
                for (int j = 0; j < 7; j++) {
                    acc += E[j] * k[j][i];
                }
                err[i] = h * acc;
            }
        }
    }

    /** Computes {@code k0 = f(t, y)} for the next step (after a start, a rejection or a new interval). */
    public void firstStage(IntervalField f, int interval, double t, double[] y) {
        f.derivative(interval, t, y, k[0]);
    }

    /** Reuses the last stage as the next step's first (FSAL, after an accepted step on the same interval). */
    public void acceptLastStage() {
        double[] tmp = k[0];
        k[0] = k[6];
        k[6] = tmp;
    }

    /** {@code f(t+h, yNew)} of the last step. */
    public double[] lastStage() {
        return k[6];
    }
}
