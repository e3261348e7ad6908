package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.Mamba2Spec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.RwkvSpec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Models;
import org.lincde.spi.model.baseline.Bfloat16;
import org.lincde.spi.model.baseline.Mamba2Layer;
import org.lincde.spi.model.baseline.Rwkv6Layer;
import org.lincde.spi.model.baseline.Rwkv7Layer;
import org.lincde.spi.testing.SharedFixtures;

/**
 * Mamba2 (docs/models/mamba2.md) and RWKV-6/7 (docs/models/rwkv.md) on the float64 oracle: the recurrences against
 * plain-Java loops written from the libraries' reference code, the SSD chunked form against the recurrence (forward
 * and every gradient, chunks shorter and longer than the sequence), every gradient against finite differences, the
 * parameter shapes of R1's defaults, the initialisation, and the bfloat16 rounding.
 */
class Mamba2AndRwkvTest {
    private static final SequenceIo TOK = SequenceIo.tokens(5, 4);

    static Mamba2Spec mamba2(Mamba2Spec.Form form, int chunk) {
        return new Mamba2Spec(TOK, 4, 2, 3, 2, 2, 3, chunk, true, 0.1, form);
    }

    static RwkvSpec rwkv7(boolean bf16) {
        return new RwkvSpec(TOK, RwkvSpec.Version.RWKV7, 8, 2, 2, 8, 8, 3, 4, 2, 2, 0, true, 0.1, bf16,
                RwkvSpec.Form.RECURRENT, 3);
    }

    static RwkvSpec rwkv6(boolean bf16) {
        return new RwkvSpec(TOK, RwkvSpec.Version.RWKV6, 8, 2, 2, 4, 8, 3, 0, 0, 0, 2, false, 0.1, bf16,
                RwkvSpec.Form.RECURRENT, 3);
    }

