package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.lincde.spi.testing.SharedFixtures.mean;
import static org.lincde.spi.testing.SharedFixtures.std;

import org.junit.jupiter.api.Test;
import org.lincde.spi.LruSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.S5Spec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.model.baseline.HippoLegS;

/** Initial values against the SPEC's init rules (§2.1–2.7): exact constants, ranges and sample moments. */
class InitStatisticsTest {

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void s6StepBiasIsAnInverseSoftplusOfALogUniformStep() {
        // R3 S6: width D = 256, N = 16, R = ⌈256/16⌉ = 16
        ParameterSet p = BaselineFixtures.init(MambaSpec.r3S6(3, 2, 1, 256, 16), 1);
        double[] bias = p.get("blocks.0.mamba.dt_proj.bias").data();
        double[] logStep = new double[bias.length];
        for (int d = 0; d < bias.length; d++) {
            double step = Math.log1p(Math.exp(bias[d]));
            assertThat(step).isBetween(1e-3 * (1 - 1e-12), 1e-1 * (1 + 1e-12));
            logStep[d] = Math.log(step);
        }
        // log Δ ~ U(log 1e−3, log 1e−1): mean log 1e−2, std (log 100)/√12 ≈ 1.33
        assertThat(mean(logStep)).isCloseTo(Math.log(1e-2), within(0.3));
        assertThat(std(logStep)).isCloseTo(Math.log(100) / Math.sqrt(12), within(0.15));
        double[] alog = p.get("blocks.0.mamba.A_log").data();
        for (int d = 0; d < 256; d++) {
            for (int n = 0; n < 16; n++) {
                assertThat(alog[d * 16 + n]).isCloseTo(Math.log(n + 1.0), within(1e-15));
            }
        }
        assertThat(p.get("blocks.0.mamba.D").data()).containsOnly(1.0);
        double[] wdt = p.get("blocks.0.mamba.dt_proj.weight").data();
        assertThat(p.get("blocks.0.mamba.dt_proj.weight").shape()).containsExactly(256, 16);
        assertThat(maxAbs(wdt)).isLessThanOrEqualTo(1 / Math.sqrt(16));
        assertThat(std(wdt)).isCloseTo(1 / Math.sqrt(16) / Math.sqrt(3), within(0.01));
        assertThat(p.get("blocks.0.mamba.x_proj.weight").shape()).containsExactly(16 + 2 * 16, 256);
    }

    @Test
    void mambaV1ProjectionsAndConvolutionUsePyTorchDefaults() {
        ParameterSet p = BaselineFixtures.init(MambaSpec.r3Mamba(3, 2, 1, 64, 16, 4, 2), 1);
        double[] conv = p.get("blocks.0.mamba.conv1d.weight").data();
        assertThat(p.get("blocks.0.mamba.conv1d.weight").shape()).containsExactly(128, 1, 4);
        assertThat(maxAbs(conv)).isLessThanOrEqualTo(0.5);
        assertThat(std(conv)).isCloseTo(0.5 / Math.sqrt(3), within(0.02));
        double[] in = p.get("blocks.0.mamba.in_proj.weight").data();
        assertThat(p.get("blocks.0.mamba.in_proj.weight").shape()).containsExactly(256, 64);
        assertThat(maxAbs(in)).isLessThanOrEqualTo(1 / 8.0);
        // R = ⌈D/16⌉ = 4 although the scan runs at E = 128
        assertThat(p.get("blocks.0.mamba.dt_proj.weight").shape()).containsExactly(128, 4);
        assertThat(p.contains("blocks.0.mamba.in_proj.bias")).isFalse();
        assertThat(p.contains("blocks.0.mamba.out_proj.bias")).isFalse();
    }

    @Test
    void s4dStartsFromS4dLinAndLogUniformSteps() {
        SequenceIo io = SequenceIo.channels(2, 1);
        ParameterSet p = BaselineFixtures.init(new SequenceModelSpec(io, SequenceModelSpec.Core.S4D, 200, 8, 1,
                SequenceModelSpec.Mix.GELU, false, 0), 3);
        assertThat(p.get("ssms.0.A_real_log").data()).containsOnly(Math.log(0.5));
        double[] imag = p.get("ssms.0.A_imag").data();
        for (int d = 0; d < 200; d++) {
            for (int n = 0; n < 8; n++) {
                assertThat(imag[d * 8 + n]).isEqualTo(Math.PI * (n + 1));
            }
        }
        for (double l : p.get("ssms.0.log_dt").data()) {
            assertThat(Math.exp(l)).isBetween(1e-3 * (1 - 1e-12), 1e-1 * (1 + 1e-12));
        }
        // complex Xavier-normal: each part N(0, 1/(E+N))
        double expected = Math.sqrt(1.0 / (200 + 8));
        assertThat(std(p.get("ssms.0.B_re").data())).isCloseTo(expected, within(0.1 * expected));
        assertThat(std(p.get("ssms.0.C_im").data())).isCloseTo(expected, within(0.1 * expected));
        assertThat(p.get("ssms.0.D").data()).containsOnly(1.0);
    }

