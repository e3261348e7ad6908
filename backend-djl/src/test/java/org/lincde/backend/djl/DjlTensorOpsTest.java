package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.backend.djl.internal.DjlTensorOps;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;

/**
 * Every {@link TensorOps} op of the DJL backend: values against hand-worked numbers in float32 and
 * float64, and gradients against central finite differences in float64.
 */
class DjlTensorOpsTest {
    private static Session f32;
    private static Session f64;

    @BeforeAll
    static void open() {
        f32 = DjlFixtures.session(DType.FLOAT32, true);
        f64 = DjlFixtures.session(DType.FLOAT64, true);
    }

    @AfterAll
    static void close() {
        f32.close();
        f64.close();
    }

    /** An op expression over NDArrays, adapted to {@link Session.OpsFunction}. */
    @FunctionalInterface
    interface NdFn {
        NDArray apply(TensorOps<NDArray> ops, ParameterLookup<NDArray> in);
    }

    static Session.OpsFunction fn(NdFn f) {
        return new Session.OpsFunction() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                return (T) f.apply((TensorOps<NDArray>) ops, (ParameterLookup<NDArray>) in);
            }
        };
    }

    private static Session session(DType d) {
        return d == DType.FLOAT32 ? f32 : f64;
    }

    private static HostTensor eval(DType d, NdFn f, Map<String, HostTensor> in) {
        return session(d).gradient(fn(f), in).value();
    }

    private static Map<String, HostTensor> in(Object... nameValuesShape) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValuesShape.length; i += 3) {
            m.put((String) nameValuesShape[i], HostTensor.of((double[]) nameValuesShape[i + 1],
                    (int[]) nameValuesShape[i + 2]));
        }
        return m;
    }

    private static void check(DType d, HostTensor got, int[] shape, double... expected) {
        assertThat(got.shape()).containsExactly(shape);
        double tol = d == DType.FLOAT32 ? 2e-6 : 1e-14;
        for (int i = 0; i < expected.length; i++) {
            assertThat(got.data()[i]).as("element %d of %s", i, d)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(expected[i]))));
        }
    }

    static double[] v(double... x) {
        return x;
    }

    static int[] s(int... x) {
        return x;
    }

    // ----------------------------------------------------------------------------- values

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementWiseValuesMatchHandWorkedNumbers(DType d) {
        Map<String, HostTensor> ab = in("a", v(1, 2, 3, 4, 5, 6), s(2, 3), "b", v(10, 20, 30), s(3));
        check(d, eval(d, (o, p) -> o.add(p.get("a"), p.get("b")), ab), s(2, 3), 11, 22, 33, 14, 25, 36);
        check(d, eval(d, (o, p) -> o.sub(p.get("a"), p.get("b")), ab), s(2, 3), -9, -18, -27, -6, -15, -24);
        check(d, eval(d, (o, p) -> o.mul(p.get("a"), p.get("b")), ab), s(2, 3), 10, 40, 90, 40, 100, 180);
        check(d, eval(d, (o, p) -> o.div(p.get("a"), p.get("b")), ab), s(2, 3), .1, .1, .1, .4, .25, .2);
        check(d, eval(d, (o, p) -> o.neg(p.get("b")), ab), s(3), -10, -20, -30);
        check(d, eval(d, (o, p) -> o.scale(p.get("b"), 0.5), ab), s(3), 5, 10, 15);
        check(d, eval(d, (o, p) -> o.addScalar(p.get("b"), -1), ab), s(3), 9, 19, 29);
        check(d, eval(d, (o, p) -> o.square(p.get("b")), ab), s(3), 100, 400, 900);
        Map<String, HostTensor> x = in("x", v(-2, -0.5, 0, 0.5, 2), s(5));
        double[] xs = {-2, -0.5, 0, 0.5, 2};
        check(d, eval(d, (o, p) -> o.exp(p.get("x")), x), s(5), map(xs, Math::exp));
        check(d, eval(d, (o, p) -> o.tanh(p.get("x")), x), s(5), map(xs, Math::tanh));
        check(d, eval(d, (o, p) -> o.sigmoid(p.get("x")), x), s(5), map(xs, t -> 1 / (1 + Math.exp(-t))));
        check(d, eval(d, (o, p) -> o.relu(p.get("x")), x), s(5), 0, 0, 0, 0.5, 2);
        // GELU x·Φ(x): Φ(±2) = 0.9772498680518208 / 0.0227501319481792, Φ(±0.5) = 0.6914624612740131
        check(d, eval(d, (o, p) -> o.gelu(p.get("x")), x), s(5), -2 * 0.0227501319481792,
                -0.5 * (1 - 0.6914624612740131), 0, 0.5 * 0.6914624612740131, 2 * 0.9772498680518208);
        check(d, eval(d, (o, p) -> o.softplus(p.get("x")), x), s(5), map(xs, t -> Math.log1p(Math.exp(t))));
        check(d, eval(d, (o, p) -> o.silu(p.get("x")), x), s(5), map(xs, t -> t / (1 + Math.exp(-t))));
        check(d, eval(d, (o, p) -> o.sin(p.get("x")), x), s(5), map(xs, Math::sin));
        check(d, eval(d, (o, p) -> o.cos(p.get("x")), x), s(5), map(xs, Math::cos));
        Map<String, HostTensor> pos = in("x", v(0.25, 1, 4, 9), s(4));
        check(d, eval(d, (o, p) -> o.sqrt(p.get("x")), pos), s(4), 0.5, 1, 2, 3);
        check(d, eval(d, (o, p) -> o.log(p.get("x")), pos), s(4), Math.log(0.25), 0, Math.log(4), Math.log(9));
        // softplus(100x) = 100x + log1p(e^{−100x}): the correction is 1.4e−11 at x = 1/4
        check(d, eval(d, (o, p) -> o.softplus(o.scale(p.get("x"), 100)), pos), s(4),
                map(new double[] {0.25, 1, 4, 9}, t -> 100 * t + Math.log1p(Math.exp(-100 * t))));
    }

    private static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void shapeOpsMoveValuesAsNumPyDoes(DType d) {
        Map<String, HostTensor> a = in("a", v(1, 2, 3, 4, 5, 6), s(2, 3));
        check(d, eval(d, (o, p) -> o.reshape(p.get("a"), 3, 2), a), s(3, 2), 1, 2, 3, 4, 5, 6);
        check(d, eval(d, (o, p) -> o.transpose(p.get("a"), 0, 1), a), s(3, 2), 1, 4, 2, 5, 3, 6);
        check(d, eval(d, (o, p) -> o.slice(p.get("a"), 1, 1, 3), a), s(2, 2), 2, 3, 5, 6);
        check(d, eval(d, (o, p) -> o.slice(p.get("a"), -2, 1, 2), a), s(1, 3), 4, 5, 6);
        check(d, eval(d, (o, p) -> o.concat(List.of(p.get("a"), o.slice(p.get("a"), 1, 0, 1)), 1), a), s(2, 4),
                1, 2, 3, 1, 4, 5, 6, 4);
        check(d, eval(d, (o, p) -> o.stack(List.of(o.slice(p.get("a"), 0, 0, 1), o.slice(p.get("a"), 0, 1, 2)), 2),
                a), s(1, 3, 2), 1, 4, 2, 5, 3, 6);
        check(d, eval(d, (o, p) -> o.unstack(p.get("a"), 1).get(2), a), s(2), 3, 6);
        check(d, eval(d, (o, p) -> o.sum(p.get("a"), 0, false), a), s(3), 5, 7, 9);
        check(d, eval(d, (o, p) -> o.sum(p.get("a"), -1, true), a), s(2, 1), 6, 15);
        check(d, eval(d, (o, p) -> o.mean(p.get("a"), 1, false), a), s(2), 2, 5);
        check(d, eval(d, (o, p) -> o.sumAll(p.get("a")), a), s(), 21);
        check(d, eval(d, (o, p) -> o.add(o.detach(p.get("a")), o.full(1, 2, 3)), a), s(2, 3), 2, 3, 4, 5, 6, 7);
        check(d, eval(d, (o, p) -> o.add(p.get("a"), o.scalar(0.5)), a), s(2, 3), 1.5, 2.5, 3.5, 4.5, 5.5, 6.5);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulBroadcastsBatchAxes(DType d) {
        // batch of two 2×2 matrices times one 2×1 vector (broadcast)
        Map<String, HostTensor> m = in("a", v(1, 2, 3, 4, 0, 1, 1, 0), s(2, 2, 2), "b", v(5, 6), s(2, 1));
        check(d, eval(d, (o, p) -> o.matmul(p.get("a"), p.get("b")), m), s(2, 2, 1), 17, 39, 6, 5);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void neuralNetworkOpsMatchHandWorkedNumbers(DType d) {
        Map<String, HostTensor> t = in("t", v(1, 2, 3, 4, 5, 6), s(3, 2));
        check(d, eval(d, (o, p) -> o.embedding(p.get("t"), new int[] {2, 0, 2, 1}, 2, 2), t), s(2, 2, 2),
                5, 6, 1, 2, 5, 6, 3, 4);
        Map<String, HostTensor> ln = in("x", v(1, 2, 3, 4, 0, 0, 0, 8), s(2, 4), "g", v(1, 2, 1, 1), s(4),
                "b", v(0, 0, 0, 1), s(4));
        // row 1: mean 2.5, var 1.25; row 2: mean 2, var 12 (eps 1e-5)
        double r1 = 1 / Math.sqrt(1.25 + 1e-5);
        double r2 = 1 / Math.sqrt(12 + 1e-5);
        check(d, eval(d, (o, p) -> o.layerNorm(p.get("x"), p.get("g"), p.get("b"), 1e-5), ln), s(2, 4),
                -1.5 * r1, -1.0 * r1, 0.5 * r1, 1.5 * r1 + 1, -2 * r2, -4 * r2, -2 * r2, 6 * r2 + 1);
        Map<String, HostTensor> lg = in("z", v(0, Math.log(3), 1000, 1000), s(2, 2));
        check(d, eval(d, (o, p) -> o.softmax(p.get("z")), lg), s(2, 2), 0.25, 0.75, 0.5, 0.5);
        check(d, eval(d, (o, p) -> o.logSoftmax(p.get("z")), lg), s(2, 2), Math.log(0.25), Math.log(0.75),
                Math.log(0.5), Math.log(0.5));
        Map<String, HostTensor> pk = in("x", v(1, 2, 3, 4, 5, 6), s(2, 3));
        check(d, eval(d, (o, p) -> o.pickLast(p.get("x"), new int[] {2, 0}), pk), s(2), 3, 4);
        Map<String, HostTensor> wh = in("x", v(1, 2, 3, 4, 1, 0, 0, 0), s(2, 4));
        // H_4 rows: ++++, +-+-, ++--, +--+
        check(d, eval(d, (o, p) -> o.walshHadamard(p.get("x")), wh), s(2, 4), 10, -2, -4, 0, 1, 1, 1, 1);
    }

    @Test
    void walshHadamardEqualsTheSylvesterMatrixAtLength16() {
        Rng rng = Rng.seeded(3);
        Map<String, HostTensor> x = DjlFixtures.inputs(rng, "x", s(3, 16));
        HostTensor got = eval(DType.FLOAT64, (o, p) -> o.walshHadamard(p.get("x")), x);
        double[] h = org.lincde.spi.structure.WalshHadamardTransform.matrix(16);
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 16; i++) {
                double acc = 0;
                for (int j = 0; j < 16; j++) {
                    acc += h[i * 16 + j] * x.get("x").data()[r * 16 + j];
                }
                assertThat(got.data()[r * 16 + i]).isCloseTo(acc, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void badShapesAndIdsGetTheSharedMessages() {
        Map<String, HostTensor> ab = in("a", v(1, 2, 3, 4, 5, 6), s(2, 3), "b", v(1, 2), s(2));
        assertThatThrownBy(() -> eval(DType.FLOAT64, (o, p) -> o.add(p.get("a"), p.get("b")), ab))
                .hasMessageContaining("add: shapes [2, 3] and [2] cannot be broadcast");
        assertThatThrownBy(() -> eval(DType.FLOAT64, (o, p) -> o.matmul(p.get("a"), p.get("a")), ab))
                .hasMessageContaining("matmul: inner dimensions differ");
        assertThatThrownBy(() -> eval(DType.FLOAT64, (o, p) -> o.reshape(p.get("a"), 4, 2), ab))
                .hasMessageContaining("reshape: cannot view [2, 3]");
        assertThatThrownBy(() -> eval(DType.FLOAT64, (o, p) -> o.embedding(p.get("a"), new int[] {0, 2}, 2), ab))
                .hasMessageContaining("embedding: token id 2 at position 1 is outside [0, 2)");
        assertThatThrownBy(() -> eval(DType.FLOAT64, (o, p) -> o.walshHadamard(p.get("a")), ab))
                .hasMessageContaining("not a power of two");
    }

    // ----------------------------------------------------------------------------- gradients

    static Stream<Arguments> differentiableOps() {
        List<Arguments> a = new ArrayList<>();
        a.add(Arguments.of("add", (NdFn) (o, p) -> o.add(p.get("a"), p.get("r")), s(3, 4)));
        a.add(Arguments.of("sub", (NdFn) (o, p) -> o.sub(p.get("a"), p.get("r")), s(3, 4)));
        a.add(Arguments.of("mul", (NdFn) (o, p) -> o.mul(p.get("a"), p.get("r")), s(3, 4)));
        a.add(Arguments.of("div", (NdFn) (o, p) -> o.div(p.get("a"), o.addScalar(o.square(p.get("r")), 1)), s(3, 4)));
        a.add(Arguments.of("neg/scale/addScalar", (NdFn) (o, p) -> o.addScalar(o.scale(o.neg(p.get("a")), 3), 2),
                s(3, 4)));
        a.add(Arguments.of("exp", (NdFn) (o, p) -> o.exp(p.get("a")), s(3, 4)));
        a.add(Arguments.of("log", (NdFn) (o, p) -> o.log(o.addScalar(o.square(p.get("a")), 0.5)), s(3, 4)));
        a.add(Arguments.of("tanh", (NdFn) (o, p) -> o.tanh(p.get("a")), s(3, 4)));
        a.add(Arguments.of("sigmoid", (NdFn) (o, p) -> o.sigmoid(p.get("a")), s(3, 4)));
        a.add(Arguments.of("relu", (NdFn) (o, p) -> o.relu(p.get("a")), s(3, 4)));
        a.add(Arguments.of("gelu", (NdFn) (o, p) -> o.gelu(p.get("a")), s(3, 4)));
        a.add(Arguments.of("softplus", (NdFn) (o, p) -> o.softplus(o.scale(p.get("a"), 3)), s(3, 4)));
        a.add(Arguments.of("sqrt", (NdFn) (o, p) -> o.sqrt(o.addScalar(o.square(p.get("a")), 0.5)), s(3, 4)));
        a.add(Arguments.of("sin/cos", (NdFn) (o, p) -> o.mul(o.sin(p.get("a")), o.cos(p.get("r"))), s(3, 4)));
        a.add(Arguments.of("silu", (NdFn) (o, p) -> o.silu(p.get("a")), s(3, 4)));
        a.add(Arguments.of("reshape/transpose", (NdFn) (o, p) -> o.transpose(o.reshape(p.get("a"), 2, 6), 0, 1),
                s(3, 4)));
        a.add(Arguments.of("slice/concat", (NdFn) (o, p) -> o.concat(List.of(o.slice(p.get("a"), 1, 1, 3),
                o.slice(p.get("r"), 1, 0, 1)), 1), s(3, 4)));
        a.add(Arguments.of("stack/unstack", (NdFn) (o, p) -> {
            List<NDArray> rows = o.unstack(p.get("a"), 0);
            return o.stack(List.of(rows.get(2), rows.get(0), rows.get(0)), 1);
        }, s(3, 4)));
        a.add(Arguments.of("matmul", (NdFn) (o, p) -> o.matmul(p.get("a"), o.transpose(p.get("r"), 0, 1)), s(3, 4)));
        a.add(Arguments.of("sum/mean/sumAll", (NdFn) (o, p) -> o.add(o.mul(o.sum(p.get("a"), 0, true),
                o.mean(p.get("r"), 0, true)), o.sumAll(o.square(p.get("a")))), s(3, 4)));
        a.add(Arguments.of("embedding", (NdFn) (o, p) -> o.embedding(p.get("a"), new int[] {2, 0, 2, 1, 2}, 5), s(3, 4)));
        a.add(Arguments.of("layerNorm", (NdFn) (o, p) -> o.layerNorm(p.get("a"), o.slice(p.get("r"), 0, 0, 1)
                .reshape(4), o.reshape(o.slice(p.get("r"), 0, 1, 2), 4), 1e-5), s(3, 4)));
        a.add(Arguments.of("logSoftmax", (NdFn) (o, p) -> o.logSoftmax(p.get("a")), s(3, 4)));
        a.add(Arguments.of("softmax", (NdFn) (o, p) -> o.softmax(p.get("a")), s(3, 4)));
        a.add(Arguments.of("pickLast", (NdFn) (o, p) -> o.pickLast(o.logSoftmax(p.get("a")), new int[] {3, 0, 1}),
                s(3, 4)));
        a.add(Arguments.of("walshHadamard", (NdFn) (o, p) -> o.walshHadamard(o.mul(p.get("a"), p.get("r"))),
                s(3, 4)));
        return a.stream();
    }

    /** Weighted sum of the op's output (fixed weights), so every output element's gradient counts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiableOps")
    void gradientsMatchCentralDifferences(String name, NdFn op, int[] shape) {
        Rng rng = Rng.seeded(name.hashCode());
        Map<String, HostTensor> inputs = DjlFixtures.inputs(rng, "a", shape, "r", shape);
        HostTensor probe = f64.gradient(fn(op), inputs).value();
        double[] w = new double[probe.size()];
        rng.stream("w").fillNormal(w, 0, 1);
        NdFn weighted = (o, p) -> o.mul(op.apply(o, p), o.constant(w, probe.shape()));
        Session.GradientResult r = f64.gradient(fn(weighted), inputs);
        double eps = 1e-6;
        for (String in : inputs.keySet()) {
            double[] x = inputs.get(in).data();
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + eps;
                double up = sum(f64.gradient(fn(weighted), inputs).value());
                x[i] = keep - eps;
                double down = sum(f64.gradient(fn(weighted), inputs).value());
                x[i] = keep;
                double fd = (up - down) / (2 * eps);
                double g = r.gradients().get(in).data()[i];
                assertThat(Math.abs(g - fd)).as("%s d/d%s[%d]: autograd %s, central difference %s", name, in, i, g, fd)
                        .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    /**
     * The native-memory dropout mask (fused sessions, two kernel threads over 70 000 elements) equals the
     * mask written out here by hand from the draws, threshold edges included, in the value and as the gradient
     * of {@code Σ x ⊙ mask}; so does the generic session's (TensorOps' default).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void dropoutMaskKeepsExactlyTheDrawsAtOrAboveTheThreshold(DType d) {
        int n = 70_000;
        long threshold = org.lincde.spi.model.Dropout.threshold(0.3);
        int[] draws = new int[n];
        Rng.seeded(11).fillInt32(draws);
        draws[0] = (int) threshold;            // kept: not below the threshold
        draws[1] = (int) (threshold - 1);      // dropped
        draws[2] = 0;                          // dropped
        draws[3] = -1;                         // 0xFFFFFFFF unsigned: kept
        double keep = 1.0 / 0.7;
        double[] x = new double[n];
        Rng.seeded(12).fillNormal(x, 0, 1);
        double[] mask = new double[n];
        for (int i = 0; i < n; i++) {
            mask[i] = Integer.toUnsignedLong(draws[i]) < threshold ? 0.0 : keep;
        }
        NdFn f = (o, p) -> o.mul(p.get("x"), o.dropoutMask(draws, threshold, keep, 70, 1000));
        for (boolean fused : new boolean[] {true, false}) {
            try (Session s = DjlFixtures.session(d, fused, 2)) {
                Session.GradientResult r = s.gradient(fn(f), in("x", x, new int[] {70, 1000}));
                double[] got = r.value().data();
                double[] grad = r.gradients().get("x").data();
                for (int i = 0; i < n; i++) {
                    double m = d == DType.FLOAT32 ? (float) mask[i] : mask[i];
                    double want = d == DType.FLOAT32 ? (float) ((float) x[i] * (float) m) : x[i] * m;
                    assertThat(got[i]).as("fused %s, element %d", fused, i).isEqualTo(want);
                    assertThat(grad[i]).as("fused %s, gradient %d", fused, i).isEqualTo(m);
                }
            }
        }
        assertThat(mask[0]).isEqualTo(keep);
        assertThat(mask[1]).isZero();
        assertThat(mask[2]).isZero();
        assertThat(mask[3]).isEqualTo(keep);
    }

    private static double sum(HostTensor t) {
        double s = 0;
        for (double v : t.data()) {
            s += v;
        }
        return s;
    }
}
