package org.lincde.spi.model.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.backend.reference.ReferenceBackend;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.TensorOps;
import org.lincde.spi.XlstmSpec;

/**
 * The sLSTM layer against a plain-Java loop written from the CUDA kernel (docs/models/xlstm.md §4.2 and docs/models/xlstm.md §4.5), with and
 * without the bfloat16 emulation: gate inputs, recurrent kernel and {@code R y} rounded to bfloat16, the states
 * {@code y, c, n, m} stored as bfloat16 after every step, the step's arithmetic at full precision.
 */
class SlstmBf16Test {
    private static final int B = 2;
    private static final int S = 6;
    private static final int NH = 2;
    private static final int DH = 3;
    private static final int D = NH * DH;

    @Test
    void theLayerRoundsWhereTheKernelCasts() {
        Rng r = Rng.seeded(17);
        Map<String, HostTensor> in = new java.util.LinkedHashMap<>();
        in.put("x", HostTensor.of(normal(r, B * S * D, 1.0), B, S, D));
        for (String g : new String[] {"fgate", "igate", "zgate", "ogate"}) {
            in.put(g + ".weight", HostTensor.of(normal(r, NH * DH * DH, 0.8), NH, DH, DH));
        }
        in.put("slstm_cell._recurrent_kernel_", HostTensor.of(normal(r, NH * DH * 4 * DH, 0.7), NH, DH, 4 * DH));
        in.put("slstm_cell._bias_", HostTensor.of(normal(r, NH * 4 * DH, 1.0), NH * 4 * DH));
        in.put("group_norm.weight", HostTensor.of(normal(r, D, 0.3), D));
        try (Session s = new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(1))) {
            for (boolean bf16 : new boolean[] {false, true}) {
                double[] layer = s.gradient(layer(bf16), in).value().data();
                double[] loop = kernelLoop(in, bf16);
                for (int i = 0; i < loop.length; i++) {
                    assertThat(layer[i]).as("bf16 %s, output %d", bf16, i).isCloseTo(loop[i],
                            org.assertj.core.data.Offset.offset(1e-12));
                }
            }
            double[] plain = s.gradient(layer(false), in).value().data();
            double[] rounded = s.gradient(layer(true), in).value().data();
            double maxDiff = 0;
            for (int i = 0; i < plain.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(plain[i] - rounded[i]));
            }
            assertThat(maxDiff).as("bfloat16 changes the outputs by about its precision").isBetween(1e-4, 0.2);
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertThat(XlstmParts.bf16(1.0)).isEqualTo(1.0);
        assertThat(XlstmParts.bf16(1.0 + Math.pow(2, -8))).as("a tie rounds to even").isEqualTo(1.0);
        assertThat(XlstmParts.bf16(1.0 + 3 * Math.pow(2, -8))).as("a tie rounds to even").isEqualTo(1.0 + Math.pow(2, -6));
        assertThat(XlstmParts.bf16(1.0 + 1.1 * Math.pow(2, -8))).isEqualTo(1.0 + Math.pow(2, -7));
        assertThat(XlstmParts.bf16(-3.14159)).isEqualTo(-3.140625);
    }

    private static Session.OpsFunction layer(boolean bf16) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                SlstmLayer l = new SlstmLayer(D, new XlstmSpec.Slstm(NH, 0, bf16), 0, 1);
                return l.forward(ops, p, p.get("x"), ForwardMode.inference(), 0.0);
            }
        };
    }

    /** The layer without convolution, step by step as {@code slstm_pointwise.cu} computes it. */
    private static double[] kernelLoop(Map<String, HostTensor> in, boolean bf16) {
        double[] x = in.get("x").data();
        double[][] w = {in.get("fgate.weight").data(), in.get("igate.weight").data(), in.get("zgate.weight").data(),
            in.get("ogate.weight").data()}; // layer.py: the input gate reads fgate, the forget gate igate
        double[] rk = in.get("slstm_cell._recurrent_kernel_").data().clone();
        double[] bias = in.get("slstm_cell._bias_").data();
        double[] gn = in.get("group_norm.weight").data();
        if (bf16) {
            for (int i = 0; i < rk.length; i++) {
                rk[i] = XlstmParts.bf16(rk[i]);
            }
        }
        double[] out = new double[B * S * D];
        for (int b = 0; b < B; b++) {
            double[] y = new double[D];
            double[] c = new double[D];
            double[] n = new double[D];
            double[] m = new double[D];
            for (int t = 0; t < S; t++) {
                double[] yNew = new double[D];
                for (int h = 0; h < NH; h++) {
                    for (int j = 0; j < DH; j++) {
                        int u = h * DH + j;
                        double[] raw = new double[4];
                        for (int g = 0; g < 4; g++) {
                            double wx = 0;
                            for (int d = 0; d < DH; d++) {
                                wx += x[(b * S + t) * D + h * DH + d] * w[g][(h * DH + j) * DH + d];
                            }
                            double ry = 0;
                            for (int k = 0; k < DH; k++) {
                                ry += y[h * DH + k] * rk[(h * DH + k) * 4 * DH + g * DH + j];
                            }
                            raw[g] = round(wx, bf16) + (round(ry, bf16) + bias[(h * 4 + g) * DH + j]);
                        }
                        double mNew;
                        double fGate = 0;
                        double logFPlusM = -Math.log1p(Math.exp(-raw[1])) + m[u];
                        if (t == 0) {
                            mNew = raw[0];
                        } else {
                            mNew = Math.max(raw[0], logFPlusM);
                            fGate = Math.exp(logFPlusM - mNew);
                        }
                        double iGate = Math.exp(raw[0] - mNew);
                        double cNew = fGate * c[u] + iGate * Math.tanh(raw[2]);
                        double nNew = fGate * n[u] + iGate;
                        yNew[u] = round(1 / (1 + Math.exp(-raw[3])) * (cNew / nNew), bf16);
                        c[u] = round(cNew, bf16);
                        n[u] = round(nNew, bf16);
                        m[u] = round(mNew, bf16);
                    }
                }
                y = yNew;
                for (int h = 0; h < NH; h++) { // group norm over each head, gain 1 + w
                    double mean = 0;
                    for (int j = 0; j < DH; j++) {
                        mean += y[h * DH + j] / DH;
                    }
                    double var = 0;
                    for (int j = 0; j < DH; j++) {
                        var += (y[h * DH + j] - mean) * (y[h * DH + j] - mean) / DH;
                    }
                    for (int j = 0; j < DH; j++) {
                        out[(b * S + t) * D + h * DH + j] = (y[h * DH + j] - mean) / Math.sqrt(var + 1e-5)
                                * (1 + gn[h * DH + j]);
                    }
                }
            }
        }
        return out;
    }

    private static double round(double v, boolean bf16) {
        return bf16 ? XlstmParts.bf16(v) : v;
    }

    private static double[] normal(Rng r, int n, double std) {
        double[] v = new double[n];
        r.fillNormal(v, 0, std);
        return v;
    }
}
