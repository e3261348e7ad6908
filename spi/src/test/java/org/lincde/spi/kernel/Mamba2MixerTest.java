package org.lincde.spi.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Mamba2Mixer}'s one-chunk forward against an independent transcription of the token recurrence
 * ({@code Mamba2.step}: {@code H_t = exp(Δ_t A) H_{t−1} + Δ_t x_t B_tᵀ}, {@code y_t = H_t C_t + D x_t}, then the
 * gated RMSNorm), and its hand-derived backward against central finite differences of a weighted sum of the
 * outputs, for the projection output and every parameter. Sizes: L 7 (longer than the conv width), E 6 in 2 heads
 * of 3, N 2, K 3.
 */
class Mamba2MixerTest {
    private static final int L = 7;
    private static final int E = 6;
    private static final int N = 2;
    private static final int H = 2;
    private static final int K = 3;
    private static final double EPS = 1e-5;
    private static final int CC = E + 2 * N;
    private static final int PROJ = 2 * E + 2 * N + H;

    private static double[] normal(Random r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }

    private static double[] params(Random r) {
        Mamba2Mixer m = new Mamba2Mixer(L, E, N, H, K, EPS, false);
        double[] p = normal(r, m.paramSize(), 0.6);
        for (int i = CC * K + CC + 2 * H; i < CC * K + CC + 3 * H; i++) {
            p[i] = 1 + 0.3 * r.nextGaussian(); // D near its init
        }
        return p;
    }

