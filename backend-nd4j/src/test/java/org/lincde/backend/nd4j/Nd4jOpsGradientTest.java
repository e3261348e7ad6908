package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.Shapes;
import org.lincde.spi.TensorOps;

/**
 * The gradient of every op against central finite differences in float64 (relative error ≤ 1e-6),
 * along random directions and at single coordinates.
 * Each output is weighted by fixed random numbers before summing, so a transposed or misplaced
 * gradient cannot hide behind a uniform sum.
 */
class Nd4jOpsGradientTest {
    private static final double EPS = 1e-6;
    private static final double TOL = 1e-6;
    private static final int DIRECTIONS = 2;

    /** The function under test; {@link #check} weights and sums its output. */
    private interface Op {
        <T> T apply(TensorOps<T> ops, ParameterLookup<T> in);
    }

    private static Session.OpsFunction weighted(Op op) {
        return new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                T out = op.apply(ops, in);
                int[] s = ops.shape(out);
                double[] w = new double[Math.toIntExact(Shapes.size(s))];
                Rng.seeded(99).stream("weights", w.length).fillUniform(w, 0.5, 1.5);
                return ops.mul(out, ops.constant(w, s));
            }
        };
    }

    private static double total(Session s, Session.OpsFunction f, Map<String, HostTensor> in) {
        double acc = 0;
        for (double v : s.gradient(f, in).value().data()) {
            acc += v;
        }
        return acc;
    }

    /**
     * Compares the session's gradient of each input with central differences along
     * {@code DIRECTIONS} random directions (all coordinates at once: {@code g·v} against
     * {@code (f(x+εv) − f(x−εv))/2ε}), and at {@code coords} single coordinates.
     */
    private static void check(String name, Op op, Map<String, HostTensor> inputs, int coords) {
        Session s = Nd4jFixtures.session(DType.FLOAT64);
        Session.OpsFunction f = weighted(op);
        Session.GradientResult r = s.gradient(f, inputs);
        Rng pick = Rng.seeded(5).stream(name);
        for (Map.Entry<String, HostTensor> e : inputs.entrySet()) {
            double[] g = r.gradients().get(e.getKey()).data();
            assertThat(r.gradients().get(e.getKey()).shape()).containsExactly(e.getValue().shape());
            double worst = 0;
            for (int d = 0; d < DIRECTIONS + coords; d++) {
                double[] v = new double[g.length];
                if (d < DIRECTIONS) {
                    pick.fillNormal(v, 0.0, 1.0);
                } else {
                    v[pick.nextInt(g.length)] = 1.0;
                }
                double analytic = 0;
                for (int i = 0; i < g.length; i++) {
                    analytic += g[i] * v[i];
                }
                double fd = (total(s, f, perturbed(inputs, e.getKey(), v, EPS))
                        - total(s, f, perturbed(inputs, e.getKey(), v, -EPS))) / (2 * EPS);
                worst = Math.max(worst, Nd4jFixtures.relErr(analytic, fd));
            }
            assertThat(worst).as("%s: d/d%s", name, e.getKey()).isLessThanOrEqualTo(TOL);
        }
    }

    private static Map<String, HostTensor> perturbed(Map<String, HostTensor> in, String name, double[] v, double d) {
        Map<String, HostTensor> m = new LinkedHashMap<>(in);
        HostTensor t = in.get(name).copy();
        for (int i = 0; i < v.length; i++) {
            t.data()[i] += d * v[i];
        }
        m.put(name, t);
        return m;
    }

    private static HostTensor n(int... shape) {
        return Nd4jFixtures.normal(Rng.seeded(Shapes.size(shape) * 31 + shape.length).stream("x"), 1.0, shape);
    }

    @Test
    void elementwiseBinaryWithBroadcasting() {
        Map<String, HostTensor> in = Map.of("a", n(2, 3), "r", n(3), "c", Nd4jFixtures.uniform(Rng.seeded(3), 0.5, 2, 2, 1));
        check("add", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.add(p.get("a"), o.add(p.get("r"), p.get("c")));
            }
        }, in, 2);
        check("sub", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.sub(p.get("c"), o.sub(p.get("a"), p.get("r")));
            }
        }, in, 2);
        check("mul", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.mul(o.mul(p.get("a"), p.get("r")), p.get("c"));
            }
        }, in, 2);
        check("div", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.div(o.div(p.get("a"), p.get("c")), o.addScalar(o.square(p.get("r")), 1.0));
            }
        }, in, 2);
        check("neg/scale/addScalar", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.addScalar(o.scale(o.neg(p.get("a")), 2.5), -1.0);
            }
        }, in, 2);
    }

    @Test
    void elementwiseUnary() {
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(new double[] {-2.1, -0.7, -0.2, 0.3, 0.9, 1.7}, 2, 3),
                "p", Nd4jFixtures.uniform(Rng.seeded(4), 0.3, 3.0, 2, 3));
        String[] names = {"exp", "tanh", "sigmoid", "relu", "gelu", "softplus", "sin", "cos", "square", "silu", "log",
            "sqrt"};
        for (String name : names) {
            check(name, new Op() {
                public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                    T x = p.get("x");
                    switch (name) {
                        case "exp": return o.exp(x);
                        case "tanh": return o.tanh(x);
                        case "sigmoid": return o.sigmoid(x);
                        case "relu": return o.relu(x);
                        case "gelu": return o.gelu(x);
                        case "softplus": return o.softplus(x);
                        case "sin": return o.sin(x);
                        case "cos": return o.cos(x);
                        case "square": return o.square(x);
                        case "silu": return o.silu(x);
                        case "log": return o.add(o.log(p.get("p")), x);
                        default: return o.add(o.sqrt(p.get("p")), x);
                    }
                }
            }, in, 2);
        }
    }

    @Test
    void shapeOps() {
        Map<String, HostTensor> in = Map.of("a", n(2, 3, 4), "b", n(2, 2, 4));
        check("reshape/transpose", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.reshape(o.transpose(p.get("a"), 0, 2), 6, 4);
            }
        }, in, 2);
        check("slice", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T a = p.get("a");
                return o.mul(o.slice(a, 1, 1, 3), o.slice(a, 1, 0, 2));   // overlapping slices accumulate
            }
        }, in, 2);
        check("concat", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.concat(List.of(p.get("b"), o.tanh(p.get("a")), p.get("b")), 1);
            }
        }, in, 2);
        check("stack/unstack", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                List<T> parts = o.unstack(p.get("a"), 1);               // slice 1 unused: zero gradient there
                return o.stack(List.of(parts.get(2), o.mul(parts.get(0), parts.get(2)), parts.get(0)), 2);
            }
        }, in, 2);
    }

    @Test
    void matmulAndReductions() {
        Map<String, HostTensor> in = Map.of("a", n(2, 3), "b", n(3, 4), "m", n(2, 3, 3, 2), "v", n(3, 2, 4),
                "x", n(2, 5, 3));
        check("matmul 2d", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.matmul(p.get("a"), p.get("b"));
            }
        }, in, 2);
        check("matmul transposed operands", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.matmul(o.transpose(p.get("b"), 0, 1), o.transpose(p.get("a"), 0, 1));
            }
        }, in, 2);
        check("matmul batch broadcast", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.matmul(p.get("m"), p.get("v"));              // (2,3,3,2) × (3,2,4)
            }
        }, in, 2);
        check("matmul rank 3 × matrix", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.matmul(p.get("x"), p.get("b"));
            }
        }, in, 2);
        check("sum/mean/sumAll", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T m = p.get("m");
                T s = o.add(o.sum(m, 1, true), o.mean(m, -3, true));
                return o.add(o.reshape(o.sum(s, 3, false), 2, 1, 3), o.sumAll(o.square(m)));
            }
        }, in, 2);
    }

    @Test
    void neuralNetworkOps() {
        Map<String, HostTensor> in = Map.of("e", n(4, 3), "x", n(3, 5), "g", n(5), "b", n(5));
        check("embedding (repeated ids)", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.embedding(p.get("e"), new int[] {3, 0, 3, 1, 3, 0}, 2, 3);
            }
        }, in, 2);
        check("layerNorm", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.layerNorm(p.get("x"), p.get("g"), p.get("b"), 1e-5);
            }
        }, in, 2);
        check("logSoftmax", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.logSoftmax(p.get("x"));
            }
        }, in, 2);
        check("softmax", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.softmax(p.get("x"));
            }
        }, in, 2);
        check("pickLast", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.pickLast(o.tanh(p.get("x")), new int[] {4, 0, 4});
            }
        }, in, 2);
    }

    @Test
    void walshHadamardBothPaths() {
        check("walshHadamard gemm", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.walshHadamard(p.get("x"));
            }
        }, Map.of("x", n(3, 8)), 2);
        check("walshHadamard butterflies", new Op() {
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                return o.walshHadamard(p.get("x"));
            }
        }, Map.of("x", n(1, 1024)), 2);
    }
}