    /** The init plus N(0, 0.3²) on every entry, so that the zero-initialised mixes, k_k, bonus … carry gradients. */
    static ParameterSet perturbed(ModelSpec spec, long seed) {
        ParameterSet p = BaselineFixtures.init(spec, seed);
        Rng r = Rng.seeded(seed + 1000);
        for (ParameterSet.Entry e : p.entries(ParameterSet.Entry::trainable)) {
            double[] v = e.tensor().data();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.3 * r.nextNormal();
            }
        }
        return p;
    }

    static Batch tokens(Rng r, int b, int len) {
        return BaselineFixtures.batch(new BaselineFixtures.Case("t", new org.lincde.spi.LstmSpec(TOK, 2, 1, 0.0)), r, b,
                len);
    }

    static List<ModelSpec> models() {
        return List.of(mamba2(Mamba2Spec.Form.RECURRENT, 256), mamba2(Mamba2Spec.Form.CHUNKED, 2), rwkv7(false),
                rwkv6(false), rwkv7(false).withForm(RwkvSpec.Form.CHUNKED).withChunkSize(2),
                rwkv6(false).withForm(RwkvSpec.Form.CHUNKED).withChunkSize(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsMatchCentralDifferences(ModelSpec spec) {
        try (Session s = BaselineFixtures.session(); SequenceModel m = s.model(spec, perturbed(spec, 3))) {
            Batch batch = tokens(Rng.seeded(21), 2, 5);
            StringBuilder where = new StringBuilder();
            double err = SharedFixtures.maxFiniteDifferenceError(m, List.of(batch), BaselineFixtures.crossEntropy(),
                    ForwardMode.training(Rng.seeded(5)), Rng.seeded(9), 3, 1e-5, where);
            assertThat(err).as(spec + " worst at " + where).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void ssdChunkedFormEqualsTheRecurrenceForwardAndBackward() {
        Mamba2Spec rec = mamba2(Mamba2Spec.Form.RECURRENT, 256);
        ParameterSet init = perturbed(rec, 4);
        try (Session s = BaselineFixtures.session(); SequenceModel r = s.model(rec, init)) {
            for (int len : new int[] {1, 2, 5, 8, 13}) {
                Batch batch = tokens(Rng.seeded(100 + len), 2, len);
                ForwardMode mode = ForwardMode.training(Rng.seeded(3));
                double[] want = r.forward(batch, mode).data();
                SequenceModel.LossReport gw = r.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(), mode);
                for (int chunk : new int[] {1, 2, 3, 4, 256}) {
                    assertChunkedEqualsRecurrence(s, rec.withForm(Mamba2Spec.Form.CHUNKED).withChunkSize(chunk), init,
                            batch, mode, want, gw, "L=" + len + " chunk=" + chunk, 1e-12);
                }
                // the scan evaluation mode runs the chunked form whatever the spec's form
                assertThat(BaselineFixtures.maxAbsDiff(want,
                        r.forward(batch, mode.with(ForwardMode.Evaluation.SCAN)).data())).isLessThanOrEqualTo(1e-12);
            }
        }
    }

    @Test
    void rwkvChunkedFormsEqualTheRecurrenceForwardAndBackward() {
        for (RwkvSpec rec : List.of(rwkv7(false), rwkv6(false))) {
            ParameterSet init = perturbed(rec, 5);
            try (Session s = BaselineFixtures.session(); SequenceModel r = s.model(rec, init)) {
                for (int len : new int[] {1, 2, 5, 8, 13}) {
                    Batch batch = tokens(Rng.seeded(200 + len), 2, len);
                    ForwardMode mode = ForwardMode.training(Rng.seeded(3));
                    double[] want = r.forward(batch, mode).data();
                    SequenceModel.LossReport gw = r.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(),
                            mode);
                    for (int chunk : new int[] {1, 2, 3, 4, 16}) {
                        assertChunkedEqualsRecurrence(s, rec.withForm(RwkvSpec.Form.CHUNKED).withChunkSize(chunk),
                                init, batch, mode, want, gw, rec.version() + " L=" + len + " chunk=" + chunk, 1e-11);
                    }
                }
            }
        }
    }

    /**
     * R1's RWKV-7 keeps {@code k_k = 0} (docs/models/rwkv.md §"k_k = 0"), and its chunked form then leaves the DPLR
     * term out: the model's chunked outputs and every gradient (k_k's included, 0) equal the recurrence, which
     * evaluates the term in full.
     */
    @Test
    void rwkv7ChunkedFormWithZeroRemovalKeysEqualsTheFullRecurrence() {
        RwkvSpec rec = rwkv7(false);
        ParameterSet init = perturbed(rec, 6);
        for (ParameterSet.Entry e : init.entries(x -> x.name().endsWith("layer.k_k"))) {
            java.util.Arrays.fill(e.tensor().data(), 0.0);
        }
        try (Session s = BaselineFixtures.session(); SequenceModel r = s.model(rec, init)) {
            for (int len : new int[] {1, 5, 13}) {
                Batch batch = tokens(Rng.seeded(300 + len), 2, len);
                ForwardMode mode = ForwardMode.training(Rng.seeded(3));
                double[] want = r.forward(batch, mode).data();
                SequenceModel.LossReport gw = r.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(),
                        mode);
                assertThat(gw.gradients().get("blocks.1.layer.k_k").data()).containsOnly(0.0);
                for (int chunk : new int[] {1, 3, 16}) {
                    assertChunkedEqualsRecurrence(s, rec.withForm(RwkvSpec.Form.CHUNKED).withChunkSize(chunk),
                            init, batch, mode, want, gw, "k_k = 0, L=" + len + " chunk=" + chunk, 1e-11);
                }
            }
        }
    }

    /**
     * {@link org.lincde.spi.model.baseline.RwkvChunked#dplr} without {@code a, b} gives the values and the gradients
     * of {@code q, w, k, v} that zero {@code a, b} give, bit for bit (up to the sign of a zero).
     */
    @Test
    void dplrChunksWithoutTheLowRankTermAreTheZeroTermBitForBit() {
        int b = 2;
        int len = 11;
        int h = 2;
        int k = 3;
        int v = 2;
        Rng r = Rng.seeded(12);
        int nk = b * len * h * k;
        double[] w = new double[nk];
        for (int i = 0; i < nk; i++) {
            w[i] = -0.6065306597126334 / (1 + Math.exp(-(1 + 2 * r.nextNormal())));
        }
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(BaselineFixtures.normals(r, nk, 1), b, len, h, k));
        in.put("k", HostTensor.of(BaselineFixtures.normals(r, nk, 1), b, len, h, k));
        in.put("v", HostTensor.of(BaselineFixtures.normals(r, b * len * h * v, 1), b, len, h, v));
        in.put("w", HostTensor.of(w, b, len, h, k));
        double[] g = BaselineFixtures.normals(r, b * len * h * v, 1);
        for (int chunk : new int[] {1, 3, 4, 16}) {
            Session.GradientResult full;
            Session.GradientResult skipped;
            try (Session s = BaselineFixtures.session()) {
                full = s.gradient(new Session.OpsFunction() {
                    @Override
                    public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                        T zero = ops.full(0.0, b, len, h, k);
                        return ops.mul(org.lincde.spi.model.baseline.RwkvChunked.dplr(ops, p.get("q"), p.get("w"),
                                p.get("k"), p.get("v"), zero, zero, chunk), ops.constant(g, b, len, h, v));
                    }
                }, in);
                skipped = s.gradient(new Session.OpsFunction() {
                    @Override
                    public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                        return ops.mul(org.lincde.spi.model.baseline.RwkvChunked.dplr(ops, p.get("q"), p.get("w"),
                                p.get("k"), p.get("v"), null, null, chunk), ops.constant(g, b, len, h, v));
                    }
                }, in);
            }
            assertSameValues(full.value().data(), skipped.value().data(), "o, chunk " + chunk);
            for (String name : in.keySet()) {
                assertSameValues(full.gradients().get(name).data(), skipped.gradients().get(name).data(),
                        "d" + name + ", chunk " + chunk);
            }
        }
    }

    private static void assertSameValues(double[] want, double[] got, String at) {
        assertThat(got).as(at).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {  // == : +0 and −0 count as equal
                throw new AssertionError(at + " [" + i + "]: " + got[i] + " instead of " + want[i]);
            }
        }
    }

    /**
     * The chunked model {@code chunked} gives the recurrence's outputs {@code want} (within 1e-12) and gradients
     * {@code gw} (within {@code gradTol}) on {@code batch}.
     */
    private static void assertChunkedEqualsRecurrence(Session s, ModelSpec chunked, ParameterSet init, Batch batch,
                                                      ForwardMode mode, double[] want, SequenceModel.LossReport gw,
                                                      String at, double gradTol) {
        try (SequenceModel c = s.model(chunked, init)) {
            assertThat(BaselineFixtures.maxAbsDiff(want, c.forward(batch, mode).data())).as(at)
                    .isLessThanOrEqualTo(1e-12);
            SequenceModel.LossReport gc = c.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(), mode);
            for (ParameterSet.Entry e : gw.gradients().entries()) {
                assertThat(BaselineFixtures.maxAbsDiff(e.tensor().data(), gc.gradients().get(e.name()).data()))
                        .as(at + " d/d" + e.name()).isLessThanOrEqualTo(gradTol);
            }
        }
    }

    @Test
    void rwkvChunkedRecurrencesMatchTheLoopsAtStrongDecays() {
        int b = 2;
        int len = 11;
        int h = 2;
        int k = 3;
        int v = 2;
        Rng r = Rng.seeded(10);
        int nk = b * len * h * k;
        double[] q = BaselineFixtures.normals(r, nk, 1);
        double[] kk = BaselineFixtures.normals(r, nk, 1);
        double[] vv = BaselineFixtures.normals(r, b * len * h * v, 1);
        double[] strong = new double[nk];   // RWKV-6: w = −exp(z), z ~ N(1, 2²): steps down to e^{−400}
        double[] bounded = new double[nk];  // RWKV-7: −e^{−1/2} σ(z)
        for (int i = 0; i < nk; i++) {
            double z = 1 + 2 * r.nextNormal();
            strong[i] = -Math.exp(z);
            bounded[i] = -0.6065306597126334 / (1 + Math.exp(-z));
        }
        double[] aa = BaselineFixtures.normals(r, nk, 0.5);
        double[] bb = BaselineFixtures.normals(r, nk, 0.5);
        double[] u = BaselineFixtures.normals(r, h * k, 1);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(q, b, len, h, k));
        in.put("k", HostTensor.of(kk, b, len, h, k));
        in.put("v", HostTensor.of(vv, b, len, h, v));
        in.put("w6", HostTensor.of(strong, b, len, h, k));
        in.put("w7", HostTensor.of(bounded, b, len, h, k));
        in.put("a", HostTensor.of(aa, b, len, h, k));
        in.put("b", HostTensor.of(bb, b, len, h, k));
        in.put("u", HostTensor.of(u, h, k));
        double[] rec6 = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Rwkv6Layer.recurrent(ops, p.get("q"), p.get("k"), p.get("v"), p.get("w6"), p.get("u"));
            }
        });
        double[] rec7 = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Rwkv7Layer.recurrent(ops, p.get("q"), p.get("w7"), p.get("k"), p.get("v"), p.get("a"),
                        p.get("b"));
            }
        });
        for (int chunk : new int[] {1, 3, 4, 11, 16}) {
            double[] c6 = BaselineFixtures.value(in, new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    return org.lincde.spi.model.baseline.RwkvChunked.rwkv6(ops, p.get("q"), p.get("k"), p.get("v"),
                            p.get("w6"), p.get("u"), chunk);
                }
            });
            double[] c7 = BaselineFixtures.value(in, new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    return org.lincde.spi.model.baseline.RwkvChunked.dplr(ops, p.get("q"), p.get("w7"), p.get("k"),
                            p.get("v"), p.get("a"), p.get("b"), chunk);
                }
            });
            assertThat(BaselineFixtures.maxAbsDiff(rec6, c6)).as("rwkv6 chunk " + chunk).isLessThanOrEqualTo(1e-12);
            assertThat(BaselineFixtures.maxAbsDiff(rec7, c7)).as("rwkv7 chunk " + chunk).isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    void mamba2RecurrenceFollowsTheLibrarysStepLoop() {
        int b = 2;
        int len = 6;
        int h = 3;
        int p = 2;
        int n = 4;
        Rng r = Rng.seeded(7);
        double[] x = BaselineFixtures.normals(r, b * len * h * p, 1);
        double[] dt = new double[b * len * h];
        for (int i = 0; i < dt.length; i++) {
            dt[i] = Math.log1p(Math.exp(r.nextNormal())); // softplus of a normal
        }
        double[] a = {-1.0, -4.0, -0.3};
        double[] bm = BaselineFixtures.normals(r, b * len * n, 1);
        double[] cm = BaselineFixtures.normals(r, b * len * n, 1);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("x", HostTensor.of(x, b, len, h, p));
        in.put("dt", HostTensor.of(dt, b, len, h));
        in.put("a", HostTensor.of(a, h));
        in.put("B", HostTensor.of(bm, b, len, n));
        in.put("C", HostTensor.of(cm, b, len, n));
        double[] rec = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                return Mamba2Layer.recurrent(ops, q.get("x"), q.get("dt"), q.get("a"), q.get("B"), q.get("C"));
            }
        });
        for (int chunk : new int[] {1, 4, 6, 64}) {
            double[] ch = BaselineFixtures.value(in, new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                    return Mamba2Layer.chunked(ops, q.get("x"), q.get("dt"), q.get("a"), q.get("B"), q.get("C"), chunk);
                }
            });
            assertThat(BaselineFixtures.maxAbsDiff(rec, ch)).as("chunk " + chunk).isLessThanOrEqualTo(1e-12);
        }
        // Mamba2.step (mamba2.py lines 313–318): dA = exp(dt·A); state = state·dA + dt·B·x; y = state·C
        for (int bi = 0; bi < b; bi++) {
            double[][][] state = new double[h][p][n];
            for (int t = 0; t < len; t++) {
                for (int hh = 0; hh < h; hh++) {
                    double d = dt[(bi * len + t) * h + hh];
                    double dA = Math.exp(d * a[hh]);
                    for (int pp = 0; pp < p; pp++) {
                        double xv = x[((bi * len + t) * h + hh) * p + pp];
                        double y = 0;
                        for (int nn = 0; nn < n; nn++) {
                            state[hh][pp][nn] = state[hh][pp][nn] * dA + d * bm[(bi * len + t) * n + nn] * xv;
                            y += state[hh][pp][nn] * cm[(bi * len + t) * n + nn];
                        }
                        assertThat(rec[((bi * len + t) * h + hh) * p + pp]).isCloseTo(y, within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void gatedRmsNormIsNormOfTheGatedValue() {
        double[] y = {0.5, -1.0, 2.0, 0.25};
        double[] z = {1.0, -0.5, 0.3, 2.0};
        double[] w = {1.0, 0.5, -2.0, 1.5};
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("y", HostTensor.of(y, 1, 4));
        in.put("z", HostTensor.of(z, 1, 4));
        in.put("w", HostTensor.of(w, 4));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> q) {
                return Mamba2Layer.gatedRmsNorm(ops, q.get("y"), q.get("z"), q.get("w"), 1e-5);
            }
        });
        // rms_norm_ref with norm_before_gate=False: x = y·silu(z); x·rsqrt(mean(x²) + eps)·w
        double[] g = new double[4];
        double ms = 0;
        for (int i = 0; i < 4; i++) {
            g[i] = y[i] * z[i] / (1 + Math.exp(-z[i]));
            ms += g[i] * g[i] / 4;
        }
        for (int i = 0; i < 4; i++) {
            assertThat(got[i]).isCloseTo(g[i] / Math.sqrt(ms + 1e-5) * w[i], within(1e-14));
        }
    }

    @Test
    void rwkv7RecurrenceFollowsTheFusedRecurrentKernel() {
        int b = 2;
        int len = 5;
        int h = 2;
        int k = 3;
        int v = 2;
        Rng r = Rng.seeded(8);
        int nk = b * len * h * k;
        double[] q = BaselineFixtures.normals(r, nk, 1);
        double[] gk = BaselineFixtures.normals(r, nk, 0.5);
        double[] kk = BaselineFixtures.normals(r, nk, 1);
        double[] vv = BaselineFixtures.normals(r, b * len * h * v, 1);
        double[] aa = BaselineFixtures.normals(r, nk, 0.5);
        double[] bb = BaselineFixtures.normals(r, nk, 0.5);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(q, b, len, h, k));
        in.put("gk", HostTensor.of(gk, b, len, h, k));
        in.put("k", HostTensor.of(kk, b, len, h, k));
        in.put("v", HostTensor.of(vv, b, len, h, v));
        in.put("a", HostTensor.of(aa, b, len, h, k));
        in.put("b", HostTensor.of(bb, b, len, h, k));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Rwkv7Layer.recurrent(ops, p.get("q"), p.get("gk"), p.get("k"), p.get("v"), p.get("a"),
                        p.get("b"));
            }
        });
        // fused_recurrent_dplr_delta_rule_fwd_kernel, h as [V, K]: tmp = Σ_k h·a; h = e^{gk}·h + tmp·b + v·k; o = Σ_k h·q
        for (int bi = 0; bi < b; bi++) {
            for (int hh = 0; hh < h; hh++) {
                double[][] st = new double[v][k];
                for (int t = 0; t < len; t++) {
                    int base = ((bi * len + t) * h + hh) * k;
                    int vbase = ((bi * len + t) * h + hh) * v;
                    for (int iv = 0; iv < v; iv++) {
                        double tmp = 0;
                        for (int ik = 0; ik < k; ik++) {
                            tmp += st[iv][ik] * aa[base + ik];
                        }
                        double o = 0;
                        for (int ik = 0; ik < k; ik++) {
                            st[iv][ik] = Math.exp(gk[base + ik]) * st[iv][ik] + tmp * bb[base + ik]
                                    + kk[base + ik] * vv[vbase + iv];
                            o += st[iv][ik] * q[base + ik];
                        }
                        assertThat(got[vbase + iv]).as("b%d t%d h%d v%d", bi, t, hh, iv).isCloseTo(o, within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void rwkv6RecurrenceFollowsTheNaiveReference() {
        int b = 2;
        int len = 5;
        int h = 2;
        int k = 3;
        int v = 2;
        Rng r = Rng.seeded(9);
        int nk = b * len * h * k;
        double[] q = BaselineFixtures.normals(r, nk, 1);
        double[] kk = BaselineFixtures.normals(r, nk, 1);
        double[] vv = BaselineFixtures.normals(r, b * len * h * v, 1);
        double[] w = BaselineFixtures.normals(r, nk, 0.5);
        double[] u = BaselineFixtures.normals(r, h * k, 1);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("q", HostTensor.of(q, b, len, h, k));
        in.put("k", HostTensor.of(kk, b, len, h, k));
        in.put("v", HostTensor.of(vv, b, len, h, v));
        in.put("w", HostTensor.of(w, b, len, h, k));
        in.put("u", HostTensor.of(u, h, k));
        double[] got = BaselineFixtures.value(in, new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Rwkv6Layer.recurrent(ops, p.get("q"), p.get("k"), p.get("v"), p.get("w"), p.get("u"));
            }
        });
        // naive_recurrent_rwkv6 (scale 1): o = Σ_k (h + u·k·v)·q; h = h·exp(w) + k·v
        for (int bi = 0; bi < b; bi++) {
            for (int hh = 0; hh < h; hh++) {
                double[][] st = new double[k][v];
                for (int t = 0; t < len; t++) {
                    int base = ((bi * len + t) * h + hh) * k;
                    int vbase = ((bi * len + t) * h + hh) * v;
                    for (int iv = 0; iv < v; iv++) {
                        double o = 0;
                        for (int ik = 0; ik < k; ik++) {
                            o += (st[ik][iv] + u[hh * k + ik] * kk[base + ik] * vv[vbase + iv]) * q[base + ik];
                        }
                        assertThat(got[vbase + iv]).as("b%d t%d h%d v%d", bi, t, hh, iv).isCloseTo(o, within(1e-12));
                    }
                    for (int ik = 0; ik < k; ik++) {
                        for (int iv = 0; iv < v; iv++) {
                            st[ik][iv] = st[ik][iv] * Math.exp(w[base + ik]) + kk[base + ik] * vv[vbase + iv];
                        }
                    }
                }
            }
        }
    }

    private static Map<String, int[]> shapes(ModelSpec spec) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (ParameterShape s : Models.graph(spec, BaselineFixtures.STRUCTURES).parameters()) {
            m.put(s.name(), s.shape());
        }
        return m;
    }

    @Test
    void r1DefaultsGiveTheLibrarysStateDictShapes() {
        // Mamba2(d_model=128): d_inner 256, 4 heads of 64, d_state 128, in_proj 2·256 + 2·128 + 4 = 772
        Map<String, int[]> m = shapes(Mamba2Spec.r1(5, 4, 128, 2, 0.1, false));
        assertThat(m.get("blocks.1.mamba.in_proj.weight")).containsExactly(772, 128);
        assertThat(m.get("blocks.1.mamba.conv1d.weight")).containsExactly(512, 1, 4);
        assertThat(m.get("blocks.1.mamba.conv1d.bias")).containsExactly(512);
        assertThat(m.get("blocks.1.mamba.dt_bias")).containsExactly(4);
        assertThat(m.get("blocks.1.mamba.A_log")).containsExactly(4);
        assertThat(m.get("blocks.1.mamba.D")).containsExactly(4);
        assertThat(m.get("blocks.1.mamba.norm.weight")).containsExactly(256);
        assertThat(m.get("blocks.1.mamba.out_proj.weight")).containsExactly(128, 256);
        // RWKV7Attention(hidden_size=128): 2 heads of 64, LoRA ranks 64/16/64/128; no v_lora in block 0
        Map<String, int[]> r7 = shapes(RwkvSpec.r1(RwkvSpec.Version.RWKV7, 5, 4, 128, 2, 0.1, false, false));
        assertThat(r7).doesNotContainKey("blocks.0.layer.v_lora.lora.0.weight");
        assertThat(r7.get("blocks.1.layer.v_lora.lora.0.weight")).containsExactly(16, 128);
        assertThat(r7.get("blocks.0.layer.w_lora.lora.2.weight")).containsExactly(128, 64);
        assertThat(r7.get("blocks.0.layer.g_lora.lora.0.weight")).containsExactly(128, 128);
        assertThat(r7).doesNotContainKey("blocks.0.layer.g_lora.lora.2.bias");
        assertThat(r7.get("blocks.0.layer.r_k")).containsExactly(2, 64);
        assertThat(r7.get("blocks.0.layer.x_r")).containsExactly(1, 1, 128);
        // RWKV6Attention(hidden_size=128): key 64 in 4 heads of 16, value 128 in 4 heads of 32
        Map<String, int[]> r6 = shapes(RwkvSpec.r1(RwkvSpec.Version.RWKV6, 5, 4, 128, 2, 0.1, false, false));
        assertThat(r6.get("blocks.0.layer.x_proj.0.linear.weight")).containsExactly(160, 128);
        assertThat(r6.get("blocks.0.layer.x_proj.2.weight")).containsExactly(128, 160);
        assertThat(r6.get("blocks.0.layer.x_bias")).containsExactly(5, 128);
        assertThat(r6.get("blocks.0.layer.w_proj.linear.lora.0.weight")).containsExactly(64, 128);
        assertThat(r6.get("blocks.0.layer.w_proj.linear.lora.2.bias")).containsExactly(64);
        assertThat(r6.get("blocks.0.layer.bonus")).containsExactly(4, 16);
        assertThat(r6.get("blocks.0.layer.o_proj.weight")).containsExactly(128, 128);
    }

    @Test
    void widthsTheHeadsDoNotDivideAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> Mamba2Spec.r1(5, 4, 48, 2, 0.1, false)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("model_dim = 48").hasMessageContaining("headdim = 64");
        assertThatThrownBy(() -> RwkvSpec.r1(RwkvSpec.Version.RWKV7, 5, 4, 96, 2, 0.1, false, false))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("model_dim = 96")
                .hasMessageContaining("64");
        assertThatThrownBy(() -> RwkvSpec.r1(RwkvSpec.Version.RWKV6, 5, 4, 20, 2, 0.1, false, false))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("model_dim = 20");
    }

    @Test
    void initialisationFollowsTheLibraries() {
        ParameterSet p = BaselineFixtures.init(Mamba2Spec.r1(5, 4, 1024, 1, 0.1, false), 1); // 32 heads
        double[] dtBias = p.get("blocks.0.mamba.dt_bias").data();
        double[] aLog = p.get("blocks.0.mamba.A_log").data();
        for (int i = 0; i < dtBias.length; i++) {
            assertThat(Math.log1p(Math.exp(dtBias[i]))).isBetween(1e-3 * (1 - 1e-12), 1e-1 * (1 + 1e-12));
            assertThat(Math.exp(aLog[i])).isBetween(1.0, 16.0);
        }
        assertThat(p.get("blocks.0.mamba.D").data()).containsOnly(1.0);
        assertThat(p.get("blocks.0.mamba.norm.weight").data()).containsOnly(1.0);
        for (double w : p.get("blocks.0.mamba.conv1d.weight").data()) {
            assertThat(Math.abs(w)).isLessThanOrEqualTo(0.5); // 1/√d_conv
        }
        ParameterSet r = BaselineFixtures.init(RwkvSpec.r1(RwkvSpec.Version.RWKV7, 5, 4, 128, 2, 0.1, false, false), 1);
        double bound = Math.pow(2, -2.5) * Math.sqrt(6.0 / (128 + 128));
        double max = 0;
        for (double w : r.get("blocks.0.layer.r_proj.weight").data()) {
            max = Math.max(max, Math.abs(w));
        }
        assertThat(max).isLessThanOrEqualTo(bound).isGreaterThan(0.95 * bound);
        assertThat(r.get("blocks.0.layer.k_k").data()).containsOnly(0.0);
        assertThat(r.get("blocks.1.layer.v_lora.lora.2.bias").data()).containsOnly(0.0);
        assertThat(r.get("blocks.0.layer.g_norm.weight").data()).containsOnly(1.0);
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertThat(Bfloat16.round(1.0)).isEqualTo(1.0);
        assertThat(Bfloat16.round(1.0 + Math.pow(2, -8))).isEqualTo(1.0);                    // tie, even stays
        assertThat(Bfloat16.round(1.0 + 3 * Math.pow(2, -8))).isEqualTo(1.0 + Math.pow(2, -6)); // tie, odd rounds up
        assertThat(Bfloat16.round(1.0 + 1.1 * Math.pow(2, -8))).isEqualTo(1.0 + Math.pow(2, -7));
        assertThat(Bfloat16.round(-3.14159)).isEqualTo(-3.140625);
        assertThat(Bfloat16.round(1e-3)).isEqualTo(0.00099945068359375);
    }

    @Test
    void bfloat16QuirkRoundsTheLayerOutputsAndStaysClose() {
        for (RwkvSpec spec : List.of(rwkv7(false), rwkv6(false))) {
            ParameterSet init = perturbed(spec, 11);
            Batch batch = tokens(Rng.seeded(12), 2, 6);
            try (Session s = BaselineFixtures.session(); SequenceModel f = s.model(spec, init);
                 SequenceModel b = s.model(spec.withBf16(true), init)) {
                double[] full = f.forward(batch, ForwardMode.inference()).data();
                double[] half = b.forward(batch, ForwardMode.inference()).data();
                double diff = BaselineFixtures.maxAbsDiff(full, half);
                assertThat(diff).as(spec.version() + " bf16 vs float64").isGreaterThan(1e-6).isLessThan(0.2);
                SequenceModel.LossReport g = b.lossAndGradients(List.of(batch), BaselineFixtures.crossEntropy(),
                        ForwardMode.inference());
                assertThat(g.loss()).isFinite();
            }
        }
    }
}