    @Test
    void forwardIsTheTokenRecurrenceThenTheGatedNorm() {
        Random r = new Random(3);
        double[] in = normal(r, 2 + L * PROJ, 1.0);
        double[] prm = params(r);
        double[] out = new double[L * E + 1];
        new Mamba2Mixer(L, E, N, H, K, EPS, false).forward(in, 2, prm, out, 1);
        double[] expected = recurrence(in, 2, prm);
        for (int i = 0; i < L * E; i++) {
            assertThat(out[1 + i]).as("out[%d]", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-12));
        }
        double[] fast = new double[L * E + 1];
        new Mamba2Mixer(L, E, N, H, K, EPS, true).forward(in, 2, prm, fast, 1);
        for (int i = 0; i < L * E; i++) {
            assertThat(fast[1 + i]).as("fast out[%d]", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-7));
        }
    }

    /**
     * The backward pass from the values the forward pass kept (G, the decays and Y) gives the same bits as
     * recomputing them, with R1's four conv taps (the convolution's one-pass path) and with three.
     */
    @Test
    void keptValuesGiveTheSameBitsAsRecomputing() {
        for (int taps : new int[] {3, 4}) {
            for (boolean fast : new boolean[] {false, true}) {
                Random r = new Random(11 + taps);
                Mamba2Mixer m = new Mamba2Mixer(L, E, N, H, taps, EPS, fast);
                int rows = 2;
                int ni = m.inputSize();
                double[] in = normal(r, rows * ni, 1.0);
                double[] prm = normal(r, m.paramSize(), 0.6);
                double[] w = normal(r, rows * L * E, 1.0);
                double[][] outs = new double[2][rows * L * E];
                double[][] dins = new double[2][rows * ni];
                double[][] dprms = new double[2][rows * m.paramSize()];
                for (int v = 0; v < 2; v++) {
                    double[] keep = v == 0 ? null : new double[rows * m.keepSize()];
                    for (int row = 0; row < rows; row++) {
                        m.forward(in, row * ni, prm, outs[v], row * L * E, keep, row * m.keepSize());
                    }
                    for (int row = 0; row < rows; row++) {
                        m.backward(in, row * ni, prm, keep, row * m.keepSize(), w, row * L * E, dins[v], row * ni,
                                dprms[v], row * m.paramSize());
                    }
                }
                assertThat(outs[1]).as("taps %d fast %b out", taps, fast).containsExactly(outs[0]);
                assertThat(dins[1]).as("taps %d fast %b din", taps, fast).containsExactly(dins[0]);
                assertThat(dprms[1]).as("taps %d fast %b dprm", taps, fast).containsExactly(dprms[0]);
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(5);
        double[] in = normal(r, L * PROJ, 1.0);
        double[] prm = params(r);
        double[] w = normal(r, L * E, 1.0);
        Mamba2Mixer m = new Mamba2Mixer(L, E, N, H, K, EPS, false);
        double[] din = new double[L * PROJ + 3];
        double[] dprm = new double[m.paramSize() + 1];
        java.util.Arrays.fill(din, 99); // overwritten
        java.util.Arrays.fill(dprm, 99);
        m.backward(in, 0, prm, w, 0, din, 3, dprm, 1);
        double h = 1e-5;
        for (int i = 0; i < in.length; i++) {
            double[] a = in.clone();
            double[] b = in.clone();
            a[i] += h;
            b[i] -= h;
            double fd = (loss(m, a, prm, w) - loss(m, b, prm, w)) / (2 * h);
            assertThat(din[3 + i]).as("d in[%d]", i).isCloseTo(fd, org.assertj.core.api.Assertions.within(1e-7 * Math.max(1, Math.abs(fd))));
        }
        for (int i = 0; i < prm.length; i++) {
            double[] a = prm.clone();
            double[] b = prm.clone();
            a[i] += h;
            b[i] -= h;
            double fd = (loss(m, in, a, w) - loss(m, in, b, w)) / (2 * h);
            assertThat(dprm[1 + i]).as("d param[%d]", i).isCloseTo(fd, org.assertj.core.api.Assertions.within(1e-7 * Math.max(1, Math.abs(fd))));
        }
    }

    private static double loss(Mamba2Mixer m, double[] in, double[] prm, double[] w) {
        double[] out = new double[L * E];
        m.forward(in, 0, prm, out, 0);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += w[i] * out[i];
        }
        return s;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Mamba2.step over the row, written out independently of the kernel's one-chunk form. */
    private static double[] recurrence(double[] in, int io, double[] prm) {
        int p = E / H;
        double[][] xbc = new double[L][CC];
        for (int t = 0; t < L; t++) {
            for (int c = 0; c < CC; c++) {
                double s = prm[CC * K + c];
                for (int j = 0; j < K; j++) {
                    int src = t - (K - 1) + j;
                    if (src >= 0) {
                        s += prm[c * K + j] * in[io + src * PROJ + E + c];
                    }
                }
                xbc[t][c] = s * sigmoid(s);
            }
        }
        double[][][] state = new double[H][p][N];
        double[] out = new double[L * E];
        for (int t = 0; t < L; t++) {
            double[] y = new double[E];
            for (int hh = 0; hh < H; hh++) {
                double raw = in[io + t * PROJ + 2 * E + 2 * N + hh] + prm[CC * K + CC + hh];
                double dt = Math.log(1 + Math.exp(raw));
                double a = -Math.exp(prm[CC * K + CC + H + hh]);
                double decay = Math.exp(dt * a);
                for (int q = 0; q < p; q++) {
                    double x = xbc[t][hh * p + q];
                    double acc = 0;
                    for (int j = 0; j < N; j++) {
                        state[hh][q][j] = decay * state[hh][q][j] + dt * x * xbc[t][E + j];
                        acc += state[hh][q][j] * xbc[t][E + N + j];
                    }
                    y[hh * p + q] = acc + prm[CC * K + CC + 2 * H + hh] * x;
                }
            }
            double ss = 0;
            double[] g = new double[E];
            for (int c = 0; c < E; c++) {
                double z = in[io + t * PROJ + c];
                g[c] = y[c] * z * sigmoid(z);
                ss += g[c] * g[c];
            }
            double rr = 1 / Math.sqrt(ss / E + EPS);
            for (int c = 0; c < E; c++) {
                out[t * E + c] = g[c] * rr * prm[CC * K + CC + 3 * H + c];
            }
        }
        return out;
    }
}
