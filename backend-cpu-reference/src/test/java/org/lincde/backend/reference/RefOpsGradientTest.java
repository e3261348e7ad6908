package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;

/** Every op of the reference tape: value on hand-worked cases, gradient vs central differences. */
class RefOpsGradientTest extends WithReferenceSession {
    /** An op under test: name, function over inputs "a" (and "b"), input shapes. */
    record Case(String name, Session.OpsFunction f, int[] a, int[] b) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("add broadcast", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        return o.mul(o.add(p.get("a"), p.get("b")), o.add(p.get("a"), p.get("b")));
                    }
                }, new int[] {2, 3, 4}, new int[] {3, 1}),
                c("sub/div", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        return o.div(o.sub(p.get("a"), p.get("b")), o.addScalar(o.square(p.get("b")), 1.5));
                    }
                }, new int[] {3, 4}, new int[] {4}),
                c("unary chain", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        T a = p.get("a");
                        T x = o.add(o.tanh(a), o.sigmoid(o.scale(a, 2)));
                        x = o.add(x, o.mul(o.softplus(a), o.gelu(a)));
                        x = o.add(x, o.mul(o.sin(a), o.cos(o.neg(a))));
                        x = o.add(x, o.log(o.addScalar(o.exp(o.scale(a, 0.5)), 1)));
                        x = o.add(x, o.sqrt(o.addScalar(o.square(a), 0.3)));
                        return o.add(x, o.mul(o.relu(a), o.silu(a)));
                    }
                }, new int[] {17}, null),
                c("batched broadcast matmul", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        T y = o.matmul(p.get("a"), p.get("b"));
                        return o.mul(y, y);
                    }
                }, new int[] {2, 1, 3, 4}, new int[] {3, 4, 2}),
                c("matmul folded rows", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        return o.tanh(o.matmul(p.get("a"), p.get("b")));
                    }
                }, new int[] {2, 3, 4}, new int[] {4, 5}),
                c("transpose/reshape/slice/concat", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        T a = p.get("a");
                        T t = o.transpose(a, 0, 2);                                   // (4,3,2)
                        T s = o.slice(t, 1, 1, 3);                                    // (4,2,2)
                        T cat = o.concat(List.of(s, o.reshape(o.slice(a, 1, 0, 2), 4, 2, 2)), 2);
                        return o.mul(cat, o.sin(cat));
                    }
                }, new int[] {2, 3, 4}, null),
                c("stack/unstack/sum/mean", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        List<T> parts = o.unstack(p.get("a"), 1);
                        T st = o.stack(List.of(o.square(parts.get(2)), parts.get(0)), 0);
                        return o.add(o.sum(st, 1, false), o.mean(o.square(p.get("a")), 1, false));
                    }
                }, new int[] {2, 3, 2}, null),
                c("layerNorm", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        T y = o.layerNorm(p.get("a"), o.addScalar(o.scale(p.get("b"), 0.5), 1), p.get("b"), 1e-5);
                        return o.mul(y, o.constant(new double[] {1, -2, 3, 0.5, 1}, 5));
                    }
                }, new int[] {3, 5}, new int[] {5}),
                c("logSoftmax/softmax/pickLast", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        T a = p.get("a");
                        return o.add(o.pickLast(o.logSoftmax(a), new int[] {0, 3, 2, 1, 1, 3}),
                                o.sum(o.square(o.softmax(o.scale(a, 1.7))), 2, false));
                    }
                }, new int[] {2, 3, 4}, null),
                c("walshHadamard", new Session.OpsFunction() {
                    public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                        T w = o.walshHadamard(p.get("a"));
                        return o.mul(w, o.tanh(w));
                    }
                }, new int[] {3, 8}, null));
    }

    private static Arguments c(String name, Session.OpsFunction f, int[] a, int[] b) {
        return Arguments.of(new Case(name, f, a, b));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        Rng rng = Rng.seeded(c.name().hashCode());
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("a", Fixtures.randn(rng, c.a()));
        if (c.b() != null) {
            in.put("b", Fixtures.randn(rng, c.b()));
        }
        assertThat(Fixtures.opGradientError(session, c.f(), in, 1e-6)).isLessThan(1e-6);
    }

    @Test
    void embeddingScatterAddsRepeatedIds() {
        HostTensor table = HostTensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Session.GradientResult r = session.gradient(new Session.OpsFunction() {
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                return o.embedding(p.get("t"), new int[] {2, 0, 2}, 3);
            }
        }, Map.of("t", table));
        assertThat(r.value().data()).containsExactly(5, 6, 1, 2, 5, 6);
        assertThat(r.gradients().get("t").data()).containsExactly(1, 1, 0, 0, 2, 2);
        assertThatThrownBy(() -> session.gradient(new Session.OpsFunction() {
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                return o.embedding(p.get("t"), new int[] {0, 3}, 2);
            }
        }, Map.of("t", table))).hasMessageContaining("token id 3 at position 1");
    }

    @Test
    void handWorkedValues() {
        Session.GradientResult r = session.gradient(new Session.OpsFunction() {
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                // [[1,2],[3,4]] · [[5],[6]] = [[17],[39]]
                return o.matmul(p.get("a"), p.get("b"));
            }
        }, Map.of("a", HostTensor.of(new double[] {1, 2, 3, 4}, 2, 2), "b", HostTensor.of(new double[] {5, 6}, 2, 1)));
        assertThat(r.value().data()).containsExactly(17, 39);
        assertThat(r.gradients().get("a").data()).containsExactly(5, 6, 5, 6);   // dC·Bᵀ with dC = 1
        assertThat(r.gradients().get("b").data()).containsExactly(4, 6);         // Aᵀ·dC
        // layerNorm of [1, 2, 3]: mean 2, biased var 2/3
        Session.GradientResult ln = session.gradient(new Session.OpsFunction() {
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                return o.layerNorm(p.get("x"), o.full(1, 3), o.full(0, 3), 0.0);
            }
        }, Map.of("x", HostTensor.of(new double[] {1, 2, 3}, 3)));
        double s = Math.sqrt(2.0 / 3.0);
        assertThat(ln.value().data()[0]).isCloseTo(-1 / s, within(1e-15));
        assertThat(ln.value().data()[2]).isCloseTo(1 / s, within(1e-15));
        // log-softmax of [0, ln 3]: log(1/4), log(3/4)
        Session.GradientResult ls = session.gradient(new Session.OpsFunction() {
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                return o.logSoftmax(p.get("x"));
            }
        }, Map.of("x", HostTensor.of(new double[] {0, Math.log(3)}, 2)));
        assertThat(ls.value().data()[0]).isCloseTo(Math.log(0.25), within(1e-15));
        assertThat(ls.value().data()[1]).isCloseTo(Math.log(0.75), within(1e-15));
        assertThat(Erf.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
        assertThat(Erf.erf(-2.0)).isCloseTo(-0.9953222650189527, within(1e-15));
        assertThat(Erf.erf(3.5)).isCloseTo(0.9999992569016276, within(1e-15));
    }

    @Test
    void shapeErrorsNameTheOpAndShapes() {
        assertThatThrownBy(() -> session.gradient(new Session.OpsFunction() {
            public <T> T apply(org.lincde.spi.TensorOps<T> o, org.lincde.spi.ParameterLookup<T> p) {
                return o.add(p.get("a"), p.get("b"));
            }
        }, Map.of("a", HostTensor.of(new double[6], 2, 3), "b", HostTensor.of(new double[4], 4))))
                .hasMessageContaining("add").hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
    }
}
