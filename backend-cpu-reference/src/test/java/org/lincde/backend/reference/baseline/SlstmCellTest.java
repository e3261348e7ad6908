package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.spi.Rng;
import org.lincde.spi.kernel.SlstmCell;

/**
 * The fused sLSTM cell's loops ({@link SlstmCell}, docs/models/xlstm.md §"Fused sLSTM cell"): the forward pass
 * against the cell's equations written out here step by step with the stabiliser left out (it cancels in
 * {@code c/n}), and the hand-derived gradient of the pre-activations against central differences of the kernel's
 * own forward, with pre-activations large enough that both branches of the stabiliser's max are taken.
 */
class SlstmCellTest {
    private static final int S = 6;
    private static final int DH = 3;

    private static double[] normals(Rng r, int n, double std) {
        return BaselineFixtures.normals(r, n, std);
    }

    @Test
    void forwardFollowsTheUnstabilisedEquations() {
        Rng r = Rng.seeded(3);
        double[] pre = normals(r, S * 4 * DH, 2);
        double[] rec = normals(r, DH * 4 * DH, 0.5);
        double[] y = new double[S * DH];
        new SlstmCell(S, DH).forward(pre, rec, y);
        double[] yPrev = new double[DH];
        double[] c = new double[DH];
        double[] n = new double[DH];
        double[] logF = new double[DH]; // Σ log σ(f̃) since the first step, per unit: n and c carry e^{that}
        for (int t = 0; t < S; t++) {
            double[] g = new double[4 * DH];
            for (int j = 0; j < 4 * DH; j++) {
                g[j] = pre[t * 4 * DH + j];
                for (int i = 0; i < DH; i++) {
                    g[j] += yPrev[i] * rec[i * 4 * DH + j];
                }
            }
            for (int j = 0; j < DH; j++) {
                double f = t == 0 ? 1.0 : 1.0 / (1.0 + Math.exp(-g[DH + j]));
                double i = Math.exp(g[j]);
                c[j] = f * c[j] + i * Math.tanh(g[2 * DH + j]);
                n[j] = f * n[j] + i;
                double o = 1.0 / (1.0 + Math.exp(-g[3 * DH + j]));
                yPrev[j] = o * c[j] / n[j];
                assertThat(y[t * DH + j]).as("t=%d j=%d", t, j).isCloseTo(yPrev[j],
                        org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Rng r = Rng.seeded(4);
        double[] pre = normals(r, S * 4 * DH, 2);
        double[] rec = normals(r, DH * 4 * DH, 0.5);
        double[] w = normals(r, S * DH, 1);
        double[] dPre = new double[pre.length];
        SlstmCell cell = new SlstmCell(S, DH);
        cell.backward(pre, rec, w, dPre);
        double h = 1e-6;
        for (int k = 0; k < pre.length; k++) {
            double keep = pre[k];
            pre[k] = keep + h;
            double up = weighted(cell, pre, rec, w);
            pre[k] = keep - h;
            double down = weighted(cell, pre, rec, w);
            pre[k] = keep;
            double fd = (up - down) / (2 * h);
            assertThat(Math.abs(dPre[k] - fd)).as("entry %d", k).isLessThan(1e-7 * Math.max(1, Math.abs(fd)));
        }
    }

    private static double weighted(SlstmCell cell, double[] pre, double[] rec, double[] w) {
        double[] y = new double[S * DH];
        cell.forward(pre, rec, y);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * w[i];
        }
        return s;
    }
}