    @Test
    void lruEigenvaluesFillTheRingAndGammaNormalises() {
        int n = 4000;
        int h = 50;
        ParameterSet p = BaselineFixtures.init(LruSpec.r3(2, 2, 1, h, n), 5);
        double[] nu = p.get("blocks.0.lru.nu_log").data();
        double[] theta = p.get("blocks.0.lru.theta_log").data();
        double[] gamma = p.get("blocks.0.lru.gamma_log").data();
        double[] mod2 = new double[n];
        double[] phase = new double[n];
        for (int i = 0; i < n; i++) {
            double mod = Math.exp(-Math.exp(nu[i]));
            mod2[i] = mod * mod;
            phase[i] = Math.exp(theta[i]);
            assertThat(mod).isBetween(0.0, 1.0);
            assertThat(phase[i]).isBetween(0.0, 6.28);
            assertThat(gamma[i]).isCloseTo(Math.log(Math.sqrt(1 - mod2[i])), within(1e-12));
        }
        // |λ|² = u₁ ~ U(0, 1); phase = 6.28·u₂
        assertThat(mean(mod2)).isCloseTo(0.5, within(0.02));
        assertThat(std(mod2)).isCloseTo(Math.sqrt(1.0 / 12), within(0.01));
        assertThat(mean(phase)).isCloseTo(3.14, within(0.15));
        assertThat(std(p.get("blocks.0.lru.B_re").data())).isCloseTo(1 / Math.sqrt(2.0 * h), within(0.005));
        assertThat(std(p.get("blocks.0.lru.C_im").data())).isCloseTo(1 / Math.sqrt(n), within(0.001));
    }

    @Test
    void s5StartsFromHippoEigenvaluesAndLecunProjections() {
        int h = 64;
        int pDim = 64;
        int blocks = 4;
        ParameterSet p = BaselineFixtures.init(S5Spec.r3(2, 2, 1, h, pDim, blocks), 6);
        int bs = pDim / blocks;
        int half = bs / 2;
        HippoLegS.Eigen eig = HippoLegS.normalPartEigen(bs);
        double[] lre = p.get("blocks.0.ssm.Lambda_re").data();
        double[] lim = p.get("blocks.0.ssm.Lambda_im").data();
        assertThat(lre).hasSize(pDim / 2).containsOnly(-0.5);
        for (int j = 0; j < blocks; j++) {
            for (int r = 0; r < half; r++) {
                assertThat(lim[j * half + r]).isEqualTo(eig.lambdaIm()[r]);
            }
        }
        for (double l : p.get("blocks.0.ssm.log_step").data()) {
            assertThat(Math.exp(l)).isBetween(1e-3 * (1 - 1e-12), 1e-1 * (1 + 1e-12));
        }
        // B̃ = V^H B with B real: B = 2·Re(V B̃) recovers it; it must be LeCun-normal (std 1/√P, |B| < 2.27/√P)
        double[] bRe = p.get("blocks.0.ssm.B_re").data();
        double[] bIm = p.get("blocks.0.ssm.B_im").data();
        double[] b = new double[pDim * h];
        for (int j = 0; j < blocks; j++) {
            for (int c = 0; c < bs; c++) {
                for (int k = 0; k < h; k++) {
                    double acc = 0;
                    for (int r = 0; r < half; r++) {
                        int at = (j * half + r) * h + k;
                        acc += eig.vRe()[c][r] * bRe[at] - eig.vIm()[c][r] * bIm[at];
                    }
                    b[(j * bs + c) * h + k] = 2 * acc;
                }
            }
        }
        assertThat(std(b)).isCloseTo(1 / Math.sqrt(pDim), within(0.01));
        assertThat(maxAbs(b)).isLessThan(2.0 / 0.87962566103423978 / Math.sqrt(pDim));
        // C̃ = C V with C's parts LeCun-normal for fan-in P·H: each part of C̃ has variance 1/(P·H)
        assertThat(std(p.get("blocks.0.ssm.C_re").data())).isCloseTo(1 / Math.sqrt(pDim * h), within(0.0015));
        assertThat(std(p.get("blocks.0.ssm.D").data())).isCloseTo(1.0, within(0.3));
    }

