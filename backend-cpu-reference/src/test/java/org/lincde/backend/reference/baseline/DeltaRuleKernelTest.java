package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.DeltaRuleSteps;
import org.lincde.spi.model.baseline.DeltaRule;

/**
 * The fused delta rule's loops (docs/models/deltanet.md §8) against the float64 oracle's generic graphs:
 * {@link DeltaRuleSteps} against {@link DeltaRule#recurrent} and {@link DeltaRule#chunked} (outputs and the oracle's
 * autograd of {@code Σ o ⊙ G} for every input, gated and ungated, β up to 2 as in the [-1,1] variants), and the
 * backward also against central differences of the kernel's own forward pass.
 */
class DeltaRuleKernelTest {
    private static final int B = 2;
    private static final int H = 2;
    private static final int T = 11;
    private static final int K = 3;
    private static final int V = 4;

    private record Inputs(double[] q, double[] k, double[] v, double[] beta, double[] g, double[] dO) {}

    /** Unit-norm keys (as the layer gives them), β ∈ (0, 2), log decays in (−1.5, 0). */
    private static Inputs inputs(long seed, boolean gated) {
        Rng r = Rng.seeded(seed);
        int nk = B * H * T * K;
        double[] k = BaselineFixtures.normals(r, nk, 1);
        for (int s = 0; s < nk; s += K) {
            double n = 0;
            for (int i = 0; i < K; i++) {
                n += k[s + i] * k[s + i];
            }
            for (int i = 0; i < K; i++) {
                k[s + i] /= Math.sqrt(n);
            }
        }
        double[] beta = new double[B * H * T];
        double[] g = gated ? new double[B * H * T] : null;
        for (int i = 0; i < beta.length; i++) {
            beta[i] = 2 / (1 + Math.exp(-r.nextNormal()));
            if (gated) {
                g[i] = -1.5 / (1 + Math.exp(-r.nextNormal()));
            }
        }
        return new Inputs(BaselineFixtures.normals(r, nk, 1), k, BaselineFixtures.normals(r, B * H * T * V, 1), beta,
                g, BaselineFixtures.normals(r, B * H * T * V, 1));
    }

    /** The kernel over all sequences: o, and (when {@code backward}) dq, dk, dv, dβ, dg. */
    private static double[][] kernel(Inputs in, boolean backward) {
        DeltaRuleSteps kern = new DeltaRuleSteps(T, K, V);
        int ks = kern.keySize();
        int vs = kern.valueSize();
        int n = B * H;
        double[][] out = {new double[n * vs], new double[n * ks], new double[n * ks], new double[n * vs],
                new double[n * T], new double[n * T]};
        for (int s = 0; s < n; s++) {
            double[] q = Arrays.copyOfRange(in.q, s * ks, (s + 1) * ks);
            double[] k = Arrays.copyOfRange(in.k, s * ks, (s + 1) * ks);
            double[] v = Arrays.copyOfRange(in.v, s * vs, (s + 1) * vs);
            double[] beta = Arrays.copyOfRange(in.beta, s * T, (s + 1) * T);
            double[] g = in.g == null ? null : Arrays.copyOfRange(in.g, s * T, (s + 1) * T);
            double[] o = new double[vs];
            kern.forward(q, k, v, beta, g, o);
            System.arraycopy(o, 0, out[0], s * vs, vs);
            if (backward) {
                double[] dO = Arrays.copyOfRange(in.dO, s * vs, (s + 1) * vs);
                double[] dq = new double[ks];
                double[] dk = new double[ks];
                double[] dv = new double[vs];
                double[] db = new double[T];
                double[] dg = new double[T];
                kern.backward(q, k, v, beta, g, dO, dq, dk, dv, db, dg);
                System.arraycopy(dq, 0, out[1], s * ks, ks);
                System.arraycopy(dk, 0, out[2], s * ks, ks);
                System.arraycopy(dv, 0, out[3], s * vs, vs);
                System.arraycopy(db, 0, out[4], s * T, T);
                System.arraycopy(dg, 0, out[5], s * T, T);
            }
        }
        return out;
    }

    private static Map<String, HostTensor> hosted(Inputs in) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("q", HostTensor.of(in.q, B, H, T, K));
        m.put("k", HostTensor.of(in.k, B, H, T, K));
        m.put("v", HostTensor.of(in.v, B, H, T, V));
        m.put("beta", HostTensor.of(in.beta, B, H, T));
        if (in.g != null) {
            m.put("g", HostTensor.of(in.g, B, H, T));
        }
        return m;
    }

    private static Session.OpsFunction rule(Inputs in, boolean chunked, boolean weighted) {
        return new Session.OpsFunction() {
            @Override
            public <X> X apply(TensorOps<X> ops, ParameterLookup<X> p) {
                X g = in.g == null ? null : p.get("g");
                X o = chunked ? DeltaRule.chunked(ops, p.get("q"), p.get("k"), p.get("v"), p.get("beta"), g, 4)
                        : DeltaRule.recurrent(ops, p.get("q"), p.get("k"), p.get("v"), p.get("beta"), g);
                return weighted ? ops.mul(o, ops.constant(in.dO, B, H, T, V)) : o;
            }
        };
    }

    @ParameterizedTest(name = "gated={0}")
    @ValueSource(booleans = {false, true})
    void forwardAndGradientsEqualBothGenericForms(boolean gated) {
        Inputs in = inputs(gated ? 71 : 72, gated);
        double[][] got = kernel(in, true);
        String[] names = {"q", "k", "v", "beta", "g"};
        for (boolean chunked : new boolean[] {false, true}) {
            double[] want = BaselineFixtures.value(hosted(in), rule(in, chunked, false));
            assertThat(BaselineFixtures.maxAbsDiff(got[0], want)).as("o, chunked " + chunked).isLessThan(1e-12);
            Session.GradientResult r;
            try (Session s = BaselineFixtures.session()) {
                r = s.gradient(rule(in, chunked, true), hosted(in));
            }
            for (int i = 0; i < (gated ? 5 : 4); i++) {
                double[] oracle = r.gradients().get(names[i]).data();
                assertThat(BaselineFixtures.maxAbsDiff(got[i + 1], oracle)).as("d" + names[i] + ", chunked " + chunked)
                        .isLessThan(1e-11);
            }
        }
    }

    @ParameterizedTest(name = "gated={0}")
    @ValueSource(booleans = {false, true})
    void gradientsMatchCentralDifferencesOfTheKernel(boolean gated) {
        Inputs in = inputs(gated ? 73 : 74, gated);
        double[][] got = kernel(in, true);
        double[][] arrays = gated ? new double[][] {in.q, in.k, in.v, in.beta, in.g}
                : new double[][] {in.q, in.k, in.v, in.beta};
        double h = 1e-6;
        for (int a = 0; a < arrays.length; a++) {
            double[] x = arrays[a];
            for (int i = 0; i < x.length; i += 2) {
                double keep = x[i];
                x[i] = keep + h;
                double up = dot(kernel(in, false)[0], in.dO);
                x[i] = keep - h;
                double down = dot(kernel(in, false)[0], in.dO);
                x[i] = keep;
                double fd = (up - down) / (2 * h);
                assertThat(Math.abs(got[a + 1][i] - fd)).as("input " + a + " entry " + i)
                        .isLessThan(1e-7 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
