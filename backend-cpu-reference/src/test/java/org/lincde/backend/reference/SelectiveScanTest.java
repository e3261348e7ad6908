package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.kernel.SelectiveScan;
import org.lincde.spi.model.baseline.DiagonalRecurrence;
import org.lincde.spi.model.baseline.S4dLayer;

/**
 * The fused selective scan of spi ({@link SelectiveScan}, the backends' S6/Mamba kernel) against the
 * generic graph on the float64 oracle (the {@code (B, L, E, N)} decay and drive through
 * {@link DiagonalRecurrence}, both evaluations) and against central finite differences of its own forward,
 * for the outputs and all five gradients; and S4D's convolution form against its recurrence.
 */
class SelectiveScanTest extends WithReferenceSession {
    // B = 10 spans two backward chunks, so dA's chunk reduction is exercised
    private static final int B = 10;
    private static final int L = 5;
    private static final int E = 3;
    private static final int N = 2;

    private static Map<String, HostTensor> inputs(Rng rng) {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("u", Fixtures.randn(rng.stream("u"), B, L, E));
        double[] dt = Fixtures.randn(rng.stream("dt"), B, L, E).data();
        for (int i = 0; i < dt.length; i++) {
            dt[i] = Math.log1p(Math.exp(dt[i])); // softplus: positive steps as S6 makes them
        }
        in.put("dt", HostTensor.of(dt, B, L, E));
        double[] a = Fixtures.randn(rng.stream("a"), E, N).data();
        for (int i = 0; i < a.length; i++) {
            a[i] = -Math.exp(0.5 * a[i]);
        }
        in.put("a", HostTensor.of(a, E, N));
        in.put("b", Fixtures.randn(rng.stream("b"), B, L, N));
        in.put("c", Fixtures.randn(rng.stream("c"), B, L, N));
        in.put("w", Fixtures.randn(rng.stream("w"), B, L, E)); // loss = Σ w ⊙ y
        return in;
    }

