package org.lincde.harness.toy;

import org.lincde.spi.Rng;

/**
 * R2's untrained random Linear CDE (SPEC §1.4), the feature map of the toy experiment, in float64 plain
 * Java (it is never trained, so it needs no backend). Hidden size {@code h}, input dimension {@code d},
 * {@code dω = dξ = d + 1}:
 * <pre>
 *   M0 ∈ R^{h×d} ~ N(0,1),  m0 ∈ R^h ~ N(0,1),        y_0 = M0 X_0 + m0
 *   A  ∈ R^{h×dω×h} ~ N(0,1)/√h,  A_j[p,q] = A[p,j,q]
 *   Bξ ∈ R^{h×dξ} ~ N(0,1)
 *   ω_k = ξ_k = [t_k, X_k],  t_k = k/(L−1)
 *   dy = Σ_j A_j y dω^j + Bξ dξ
 * </pre>
 * The control is the piecewise-linear interpolation of {@code [ω; ξ]} on the knots {@code t_k}, so on
 * interval k the CDE is the affine ODE {@code dy/dt = M_k y + b_k} with {@code M_k = Σ_j ω̇_j A_j},
 * {@code b_k = Bξ ξ̇}, {@code ω̇ = ξ̇ = [1, (X_{k+1} − X_k)/Δt]}. Features are the final state
 * {@code y(1)}. Parameters are drawn from the named streams {@code M0, m0, A, B} of the given {@link Rng},
 * each in R2's row-major order.
 */
public final class RandomLinearCde {
    /** R2's hidden size. */
    public static final int PAPER_HIDDEN = 256;

    private final int h;
    private final int d;
    private final int dw;
    private final double[] m0w;
    private final double[] m0b;
    private final double[] a;   // channel-major: a[(j·h + p)·h + q] = A_j[p,q]
    private final double[] bxi; // (h, dω) row-major

    private RandomLinearCde(int h, int d, double[] m0w, double[] m0b, double[] a, double[] bxi) {
        this.h = h;
        this.d = d;
        this.dw = d + 1;
        this.m0w = m0w;
        this.m0b = m0b;
        this.a = a;
        this.bxi = bxi;
    }

    /** Draws the parameters (see the class comment). */
    public static RandomLinearCde initialize(int hidden, int inputDim, Rng rng) {
        if (hidden < 1 || inputDim < 1) {
            throw new IllegalArgumentException("hidden and input dimensions must be >= 1, got " + hidden + ", "
                    + inputDim);
        }
        int dw = inputDim + 1;
        double[] m0w = new double[hidden * inputDim];
        rng.stream("M0").fillNormal(m0w, 0, 1);
        double[] m0b = new double[hidden];
        rng.stream("m0").fillNormal(m0b, 0, 1);
        double[] r2 = new double[hidden * dw * hidden]; // R2 layout (h, dω, h)
        rng.stream("A").fillNormal(r2, 0, 1.0 / Math.sqrt(hidden));
        double[] a = new double[r2.length];
        for (int p = 0; p < hidden; p++) {
            for (int j = 0; j < dw; j++) {
                System.arraycopy(r2, (p * dw + j) * hidden, a, (j * hidden + p) * hidden, hidden);
            }
        }
        double[] bxi = new double[hidden * dw];
        rng.stream("B").fillNormal(bxi, 0, 1);
        return new RandomLinearCde(hidden, inputDim, m0w, m0b, a, bxi);
    }

    /** h. */
    public int hidden() {
        return h;
    }

    /** d. */
    public int inputDim() {
        return d;
    }

    /** {@code A_j} as a row-major {@code h×h} copy (tests). */
    public double[] channelMatrix(int j) {
        double[] m = new double[h * h];
        System.arraycopy(a, j * h * h, m, 0, h * h);
        return m;
    }

    /** Column {@code j} of {@code Bξ} (tests). */
    public double[] forcing(int j) {
        double[] c = new double[h];
        for (int p = 0; p < h; p++) {
            c[p] = bxi[p * dw + j];
        }
        return c;
    }

    /** The knots {@code t_k = k/(L−1)}. */
    public static double[] knots(int length) {
        if (length < 2) {
            throw new IllegalArgumentException("a path needs at least 2 points, got " + length);
        }
        double[] t = new double[length];
        for (int k = 0; k < length; k++) {
            t[k] = (double) k / (length - 1);
        }
        return t;
    }

