package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.Wkv6;
import org.lincde.spi.model.baseline.Rwkv6Layer;

/**
 * The fused RWKV-6 kernel's loops ({@link Wkv6}, docs/models/rwkv.md §"Fused RWKV-6 recurrence") against the float64
 * oracle's generic recurrence ({@link Rwkv6Layer#recurrent}): outputs, and the hand-derived gradients of all five
 * inputs against the oracle's autograd of {@code Σ o ⊙ G} and against central differences of the kernel's own
 * forward. Decays {@code w = −exp(z)} with {@code z ~ N(0, 1.5²)} reach from near 1 to {@code e^{−90}} per step.
 */
class Wkv6KernelTest {
    private static final int B = 3;
    private static final int L = 7;
    private static final int H = 2;
    private static final int K = 3;
    private static final int V = 4;

    private record Inputs(double[] q, double[] k, double[] v, double[] w, double[] u, double[] g) {}

    private static Inputs inputs(long seed) {
        Rng r = Rng.seeded(seed);
        int nk = B * L * H * K;
        double[] w = new double[nk];
        for (int i = 0; i < nk; i++) {
            w[i] = -Math.exp(1.5 * r.nextNormal());
        }
        return new Inputs(BaselineFixtures.normals(r, nk, 1), BaselineFixtures.normals(r, nk, 1),
                BaselineFixtures.normals(r, B * L * H * V, 1), w, BaselineFixtures.normals(r, H * K, 1),
                BaselineFixtures.normals(r, B * L * H * V, 1));
    }

    /** The kernel over all rows: o, and (when {@code g} is given) dq, dk, dv, dw, du. */
    private static double[][] kernel(Inputs in, boolean backward) {
        Wkv6 kern = new Wkv6(L, H, K, V);
        int ks = kern.keySize();
        int vs = kern.valueSize();
        double[][] out = {new double[B * vs], new double[B * ks], new double[B * ks], new double[B * vs],
                new double[B * ks], new double[H * K]};
        for (int b = 0; b < B; b++) {
            double[] q = java.util.Arrays.copyOfRange(in.q, b * ks, (b + 1) * ks);
            double[] k = java.util.Arrays.copyOfRange(in.k, b * ks, (b + 1) * ks);
            double[] v = java.util.Arrays.copyOfRange(in.v, b * vs, (b + 1) * vs);
            double[] w = java.util.Arrays.copyOfRange(in.w, b * ks, (b + 1) * ks);
            double[] o = new double[vs];
            kern.forward(q, k, v, w, in.u, o);
            System.arraycopy(o, 0, out[0], b * vs, vs);
            if (backward) {
                double[] g = java.util.Arrays.copyOfRange(in.g, b * vs, (b + 1) * vs);
                double[] dq = new double[ks];
                double[] dk = new double[ks];
                double[] dv = new double[vs];
                double[] dw = new double[ks];
                kern.backward(q, k, v, w, in.u, g, dq, dk, dv, dw, out[5]);
                System.arraycopy(dq, 0, out[1], b * ks, ks);
                System.arraycopy(dk, 0, out[2], b * ks, ks);
                System.arraycopy(dv, 0, out[3], b * vs, vs);
                System.arraycopy(dw, 0, out[4], b * ks, ks);
            }
        }
        return out;
    }

    private static Map<String, HostTensor> hosted(Inputs in) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("q", HostTensor.of(in.q, B, L, H, K));
        m.put("k", HostTensor.of(in.k, B, L, H, K));
        m.put("v", HostTensor.of(in.v, B, L, H, V));
        m.put("w", HostTensor.of(in.w, B, L, H, K));
        m.put("u", HostTensor.of(in.u, H, K));
        return m;
    }

    @Test
    void forwardAndGradientsEqualTheOraclesRecurrence() {
        Inputs in = inputs(61);
        double[][] got = kernel(in, true);
        double[] want = BaselineFixtures.value(hosted(in), new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return Rwkv6Layer.recurrent(ops, p.get("q"), p.get("k"), p.get("v"), p.get("w"), p.get("u"));
            }
        });
        assertThat(BaselineFixtures.maxAbsDiff(got[0], want)).isLessThan(1e-12);
        Session.GradientResult r;
        try (Session s = BaselineFixtures.session()) {
            r = s.gradient(new Session.OpsFunction() {
                @Override
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    T o = Rwkv6Layer.recurrent(ops, p.get("q"), p.get("k"), p.get("v"), p.get("w"), p.get("u"));
                    return ops.mul(o, ops.constant(in.g, B, L, H, V));
                }
            }, hosted(in));
        }
        String[] names = {"q", "k", "v", "w", "u"};
        for (int i = 0; i < names.length; i++) {
            double[] oracle = r.gradients().get(names[i]).data();
            assertThat(BaselineFixtures.maxAbsDiff(got[i + 1], oracle)).as("d" + names[i]).isLessThan(1e-11);
        }
    }

    @Test
    void gradientsMatchCentralDifferencesOfTheKernel() {
        Inputs in = inputs(62);
        double[][] got = kernel(in, true);
        double[][] arrays = {in.q, in.k, in.v, in.w, in.u};
        double h = 1e-6;
        for (int a = 0; a < arrays.length; a++) {
            double[] x = arrays[a];
            for (int i = 0; i < x.length; i += 3) { // every third entry of each input
                double keep = x[i];
                x[i] = keep + h;
                double up = dot(kernel(in, false)[0], in.g);
                x[i] = keep - h;
                double down = dot(kernel(in, false)[0], in.g);
                x[i] = keep;
                double fd = (up - down) / (2 * h);
                assertThat(Math.abs(got[a + 1][i] - fd)).as("input " + a + " entry " + i)
                        .isLessThan(1e-6 * Math.max(1, Math.abs(fd)));
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
