package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.DeltaRule;

/**
 * The delta rule's two forms (docs/models/deltanet.md §2–§3) on the float64 oracle: the token-by-token recurrence
 * and the chunked WY/UT form both equal a plain-Java loop over {@code S_t = (I − β k kᵀ) α S_{t−1} + β k vᵀ},
 * with and without decay, for lengths that fill, split and pad chunks; their gradients agree with each other and
 * with central finite differences; the doubling inverse of {@code I + A} equals forward substitution.
 */
class DeltaRuleFormsTest {
    private static final int B = 2;
    private static final int H = 2;
    private static final int DK = 3;
    private static final int DV = 4;

    /** Inputs of one case: unit keys, β ∈ (0, 2), log-decay g ∈ (−1, 0), and output weights R. */
    private static Map<String, HostTensor> inputs(int len, boolean gated, long seed) {
        Rng r = Rng.seeded(seed);
        double[] q = new double[B * H * len * DK];
        double[] k = new double[B * H * len * DK];
        double[] v = new double[B * H * len * DV];
        double[] beta = new double[B * H * len];
        double[] g = new double[B * H * len];
        double[] w = new double[B * H * len * DV];
        r.fillNormal(q, 0, 1);
        r.fillNormal(k, 0, 1);
        r.fillNormal(v, 0, 1);
        r.fillUniform(beta, 0.05, 1.95);
        r.fillUniform(g, -1.0, -0.01);
        r.fillNormal(w, 0, 1);
        for (int i = 0; i < B * H * len; i++) { // unit keys, as the layer's l2norm gives them
            double n = 0;
            for (int d = 0; d < DK; d++) {
                n += k[i * DK + d] * k[i * DK + d];
            }
            for (int d = 0; d < DK; d++) {
                k[i * DK + d] /= Math.sqrt(n);
            }
        }
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(q, B, H, len, DK));
        in.put("k", HostTensor.of(k, B, H, len, DK));
        in.put("v", HostTensor.of(v, B, H, len, DV));
        in.put("beta", HostTensor.of(beta, B, H, len));
        if (gated) {
            in.put("g", HostTensor.of(g, B, H, len));
        }
        in.put("w", HostTensor.of(w, B, H, len, DV));
        return in;
    }

    /** The recurrence in plain Java, straight from fla's naive {@code delta_rule_recurrence} (+ the gate). */
    static double[] plainLoop(Map<String, HostTensor> in, int len) {
        double[] q = in.get("q").data();
        double[] k = in.get("k").data();
        double[] v = in.get("v").data();
        double[] beta = in.get("beta").data();
        double[] g = in.containsKey("g") ? in.get("g").data() : null;
        double[] o = new double[B * H * len * DV];
        double scale = 1.0 / Math.sqrt(DK);
        for (int bh = 0; bh < B * H; bh++) {
            double[][] s = new double[DK][DV];
            for (int t = 0; t < len; t++) {
                int i = bh * len + t;
                double alpha = g == null ? 1.0 : Math.exp(g[i]);
                double[] u = new double[DV];
                for (int e = 0; e < DV; e++) {
                    double ks = 0;
                    for (int d = 0; d < DK; d++) {
                        s[d][e] *= alpha;
                        ks += k[i * DK + d] * s[d][e];
                    }
                    u[e] = beta[i] * (v[i * DV + e] - ks);
                }
                for (int d = 0; d < DK; d++) {
                    for (int e = 0; e < DV; e++) {
                        s[d][e] += k[i * DK + d] * u[e];
                    }
                }
                for (int e = 0; e < DV; e++) {
                    double acc = 0;
                    for (int d = 0; d < DK; d++) {
                        acc += q[i * DK + d] * scale * s[d][e];
                    }
                    o[i * DV + e] = acc;
                }
            }
        }
        return o;
    }

    /** One form as a function of the inputs; {@code weighted}: {@code w ⊙ o}, so the summed gradient weighs every output. */
    private static Session.OpsFunction fn(boolean chunked, int chunk, boolean gated, boolean weighted) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T g = gated ? p.get("g") : null;
                T o = chunked ? DeltaRule.chunked(ops, p.get("q"), p.get("k"), p.get("v"), p.get("beta"), g, chunk)
                        : DeltaRule.recurrent(ops, p.get("q"), p.get("k"), p.get("v"), p.get("beta"), g);
                return weighted ? ops.mul(o, p.get("w")) : o;
            }
        };
    }

    @Test
    void bothFormsEqualThePlainLoopAndEachOther() {
        try (Session s = BaselineFixtures.session()) {
            for (boolean gated : new boolean[] {false, true}) {
                for (int len : new int[] {1, 3, 8, 13, 40, 70}) {
                    Map<String, HostTensor> in = inputs(len, gated, 31L * len + (gated ? 1 : 0));
                    double[] expected = plainLoop(in, len);
                    Session.GradientResult rec = s.gradient(fn(false, 0, gated, true), in);
                    double[] recOut = s.gradient(fn(false, 0, gated, false), in).value().data();
                    assertThat(BaselineFixtures.maxAbsDiff(recOut, expected)).as("recurrent L=%d gated=%s", len, gated)
                            .isLessThanOrEqualTo(1e-13);
                    for (int chunk : new int[] {1, 2, 4, 8, 64, 0}) { // 0: the cheapest length
                        String what = String.format("chunk %d L=%d gated=%s", chunk, len, gated);
                        double[] chOut = s.gradient(fn(true, chunk, gated, false), in).value().data();
                        assertThat(BaselineFixtures.maxAbsDiff(chOut, expected)).as(what).isLessThanOrEqualTo(1e-12);
                        Session.GradientResult ch = s.gradient(fn(true, chunk, gated, true), in);
                        for (String name : in.keySet()) {
                            assertThat(BaselineFixtures.maxAbsDiff(rec.gradients().get(name).data(),
                                    ch.gradients().get(name).data())).as(what + " d/d" + name).isLessThanOrEqualTo(1e-11);
                        }
                    }
                }
            }
        }
    }

    /** Chunks of 4 (three chunks, a state carried) and 64 (one chunk of 11: {@code DeltaRule.oneChunk}). */
    @ParameterizedTest
    @ValueSource(ints = {4, 64})
    void chunkedGradientsMatchCentralDifferences(int chunk) {
        try (Session s = BaselineFixtures.session()) {
            for (boolean gated : new boolean[] {false, true}) {
                int len = 11;
                Map<String, HostTensor> in = inputs(len, gated, 77);
                Session.GradientResult ch = s.gradient(fn(true, chunk, gated, true), in);
                Rng pick = Rng.seeded(5);
                double h = 1e-5;
                for (String name : in.keySet()) {
                    if (name.equals("w")) {
                        continue;
                    }
                    double[] grad = ch.gradients().get(name).data();
                    for (int trial = 0; trial < 6; trial++) {
                        int i = pick.nextInt(grad.length);
                        double fd = (8 * (sumAt(s, in, chunk, gated, name, i, h) - sumAt(s, in, chunk, gated, name, i, -h))
                                - (sumAt(s, in, chunk, gated, name, i, 2 * h)
                                - sumAt(s, in, chunk, gated, name, i, -2 * h))) / (12 * h);
                        double err = Math.abs(grad[i] - fd) / Math.max(Math.abs(grad[i]) + Math.abs(fd), 1e-4);
                        assertThat(err).as("%s[%d] gated=%s: grad %s fd %s", name, i, gated, grad[i], fd)
                                .isLessThanOrEqualTo(1e-7);
                    }
                }
            }
        }
    }

    private static double sumAt(Session s, Map<String, HostTensor> in, int chunk, boolean gated, String name, int i,
                                double delta) {
        Map<String, HostTensor> m = new LinkedHashMap<>(in);
        HostTensor t = in.get(name).copy();
        t.data()[i] += delta;
        m.put(name, t);
        double acc = 0;
        for (double x : s.gradient(fn(true, chunk, gated, true), m).value().data()) {
            acc += x;
        }
        return acc;
    }

    @Test
    void theCheapestChunkIsOneChunkForShortSequencesWithWideHeads() {
        // fla's defaults at R1's sizes: one chunk of exactly L = 40 (no state to carry, no padding); DeltaProduct's
        // 2 · 40 interleaved steps likewise
        assertThat(DeltaRule.cheapestChunk(40, 256, 512, 256 * 6)).isEqualTo(40);
        assertThat(DeltaRule.cheapestChunk(80, 256, 512, 256 * 6)).isEqualTo(80);
        // narrow heads on long sequences: several chunks, but not one per token (each chunk costs ops)
        assertThat(DeltaRule.cheapestChunk(256, 16, 16, 128 * 4)).isBetween(4, 64);
        assertThat(DeltaRule.cheapestChunk(1, 8, 8, 1)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 11, 40})
    void doublingInverseEqualsForwardSubstitution(int c) {
        double[] a = new double[3 * c * c];
        Rng.seeded(9).fillNormal(a, 0, 0.8);
        for (int m = 0; m < 3; m++) {
            for (int i = 0; i < c; i++) {
                for (int j = i; j < c; j++) {
                    a[m * c * c + i * c + j] = 0; // strictly lower
                }
            }
        }
        double[] expected = new double[a.length];
        for (int m = 0; m < 3; m++) { // T (I + A) = I, row by row: T_i = e_i − Σ_{j<i} A_ij T_j
            int o = m * c * c;
            for (int i = 0; i < c; i++) {
                expected[o + i * c + i] = 1;
                for (int j = 0; j < i; j++) {
                    for (int col = 0; col < c; col++) {
                        expected[o + i * c + col] -= a[o + i * c + j] * expected[o + j * c + col];
                    }
                }
            }
        }
        Map<String, HostTensor> in = Map.of("a", HostTensor.of(a, 3, c, c));
        try (Session s = BaselineFixtures.session()) {
            double[] got = s.gradient(new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    return DeltaRule.invertUnitLower(ops, p.get("a"), c);
                }
            }, in).value().data();
            double scale = 0;
            for (double e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            assertThat(BaselineFixtures.maxAbsDiff(got, expected)).isLessThanOrEqualTo(1e-12 * Math.max(1, scale));
        }
    }
}