    /** The generic graph of S6Layer: decay and drive of shape (B, L, E, N), the diagonal recurrence, Σ_n C h. */
    private static Session.OpsFunction generic(boolean scan) {
        return new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T dt4 = o.reshape(p.get("dt"), B, L, E, 1);
                T decay = o.exp(o.mul(dt4, p.get("a")));
                T drive = o.mul(o.mul(dt4, o.reshape(p.get("u"), B, L, E, 1)), o.reshape(p.get("b"), B, L, 1, N));
                T h = scan ? DiagonalRecurrence.scan(o, decay, drive) : DiagonalRecurrence.recurrent(o, decay, drive);
                T y = o.sum(o.mul(h, o.reshape(p.get("c"), B, L, 1, N)), 3, false);
                return o.mul(y, p.get("w"));
            }
        };
    }

    private static double[] kernelForward(SelectiveScan k, Map<String, HostTensor> in) {
        double[] y = new double[B * L * E];
        double[] dt = in.get("dt").data();
        double[] a = in.get("a").data();
        k.forward(in.get("u").data(), dt, in.get("b").data(), in.get("c").data(), k.computedDecays(dt, a), y, 0, B,
                k.work(a));
        return y;
    }

    private static double loss(SelectiveScan k, Map<String, HostTensor> in) {
        double[] y = kernelForward(k, in);
        double[] w = in.get("w").data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += w[i] * y[i];
        }
        return s;
    }

    /** {@code name → gradient} from the kernel's backward with {@code dy = w}. */
    private static Map<String, double[]> kernelGradients(SelectiveScan k, Map<String, HostTensor> in) {
        double[] du = new double[B * L * E];
        double[] ddt = new double[B * L * E];
        double[] db = new double[B * L * N];
        double[] dc = new double[B * L * N];
        double[][] parts = new double[k.chunks()][E * N];
        double[] dt = in.get("dt").data();
        double[] a = in.get("a").data();
        SelectiveScan.Work w = k.work(a);
        for (int ch = 0; ch < k.chunks(); ch++) {
            k.backward(in.get("u").data(), dt, in.get("b").data(), in.get("c").data(), k.computedDecays(dt, a),
                    in.get("w").data(), du, ddt, db, dc, parts[ch], ch, w);
        }
        return Map.of("u", du, "dt", ddt, "a", k.reduceA(parts), "b", db, "c", dc);
    }

    @Test
    void forwardAndGradientsEqualTheGenericGraphInBothEvaluations() {
        Map<String, HostTensor> in = inputs(Rng.seeded(20));
        SelectiveScan k = new SelectiveScan(B, L, E, N);
        assertThat(k.chunks()).isEqualTo(2);
        double[] y = kernelForward(k, in);
        double[] w = in.get("w").data();
        Map<String, double[]> g = kernelGradients(k, in);
        for (boolean scan : new boolean[] {false, true}) {
            Session.GradientResult r = session.gradient(generic(scan), in);
            double[] wy = r.value().data();
            for (int i = 0; i < y.length; i++) {
                assertThat(w[i] * y[i]).as("w⊙y[%d], scan %s", i, scan).isCloseTo(wy[i], org.assertj.core.data.Offset.offset(1e-12));
            }
            for (String name : List.of("u", "dt", "a", "b", "c")) {
                double[] want = r.gradients().get(name).data();
                double[] got = g.get(name);
                assertThat(got).as("d%s length", name).hasSize(want.length);
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).as("d%s[%d], scan %s", name, i, scan)
                            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-11 * (1 + Math.abs(want[i]))));
                }
            }
        }
    }

    /** The float32 sessions' vectorised decays against {@code Math.exp}, across the range they accept and beyond. */
    @Test
    void fastDecaysAgreeWithMathExp() {
        int len = 3;
        int e = 40;
        SelectiveScan k = new SelectiveScan(1, len, e, 1);
        double[] dt = new double[len * e];
        double[] a = new double[e];
        for (int i = 0; i < e; i++) {
            a[i] = -1.0;
            dt[i] = 87.0 * i / (e - 1);                 // row 0: x from 0 to −87, the fast form
            dt[e + i] = 1e-3 * (i + 1);                 // row 1: small steps, the fast form
            dt[2 * e + i] = i == 7 ? 200.0 : 0.5;       // row 2: one x = −200 sends the row to Math.exp
        }
        double[] fast = new double[len * e];
        double[] exact = new double[len * e];
        k.computedDecays(dt, a, true).fill(0, fast);
        k.computedDecays(dt, a, false).fill(0, exact);
        for (int i = 0; i < fast.length; i++) {
            assertThat(fast[i]).as("exp(%s)", -dt[i]).isCloseTo(Math.exp(-dt[i]),
                    org.assertj.core.data.Offset.offset(6e-9 * Math.exp(-dt[i])));
            assertThat(exact[i]).isEqualTo(Math.exp(-dt[i]));
        }
        assertThat(fast[2 * e + 7]).isEqualTo(Math.exp(-200.0));
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Map<String, HostTensor> in = inputs(Rng.seeded(21));
        SelectiveScan k = new SelectiveScan(B, L, E, N);
        Map<String, double[]> g = kernelGradients(k, in);
        double eps = 1e-6;
        for (String name : List.of("u", "dt", "a", "b", "c")) {
            double[] x = in.get(name).data(); // data() is the tensor's own array: perturbed in place below
            double[] got = g.get(name);
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + eps;
                double up = loss(k, withData(in, name, x));
                x[i] = keep - eps;
                double down = loss(k, withData(in, name, x));
                x[i] = keep;
                double fd = (up - down) / (2 * eps);
                assertThat(got[i]).as("d%s[%d]", name, i).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-7 * (1 + Math.abs(fd))));
            }
        }
    }

    /** {@code in} with {@code name}'s values replaced by (a copy of) {@code x}. */
    private static Map<String, HostTensor> withData(Map<String, HostTensor> in, String name, double[] x) {
        Map<String, HostTensor> out = new LinkedHashMap<>(in);
        out.put(name, HostTensor.of(x.clone(), in.get(name).shape()));
        return out;
    }

    @Test
    void s4dConvolutionEqualsItsRecurrence() {
        int b = 3;
        int len = 7;
        int e = 4;
        int n = 3;
        S4dLayer layer = new S4dLayer(e, n);
        ParameterSet ps = new ParameterSet();
        layer.initialize(ps, Rng.seeded(22), "");
        Map<String, HostTensor> in = new LinkedHashMap<>();
        Rng rng = Rng.seeded(23);
        for (String name : ps.names()) {
            HostTensor t = ps.get(name);
            double[] v = t.data().clone();
            double[] z = Fixtures.randn(rng.stream(name), t.shape()).data();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.1 * z[i]; // off the structured init, so every parameter's gradient is generic
            }
            in.put(name, HostTensor.of(v, t.shape()));
        }
        in.put("x", Fixtures.randn(rng.stream("x"), b, len, e));
        in.put("w", Fixtures.randn(rng.stream("w"), b, len, e));
        Session.GradientResult conv = session.gradient(new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T x = p.get("x");
                return o.mul(o.add(layer.convolution(o, p, x), o.mul(x, p.get("D"))), p.get("w"));
            }
        }, in);
        Session.GradientResult rec = session.gradient(new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.mul(layer.forward(o, p, p.get("x"), org.lincde.spi.ForwardMode.inference()), p.get("w"));
            }
        }, in);
        double[] cv = conv.value().data();
        double[] rv = rec.value().data();
        for (int i = 0; i < rv.length; i++) {
            assertThat(cv[i]).as("y[%d]", i).isCloseTo(rv[i], org.assertj.core.data.Offset.offset(1e-12));
        }
        for (String name : in.keySet()) {
            double[] want = rec.gradients().get(name).data();
            double[] got = conv.gradients().get(name).data();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("d%s[%d]", name, i)
                        .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-11 * (1 + Math.abs(want[i]))));
            }
        }
    }
}