    @Test
    void hippoNormalPartEigenpairsAreExact() {
        HippoLegS.Eigen two = HippoLegS.normalPartEigen(2);
        assertThat(two.lambdaRe()[0]).isEqualTo(-0.5);
        assertThat(two.lambdaIm()[0]).isCloseTo(-Math.sqrt(3) / 2, within(1e-15));
        for (int n : new int[] {4, 8, 16, 32}) {
            double[][] s = HippoLegS.normalPart(n);
            HippoLegS.Eigen e = HippoLegS.normalPartEigen(n);
            double frob = 0;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    double k = r == c ? 0 : s[r][c];
                    frob += k * k;
                }
            }
            double tol = 1e-14 * Math.sqrt(frob); // residuals scale with ||S||
            double sumOmega2 = 0;
            for (int j = 0; j < n / 2; j++) {
                if (j > 0) {
                    assertThat(e.lambdaIm()[j]).isGreaterThanOrEqualTo(e.lambdaIm()[j - 1]); // eigh order
                }
                assertThat(e.lambdaIm()[j]).isNegative();
                sumOmega2 += e.lambdaIm()[j] * e.lambdaIm()[j];
                // residual of S v = λ v
                for (int r = 0; r < n; r++) {
                    double re = 0;
                    double im = 0;
                    for (int c = 0; c < n; c++) {
                        re += s[r][c] * e.vRe()[c][j];
                        im += s[r][c] * e.vIm()[c][j];
                    }
                    double lr = e.lambdaRe()[j];
                    double li = e.lambdaIm()[j];
                    assertThat(re - (lr * e.vRe()[r][j] - li * e.vIm()[r][j])).isCloseTo(0, within(tol));
                    assertThat(im - (lr * e.vIm()[r][j] + li * e.vRe()[r][j])).isCloseTo(0, within(tol));
                }
                // orthonormal columns: V^H V = I
                for (int k = 0; k < n / 2; k++) {
                    double re = 0;
                    double im = 0;
                    for (int r = 0; r < n; r++) {
                        re += e.vRe()[r][j] * e.vRe()[r][k] + e.vIm()[r][j] * e.vIm()[r][k];
                        im += e.vRe()[r][j] * e.vIm()[r][k] - e.vIm()[r][j] * e.vRe()[r][k];
                    }
                    assertThat(re).isCloseTo(j == k ? 1 : 0, within(1e-13));
                    assertThat(im).isCloseTo(0, within(1e-13));
                }
            }
            // the skew part's eigenvalues ±iω account for its whole Frobenius norm: 2 Σ ω² = ||S + ½I||²_F
            assertThat(2 * sumOmega2).isCloseTo(frob, within(1e-9 * frob));
        }
    }

    @Test
    void lstmAndEmbeddingFollowPyTorchDefaults() {
        ParameterSet p = BaselineFixtures.init(LstmSpec.r1(50, 4, 64, 2), 4);
        for (String name : new String[] {"lstm.weight_ih_l0", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "lstm.bias_hh_l0"}) {
            double[] v = p.get(name).data();
            assertThat(maxAbs(v)).as(name).isLessThanOrEqualTo(1 / 8.0);
        }
        assertThat(std(p.get("lstm.weight_ih_l0").data())).isCloseTo(1 / 8.0 / Math.sqrt(3), within(0.003));
        assertThat(p.get("lstm.weight_ih_l1").shape()).containsExactly(256, 64);
        assertThat(std(p.get("embedding.weight").data())).isCloseTo(1.0, within(0.03));
    }

    @Test
    void encoderLayerUsesMultiheadAttentionInit() {
        ParameterSet p = BaselineFixtures.init(new SequenceModelSpec(SequenceIo.tokens(5, 5),
                SequenceModelSpec.Core.TRANSFORMER, 32, 4, 1, SequenceModelSpec.Mix.GLU, true, 0.1), 4);
        String a = "ssms.0.transformer_layer.self_attn.";
        assertThat(p.get(a + "in_proj_bias").data()).containsOnly(0.0);
        assertThat(p.get(a + "out_proj.bias").data()).containsOnly(0.0);
        double bound = Math.sqrt(6.0 / (32 + 96));
        assertThat(maxAbs(p.get(a + "in_proj_weight").data())).isLessThanOrEqualTo(bound);
        assertThat(std(p.get(a + "in_proj_weight").data())).isCloseTo(bound / Math.sqrt(3), within(0.01));
        assertThat(p.get("ssms.0.transformer_layer.linear1.weight").shape()).containsExactly(2048, 32);
        assertThat(p.get("init_layer.embedding.weight").shape()).containsExactly(5, 32);
    }
}