    /** How the CDE is solved. */
    public enum Method {
        /** Adaptive Tsit5 (R2's toy solver). */
        TSIT5,
        /** Explicit Euler, one step per knot interval. */
        EULER
    }

    /** One thread's buffers: solver, current interval's {@code M_k, b_k}, state. */
    public final class Workspace implements IntervalField {
        private final OdeSolver solver = new OdeSolver(h);
        private final double[] mk = new double[h * h];
        private final double[] bk = new double[h];
        private final double[] rate = new double[dw];
        private final double[] y = new double[h];
        private double[] path;
        private int offset;
        private int length;
        private int current = -1;
        private long accepted;
        private long rejected;

        /**
         * The features {@code y(1)} of the path at {@code values[offset…]} ({@code length×d}, row-major),
         * written to {@code out[outOffset…]} (h values).
         */
        public void features(double[] values, int offset, int length, Method method, OdeSolver.Settings settings,
                             double[] out, int outOffset) {
            this.path = values;
            this.offset = offset;
            this.length = length;
            this.current = -1;
            for (int p = 0; p < h; p++) {
                double acc = m0b[p];
                for (int c = 0; c < d; c++) {
                    acc += m0w[p * d + c] * values[offset + c];
                }
                y[p] = acc;
            }
            double[] knots = knots(length);
            if (method == Method.TSIT5) {
                OdeSolver.Stats s = solver.adaptive(this, knots, y, settings);
                accepted += s.accepted();
                rejected += s.rejected();
            } else {
                solver.euler(this, knots, y, 1);
            }
            System.arraycopy(y, 0, out, outOffset, h);
        }

        /** Accepted adaptive steps so far. */
        public long accepted() {
            return accepted;
        }

        /** Rejected adaptive steps so far. */
        public long rejected() {
            return rejected;
        }

        @Override
        public void derivative(int interval, double t, double[] state, double[] dy) {
            if (interval != current) {
                assemble(interval);
            }
            // four independent partial sums: the JIT may not reorder a floating-point reduction itself
            int q4 = h & ~3;
            for (int p = 0; p < h; p++) {
                int row = p * h;
                double s0 = 0.0;
                double s1 = 0.0;
                double s2 = 0.0;
                double s3 = 0.0;
                int q = 0;
                for (; q < q4; q += 4) {
                    s0 += mk[row + q] * state[q];
                    s1 += mk[row + q + 1] * state[q + 1];
                    s2 += mk[row + q + 2] * state[q + 2];
                    s3 += mk[row + q + 3] * state[q + 3];
                }
                for (; q < h; q++) {
                    s0 += mk[row + q] * state[q];
                }
                dy[p] = bk[p] + ((s0 + s1) + (s2 + s3));
            }
        }

        /** {@code M_k = Σ_j ω̇_j A_j}, {@code b_k = Bξ ξ̇} with {@code ω̇ = ξ̇ = [1, ΔX/Δt]}. */
        private void assemble(int k) {
            double dt = 1.0 / (length - 1);
            rate[0] = 1.0;
            int cur = offset + k * d;
            for (int c = 0; c < d; c++) {
                rate[c + 1] = (path[cur + d + c] - path[cur + c]) / dt;
            }
            int hh = h * h;
            double r0 = rate[0];
            for (int i = 0; i < hh; i++) {
                mk[i] = r0 * a[i];
            }
            // two channels per pass: fewer sweeps over M_k (the assembly is memory-bound)
            int j = 1;
            for (; j + 1 < dw; j += 2) {
                double ra = rate[j];
                double rb = rate[j + 1];
                int ba = j * hh;
                int bb = ba + hh;
                for (int i = 0; i < hh; i++) {
                    mk[i] += ra * a[ba + i] + rb * a[bb + i];
                }
            }
            if (j < dw) {
                double r = rate[j];
                int base = j * hh;
                for (int i = 0; i < hh; i++) {
                    mk[i] += r * a[base + i];
                }
            }
            for (int p = 0; p < h; p++) {
                double acc = 0.0;
                for (int c = 0; c < dw; c++) {
                    acc += bxi[p * dw + c] * rate[c];
                }
                bk[p] = acc;
            }
            current = k;
        }
    }

    /** A new workspace (one per thread). */
    public Workspace workspace() {
        return new Workspace();
    }
}
