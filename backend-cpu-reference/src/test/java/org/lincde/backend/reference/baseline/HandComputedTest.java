package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.Activations;
import org.lincde.spi.model.baseline.Attention;
import org.lincde.spi.model.baseline.LruLayer;
import org.lincde.spi.model.baseline.LstmLayer;
import org.lincde.spi.model.baseline.MambaV1Layer;
import org.lincde.spi.model.baseline.S4dLayer;
import org.lincde.spi.model.baseline.S5Layer;
import org.lincde.spi.model.baseline.S6Layer;
import org.lincde.spi.model.baseline.SequenceLayer;
import org.lincde.spi.model.baseline.TanhRnnLayer;
import org.lincde.spi.testing.SharedFixtures;

/** Layers on tiny hand-set inputs against the SPEC's formulas evaluated here in plain Java. */
class HandComputedTest {

    private static double[] layer(SequenceLayer layer, Map<String, HostTensor> params, double[] x, int... xShape) {
        Map<String, HostTensor> in = new LinkedHashMap<>(params);
        in.put("x", HostTensor.of(x, xShape));
        return BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return layer.forward(ops, p, p.get("x"), ForwardMode.inference());
            }
        });
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double softplus(double z) {
        return Math.log1p(Math.exp(z));
    }

    @Test
    void lstmTwoStepsFollowTheGateEquations() {
        int h = 2;
        double[] wih = {0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.4, -0.3, 0.2, 0.1, -0.05, 0.15, 0.3, 0.2, -0.2, 0.1};
        double[] whh = {0.05, 0.1, -0.1, 0.2, 0.3, -0.2, 0.1, 0.1, -0.3, 0.2, 0.2, 0.05, 0.1, -0.1, 0.05, 0.3};
        double[] bih = {0.01, -0.02, 0.03, 0.0, 0.05, 0.1, -0.1, 0.02};
        double[] bhh = {0.0, 0.01, -0.01, 0.02, 0.03, -0.05, 0.04, 0.0};
        double[] x = {1.0, -0.5, 0.25, 2.0}; // (1, 2, 2)
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("weight_ih_l0", HostTensor.of(wih, 4 * h, h));
        p.put("weight_hh_l0", HostTensor.of(whh, 4 * h, h));
        p.put("bias_ih_l0", HostTensor.of(bih, 4 * h));
        p.put("bias_hh_l0", HostTensor.of(bhh, 4 * h));
        double[] got = layer(new LstmLayer(h, h, 0), p, x, 1, 2, h);
        double[] expected = SharedFixtures.lstmOracle(x, wih, whh, bih, bhh, 1, 2, h, h);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("h_%d[%d]", i / h, i % h).isCloseTo(expected[i], within(1e-15));
        }
    }

    @Test
    void tanhRnnFollowsItsEquation() {
        double[] w = {0.5, -0.2, 0.1, 0.3};
        double[] u = {0.2, 0.1, -0.4, 0.6};
        double[] b = {0.1, -0.1};
        double[] c = {0.05, 0.2};
        double[] x = {1, 2, -1, 0.5, 0.3, -0.7};
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("weight_ih_l0", HostTensor.of(w, 2, 2));
        p.put("weight_hh_l0", HostTensor.of(u, 2, 2));
        p.put("bias_ih_l0", HostTensor.of(b, 2));
        p.put("bias_hh_l0", HostTensor.of(c, 2));
        double[] got = layer(new TanhRnnLayer(2), p, x, 1, 3, 2);
        double[] hPrev = {0, 0};
        for (int t = 0; t < 3; t++) {
            double[] hn = new double[2];
            for (int r = 0; r < 2; r++) {
                double z = b[r] + c[r];
                for (int j = 0; j < 2; j++) {
                    z += w[r * 2 + j] * x[t * 2 + j] + u[r * 2 + j] * hPrev[j];
                }
                hn[r] = Math.tanh(z);
                assertThat(got[t * 2 + r]).isCloseTo(hn[r], within(1e-15));
            }
            hPrev = hn;
        }
    }

    @Test
    void s6OneChannelOneStateFollowsTheSelectiveRecurrence() {
        // E = D = 1 (R = 1), N = 1: x_proj rows are [δ; B; C]
        double[] xProj = {0.7, -0.4, 1.3};
        double wdt = 0.9;
        double bdt = -1.2;
        double alog = Math.log(2.0);
        double dskip = 0.5;
        double[] x = {0.3, -1.1, 2.0};
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("x_proj.weight", HostTensor.of(xProj, 3, 1));
        p.put("dt_proj.weight", HostTensor.of(new double[] {wdt}, 1, 1));
        p.put("dt_proj.bias", HostTensor.of(new double[] {bdt}, 1));
        p.put("A_log", HostTensor.of(new double[] {alog}, 1, 1));
        p.put("D", HostTensor.of(new double[] {dskip}, 1));
        for (ForwardMode.Evaluation e : ForwardMode.Evaluation.values()) {
            Map<String, HostTensor> in = new LinkedHashMap<>(p);
            in.put("x", HostTensor.of(x, 1, 3, 1));
            S6Layer s6 = new S6Layer(1, 1, 1);
            double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                    return s6.forward(ops, q, q.get("x"), new ForwardMode(false, null, e));
                }
            });
            double hState = 0;
            for (int t = 0; t < 3; t++) {
                double delta = softplus(wdt * (xProj[0] * x[t]) + bdt);
                double bt = xProj[1] * x[t];
                double ct = xProj[2] * x[t];
                hState = Math.exp(delta * -Math.exp(alog)) * hState + delta * bt * x[t];
                assertThat(got[t]).as("%s y_%d", e, t).isCloseTo(ct * hState + dskip * x[t], within(1e-15));
            }
        }
    }

    @Test
    void s4dDiscretisesAndRunsOnAHandExample() {
        // E = 1, N = 2; log_dt = log 0.5 so Δ = softplus(0.5) [QUIRK: softplus of exp(log_dt)]
        double logDt = Math.log(0.5);
        double[] bRe = {1.0, 0.0};
        double[] bIm = {0.0, 1.0};
        double[] cRe = {0.5, -0.25};
        double[] cIm = {0.2, 0.1};
        double dskip = 0.3;
        double[] x = {1.0, 2.0};
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("log_dt", HostTensor.of(new double[] {logDt}, 1));
        p.put("A_real_log", HostTensor.of(new double[] {Math.log(0.5), Math.log(0.5)}, 1, 2));
        p.put("A_imag", HostTensor.of(new double[] {Math.PI, 2 * Math.PI}, 1, 2));
        p.put("B_re", HostTensor.of(bRe, 1, 2));
        p.put("B_im", HostTensor.of(bIm, 1, 2));
        p.put("C_re", HostTensor.of(cRe, 1, 2));
        p.put("C_im", HostTensor.of(cIm, 1, 2));
        p.put("D", HostTensor.of(new double[] {dskip}, 1));
        S4dLayer s4 = new S4dLayer(1, 2);
        double delta = softplus(0.5);
        double[] trans = BaselineFixtures.value(p, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                var z = s4.transition(ops, q);
                return ops.concat(java.util.List.of(z.re(), z.im()), 0);
            }
        });
        double[] aRe = new double[2];
        double[] aIm = new double[2];
        for (int n = 0; n < 2; n++) {
            double mag = Math.exp(-0.5 * delta);
            aRe[n] = mag * Math.cos(delta * Math.PI * (n + 1));
            aIm[n] = mag * Math.sin(delta * Math.PI * (n + 1));
            assertThat(trans[n]).isCloseTo(aRe[n], within(1e-15));
            assertThat(trans[2 + n]).isCloseTo(aIm[n], within(1e-15));
        }
        double[] got = layer(s4, p, x, 1, 2, 1);
        double[] hr = new double[2];
        double[] hi = new double[2];
        for (int t = 0; t < 2; t++) {
            double y = dskip * x[t];
            for (int n = 0; n < 2; n++) {
                double nr = aRe[n] * hr[n] - aIm[n] * hi[n] + delta * bRe[n] * x[t];
                double ni = aRe[n] * hi[n] + aIm[n] * hr[n] + delta * bIm[n] * x[t];
                hr[n] = nr;
                hi[n] = ni;
                y += 2 * (cRe[n] * hr[n] - cIm[n] * hi[n]);
            }
            assertThat(got[t]).as("y_%d", t).isCloseTo(y, within(1e-14));
        }
    }

    @Test
    void lruOneStateFollowsItsRecurrence() {
        double nu = Math.log(0.3);
        double theta = Math.log(1.1);
        double gammaLog = Math.log(0.8);
        double bRe = 0.6;
        double bIm = -0.4;
        double cRe = 1.2;
        double cIm = 0.7;
        double d = -0.5;
        double[] x = {1.0, -2.0, 0.5};
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("nu_log", HostTensor.of(new double[] {nu}, 1));
        p.put("theta_log", HostTensor.of(new double[] {theta}, 1));
        p.put("B_re", HostTensor.of(new double[] {bRe}, 1, 1));
        p.put("B_im", HostTensor.of(new double[] {bIm}, 1, 1));
        p.put("C_re", HostTensor.of(new double[] {cRe}, 1, 1));
        p.put("C_im", HostTensor.of(new double[] {cIm}, 1, 1));
        p.put("D", HostTensor.of(new double[] {d}, 1));
        p.put("gamma_log", HostTensor.of(new double[] {gammaLog}, 1));
        double[] got = layer(new LruLayer(1, 1, 0, 1, 6.28), p, x, 1, 3, 1);
        double mod = Math.exp(-0.3);
        double lr = mod * Math.cos(1.1);
        double li = mod * Math.sin(1.1);
        double hr = 0;
        double hi = 0;
        for (int t = 0; t < 3; t++) {
            double nr = lr * hr - li * hi + 0.8 * bRe * x[t];
            double ni = lr * hi + li * hr + 0.8 * bIm * x[t];
            hr = nr;
            hi = ni;
            assertThat(got[t]).isCloseTo(cRe * hr - cIm * hi + d * x[t], within(1e-15));
        }
    }

    @Test
    void s5ZeroOrderHoldOnOneState() {
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("Lambda_re", HostTensor.of(new double[] {-0.5}, 1));
        p.put("Lambda_im", HostTensor.of(new double[] {1.0}, 1));
        p.put("log_step", HostTensor.of(new double[] {Math.log(0.1)}, 1));
        S5Layer s5 = new S5Layer(1, 2, 1);
        double[] got = BaselineFixtures.value(p, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                S5Layer.Zoh<T> z = s5.discretize(ops, q);
                return ops.concat(java.util.List.of(z.bar().re(), z.bar().im(), z.gain().re(), z.gain().im()), 0);
            }
        });
        double mag = Math.exp(-0.05);
        double br = mag * Math.cos(0.1);
        double bi = mag * Math.sin(0.1);
        // (λ̄ − 1)/Λ with Λ = −0.5 + i: multiply by conj(Λ)/|Λ|²
        double den = 0.25 + 1.0;
        double gr = ((br - 1) * -0.5 + bi * 1.0) / den;
        double gi = (bi * -0.5 - (br - 1) * 1.0) / den;
        assertThat(got).containsExactly(new double[] {br, bi, gr, gi}, within(1e-15));
        // for small Δ the gain tends to Δ: the forward-Euler limit of ZOH
        assertThat(Math.hypot(gr - 0.1, gi)).isLessThan(0.1 * 0.1);
    }

    @Test
    void s5ClipsPositiveRealParts() {
        Map<String, HostTensor> p = new LinkedHashMap<>();
        p.put("Lambda_re", HostTensor.of(new double[] {0.3}, 1));
        p.put("Lambda_im", HostTensor.of(new double[] {0.0}, 1));
        p.put("log_step", HostTensor.of(new double[] {0.0}, 1));
        S5Layer s5 = new S5Layer(1, 2, 1);
        double[] got = BaselineFixtures.value(p, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                return s5.discretize(ops, q).bar().re();
            }
        });
        assertThat(got[0]).isCloseTo(Math.exp(-1e-4), within(1e-15));
    }

    @Test
    void causalDepthwiseConvolutionPadsOnTheLeft() {
        double[] w = {0.5, -1.0, 2.0, 0.1, 0.2, 0.3}; // (E = 2, 1, K = 3)
        double[] bias = {0.25, -0.5};
        double[] x = {1, 10, 2, 20, 3, 30, 4, 40}; // (1, L = 4, E = 2)
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("w", HostTensor.of(w, 2, 1, 3));
        in.put("b", HostTensor.of(bias, 2));
        in.put("x", HostTensor.of(x, 1, 4, 2));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return MambaV1Layer.causalConv(ops, p.get("x"), p.get("w"), p.get("b"));
            }
        });
        for (int t = 0; t < 4; t++) {
            for (int e = 0; e < 2; e++) {
                double y = bias[e];
                for (int k = 0; k < 3; k++) {
                    int src = t - 2 + k; // w[K−1] multiplies the current input
                    if (src >= 0) {
                        y += w[e * 3 + k] * x[src * 2 + e];
                    }
                }
                assertThat(got[t * 2 + e]).isCloseTo(y, within(1e-15));
            }
        }
    }

    @Test
    void rotaryEmbeddingRotatesHalvesByPositionTimesFrequency() {
        double[] v = {1, 2, 3, 4};
        double[] x = new double[3 * 4];
        for (int t = 0; t < 3; t++) {
            System.arraycopy(v, 0, x, t * 4, 4);
        }
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(x, 1, 3, 4));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Attention.rotary(ops, p.get("x"));
            }
        });
        for (int t = 0; t < 3; t++) {
            double a0 = t;           // f_0 = 1
            double a1 = t / 100.0;   // f_1 = 10000^{−1/2}
            double[] expected = {
                1 * Math.cos(a0) - 3 * Math.sin(a0),
                2 * Math.cos(a1) - 4 * Math.sin(a1),
                3 * Math.cos(a0) + 1 * Math.sin(a0),
                4 * Math.cos(a1) + 2 * Math.sin(a1)};
            for (int j = 0; j < 4; j++) {
                assertThat(got[t * 4 + j]).as("t=%d j=%d", t, j).isCloseTo(expected[j], within(1e-15));
            }
        }
        assertThat(java.util.Arrays.copyOf(got, 4)).containsExactly(v); // position 0 is not rotated
    }

    /**
     * Two heads with RoPE, written out as R1 does it (split heads to (nh, L, dh), {@code apply_rope} on each
     * head's halves, {@code QKᵀ/√dh} + causal mask, softmax, {@code PV}, merge): the model's attention, which
     * rotates the {@code (B, L, nh, dh)} view with {@code x⊙cos + (x·R)⊙sin}, gives the same numbers.
     */
    @Test
    void causalAttentionWithRopeOnTwoHeadsFollowsR1HeadByHead() {
        int b = 2;
        int len = 4;
        int heads = 2;
        int dh = 4;
        int h = heads * dh;
        double[] q = new double[b * len * h];
        double[] k = new double[b * len * h];
        double[] v = new double[b * len * h];
        org.lincde.spi.Rng rng = org.lincde.spi.Rng.seeded(21);
        rng.fillNormal(q, 0, 1);
        rng.fillNormal(k, 0, 1);
        rng.fillNormal(v, 0, 1);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(q, b, len, h));
        in.put("k", HostTensor.of(k, b, len, h));
        in.put("v", HostTensor.of(v, b, len, h));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Attention.causalSelfAttention(ops, p.get("q"), p.get("k"), p.get("v"), heads, true, 0.0,
                        ForwardMode.inference());
            }
        });
        int half = dh / 2;
        for (int s = 0; s < b; s++) {
            for (int n = 0; n < heads; n++) {
                double[][] qr = new double[len][dh];
                double[][] kr = new double[len][dh];
                for (int t = 0; t < len; t++) {
                    for (int j = 0; j < half; j++) {
                        double angle = t / Math.pow(10000.0, (double) j / half);
                        double c = Math.cos(angle);
                        double sn = Math.sin(angle);
                        int base = (s * len + t) * h + n * dh;
                        qr[t][j] = q[base + j] * c - q[base + half + j] * sn;
                        qr[t][half + j] = q[base + half + j] * c + q[base + j] * sn;
                        kr[t][j] = k[base + j] * c - k[base + half + j] * sn;
                        kr[t][half + j] = k[base + half + j] * c + k[base + j] * sn;
                    }
                }
                for (int t = 0; t < len; t++) {
                    double[] w = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        for (int j = 0; j < dh; j++) {
                            w[u] += qr[t][j] * kr[u][j];
                        }
                        w[u] /= Math.sqrt(dh);
                        max = Math.max(max, w[u]);
                    }
                    double z = 0;
                    for (int u = 0; u <= t; u++) {
                        w[u] = Math.exp(w[u] - max);
                        z += w[u];
                    }
                    for (int j = 0; j < dh; j++) {
                        double o = 0;
                        for (int u = 0; u <= t; u++) {
                            o += w[u] / z * v[(s * len + u) * h + n * dh + j];
                        }
                        assertThat(got[(s * len + t) * h + n * dh + j]).as("sequence %d head %d t %d j %d", s, n, t, j)
                                .isCloseTo(o, within(1e-13));
                    }
                }
            }
        }
    }

    @Test
    void causalAttentionOnTwoPositions() {
        double[] q = {1, 0, 0.5, -1};
        double[] k = {0.3, 0.2, -0.4, 1.0};
        double[] v = {1, 2, 3, 4};
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(q, 1, 2, 2));
        in.put("k", HostTensor.of(k, 1, 2, 2));
        in.put("v", HostTensor.of(v, 1, 2, 2));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Attention.causalSelfAttention(ops, p.get("q"), p.get("k"), p.get("v"), 1, false, 0.0,
                        ForwardMode.inference());
            }
        });
        assertThat(got[0]).isEqualTo(1.0);
        assertThat(got[1]).isEqualTo(2.0);
        double s0 = (0.5 * 0.3 + -1 * 0.2) / Math.sqrt(2);
        double s1 = (0.5 * -0.4 + -1 * 1.0) / Math.sqrt(2);
        double w0 = Math.exp(s0) / (Math.exp(s0) + Math.exp(s1));
        assertThat(got[2]).isCloseTo(w0 * 1 + (1 - w0) * 3, within(1e-15));
        assertThat(got[3]).isCloseTo(w0 * 2 + (1 - w0) * 4, within(1e-15));
    }

    @Test
    void sinusoidalEncodingUsesSinOnEvenAndCosOnOddFeatures() {
        double[] pe = Attention.sinusoidal(3, 4);
        assertThat(pe[0]).isEqualTo(0.0);
        assertThat(pe[1]).isEqualTo(1.0);
        assertThat(pe[4]).isCloseTo(Math.sin(1), within(1e-15));
        assertThat(pe[5]).isCloseTo(Math.cos(1), within(1e-15));
        assertThat(pe[2 * 4 + 2]).isCloseTo(Math.sin(2 * Math.pow(10000, -2.0 / 4)), within(1e-15));
        assertThat(pe[2 * 4 + 3]).isCloseTo(Math.cos(2 * Math.pow(10000, -2.0 / 4)), within(1e-15));
    }

    @Test
    void gluGeluTanhMinimumAndBatchNormFollowTheirFormulas() {
        double[] x = {-1.5, 0.2, 3.0, -0.7, 1.1, 0.0, 2.5, -2.0, 0.4, 0.9, -0.3, 1.7}; // (2, 2, 3)
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(x, 2, 2, 3));
        double[] bn = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Activations.batchNorm(ops, p.get("x"), 1e-5);
            }
        });
        for (int ch = 0; ch < 3; ch++) {
            double mean = 0;
            for (int r = 0; r < 4; r++) {
                mean += x[r * 3 + ch] / 4;
            }
            double var = 0;
            for (int r = 0; r < 4; r++) {
                var += (x[r * 3 + ch] - mean) * (x[r * 3 + ch] - mean) / 4;
            }
            for (int r = 0; r < 4; r++) {
                assertThat(bn[r * 3 + ch]).isCloseTo((x[r * 3 + ch] - mean) / Math.sqrt(var + 1e-5), within(1e-14));
            }
        }
        double[] g = BaselineFixtures.value(Map.of("x", HostTensor.of(new double[] {1.0, -2.0, 0.5, 3.0}, 1, 4)), new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Activations.glu(ops, p.get("x"));
            }
        });
        assertThat(g).containsExactly(new double[] {1.0 * sigmoid(0.5), -2.0 * sigmoid(3.0)}, within(1e-15));
        double[] pts = {-3, -0.5, 0, 0.7, 2.2};
        double[] gt = BaselineFixtures.value(Map.of("x", HostTensor.of(pts, 5)), new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Activations.geluTanh(ops, p.get("x"));
            }
        });
        double[] mn = BaselineFixtures.value(Map.of("x", HostTensor.of(pts, 5)), new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Activations.minimum(ops, p.get("x"), 0.5);
            }
        });
        for (int i = 0; i < pts.length; i++) {
            double z = pts[i];
            double ref = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            assertThat(gt[i]).isCloseTo(ref, within(1e-15));
            assertThat(mn[i]).isCloseTo(Math.min(z, 0.5), within(1e-15));
        }
    }
}
