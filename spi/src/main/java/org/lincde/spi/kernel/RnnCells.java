package org.lincde.spi.kernel;

import org.lincde.spi.Stability;

/**
 * The pointwise part of one step of PyTorch's {@code nn.LSTM} and tanh {@code nn.RNN} cells over primitive
 * arrays, forward and hand-derived backward (docs/models/lstm.md, "The fused recurrence"): the inner loops of
 * the backends' fused recurrences ({@code TensorOps.fusedRnnCells}), written once. The recurrent product
 * {@code U h_{t−1}} and the gates' sigmoids are not here: the backends run them in their own vectorised ops
 * (Java's {@code Math.exp} costs ~10 ns an element, libtorch's vectorised sigmoid well under one).
 *
 * <p>What an LSTM step saves, per batch row, in {@link #LSTM_SAVED} blocks of {@code h}:
 * {@code [σ(i), σ(f), tanh(g), σ(o), c_t, tanh(c_t)]}; the backward needs nothing else but {@code c_{t−1}}
 * (the previous step's saved {@code c}, block 4).
 */
@Stability(value = Stability.Level.EXPERIMENTAL, since = "0.3")
public final class RnnCells {
    /** Blocks of {@code h} an LSTM step saves per row: the four activated gates, {@code c_t}, {@code tanh(c_t)}. */
    public static final int LSTM_SAVED = 6;

    private RnnCells() {}

    /**
     * {@code tanh(x) = sign(x)·(1 − 2 / (e^{2|x|} + 1))}: one {@code Math.exp} (an intrinsic) instead of
     * fdlibm's {@code Math.tanh}, which costs several times more. Absolute error a few ulps of 1 (relative error
     * grows for |x| below ~1e-8, where the value is below 1e-8 and its absolute error ~1e-16).
     */
    public static double tanh(double x) {
        double t = 1.0 - 2.0 / (Math.exp(2.0 * Math.abs(x)) + 1.0);
        return x < 0 ? -t : t;
    }

    /**
     * One LSTM step for one row from the gates' sigmoids: {@code s = [σ(i); σ(f); σ(2g); σ(o)]} ({@code 4h} from
     * {@code sOff}; the cell gate enters doubled because {@code tanh(g) = 2σ(2g) − 1}, so one vectorised sigmoid
     * over all four gates serves them all), {@code c_{t−1}} at {@code cPrev[cOff ..]} ({@code cPrev == null}: zero
     * state). Writes the saved layout ({@link #LSTM_SAVED}{@code ·h}) at {@code saved[savedOff]} and {@code h_t}
     * at {@code hOut[hOff]}.
     */
    public static void lstmForward(int h, double[] s, int sOff, double[] cPrev, int cOff,
                                   double[] saved, int savedOff, double[] hOut, int hOff) {
        for (int q = 0; q < h; q++) {
            double i = s[sOff + q];
            double f = s[sOff + h + q];
            double g = 2.0 * s[sOff + 2 * h + q] - 1.0;
            double o = s[sOff + 3 * h + q];
            // c_0 = σ(i)·tanh(g) exactly as the generic loop (no f·0 term)
            double c = cPrev == null ? i * g : f * cPrev[cOff + q] + i * g;
            double tc = tanh(c);
            saved[savedOff + q] = i;
            saved[savedOff + h + q] = f;
            saved[savedOff + 2 * h + q] = g;
            saved[savedOff + 3 * h + q] = o;
            saved[savedOff + 4 * h + q] = c;
            saved[savedOff + 5 * h + q] = tc;
            hOut[hOff + q] = o * tc;
        }
    }

    /**
     * The adjoint of {@link #lstmForward} for one row. In: {@code dh} the total gradient of {@code h_t},
     * {@code dc} the gradient of {@code c_t} from the later steps ({@code c_t}'s use in {@code c_{t+1}}), the
     * step's saved layout and {@code c_{t−1}} ({@code cPrev == null} at {@code t = 0}). Out:
     * {@code dz} ({@code 4h}, the gradient of the pre-activations: of the input terms, and the factor of the
     * recurrent product's gradients) and, overwriting {@code dc}, the gradient of {@code c_{t−1}}:
     * <pre>
     *   dc_t ← dc + dh·o·(1 − tanh²c_t)
     *   dz_i = dc_t·g·i(1−i),  dz_f = dc_t·c_{t−1}·f(1−f),  dz_g = dc_t·i·(1−g²),  dz_o = dh·tanh(c_t)·o(1−o)
     *   dc_{t−1} = dc_t·f
     * </pre>
     */
    public static void lstmBackward(int h, double[] dh, int dhOff, double[] dc, int dcOff,
                                    double[] saved, int savedOff, double[] cPrev, int cOff,
                                    double[] dz, int dzOff) {
        for (int q = 0; q < h; q++) {
            double i = saved[savedOff + q];
            double f = saved[savedOff + h + q];
            double g = saved[savedOff + 2 * h + q];
            double o = saved[savedOff + 3 * h + q];
            double tc = saved[savedOff + 5 * h + q];
            double d = dh[dhOff + q];
            double dct = dc[dcOff + q] + d * o * (1.0 - tc * tc);
            double cp = cPrev == null ? 0.0 : cPrev[cOff + q];
            dz[dzOff + q] = dct * g * i * (1.0 - i);
            dz[dzOff + h + q] = dct * cp * f * (1.0 - f);
            dz[dzOff + 2 * h + q] = dct * i * (1.0 - g * g);
            dz[dzOff + 3 * h + q] = d * tc * o * (1.0 - o);
            dc[dcOff + q] = dct * f;
        }
    }

    /** The adjoint of one tanh-RNN step {@code h_t = tanh(z)} for one row: {@code dz = dh·(1 − h_t²)}. */
    public static void tanhBackward(int h, double[] dh, int dhOff, double[] hOut, int hOff, double[] dz, int dzOff) {
        for (int q = 0; q < h; q++) {
            double y = hOut[hOff + q];
            dz[dzOff + q] = dh[dhOff + q] * (1.0 - y * y);
        }
    }
}
