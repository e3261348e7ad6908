package org.lincde.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lincde.spi.DType;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.structure.WalshHadamardTransform;

/**
 * Every {@link TensorOps} op of the ND4J backend against values worked out by hand (or by
 * {@link StrictMath}, independent of ND4J), in float32 and float64.
 */
class Nd4jOpsValueTest {

    /** A one-op function; tests below are anonymous classes because {@code apply} is generic. */
    private static HostTensor eval(DType dtype, Session.OpsFunction f, Map<String, HostTensor> in) {
        return Nd4jFixtures.session(dtype).gradient(f, in).value();
    }

    private static void check(DType dtype, HostTensor got, int[] shape, double... expected) {
        assertThat(got.shape()).as("shape").containsExactly(shape);
        assertThat(got.type()).isEqualTo(dtype == DType.FLOAT32 ? ElementType.FLOAT32 : ElementType.FLOAT64);
        double tol = dtype == DType.FLOAT32 ? 2e-6 : 1e-13;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            assertThat(got.data()[i]).as("element %d", i).isCloseTo(e, org.assertj.core.data.Offset.offset(tol * (1 + Math.abs(e))));
        }
        assertThat(got.data()).hasSize(expected.length);
    }

    private static HostTensor t(double[] v, int... shape) {
        return HostTensor.of(v, shape);
    }

    private static final HostTensor A = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    private static final HostTensor X = t(new double[] {-1.5, -0.2, 0.3, 2.0}, 4);

    @ParameterizedTest
    @EnumSource(DType.class)
    void creationAndReadBack(DType dt) {
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                assertThat(ops.dtype()).isEqualTo(dt);
                assertThat(ops.shape(ops.full(2.5, 2, 2))).containsExactly(2, 2);
                return ops.add(ops.constant(new double[] {0.1, 0.2, 0.3}, 3), ops.add(ops.full(2.5, 3), ops.scalar(1)));
            }
        }, Map.of()), new int[] {3}, dt.round(0.1) + 3.5, dt.round(0.2) + 3.5, dt.round(0.3) + 3.5);
        // detach: same values, no gradient
        Session.GradientResult r = Nd4jFixtures.session(dt).gradient(new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> in) {
                return ops.add(ops.detach(in.get("x")), in.get("x"));
            }
        }, Map.of("x", X));
        check(dt, r.value(), new int[] {4}, -3.0, dt.round(-0.4), dt.round(0.6), 4.0);
        assertThat(r.gradients().get("x").data()).containsExactly(1, 1, 1, 1);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void broadcastingArithmetic(DType dt) {
        HostTensor row = t(new double[] {10, 20, 30}, 3);
        HostTensor col = t(new double[] {2, 4}, 2, 1);
        Map<String, HostTensor> in = Map.of("a", A, "r", row, "c", col);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.add(p.get("a"), p.get("r"));
            }
        }, in), new int[] {2, 3}, 11, 22, 33, 14, 25, 36);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.sub(p.get("c"), p.get("r"));   // (2,1) − (3) → (2,3)
            }
        }, in), new int[] {2, 3}, -8, -18, -28, -6, -16, -26);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.mul(p.get("a"), p.get("c"));
            }
        }, in), new int[] {2, 3}, 2, 4, 6, 16, 20, 24);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.div(p.get("a"), p.get("c"));
            }
        }, in), new int[] {2, 3}, 0.5, 1, 1.5, 1, 1.25, 1.5);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.addScalar(ops.scale(ops.neg(p.get("a")), 0.5), 1.0);
            }
        }, in), new int[] {2, 3}, 0.5, 0, -0.5, -1, -1.5, -2);
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.add(p.get("a"), ops.full(1, 2));
            }
        }, in)).hasMessageContaining("add: shapes [2, 3] and [2] cannot be broadcast");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwiseFunctions(DType dt) {
        double[] x = {-1.5, -0.2, 0.3, 2.0};
        double[] xr = new double[4];
        for (int i = 0; i < 4; i++) {
            xr[i] = dt.round(x[i]);
        }
        Map<String, HostTensor> in = Map.of("x", X);
        java.util.function.DoubleUnaryOperator[] want = {
            StrictMath::exp, StrictMath::tanh, v -> 1 / (1 + StrictMath.exp(-v)), v -> Math.max(v, 0),
            v -> v * 0.5 * (1 + erf(v / Math.sqrt(2))), v -> StrictMath.log1p(StrictMath.exp(v)),
            StrictMath::sin, StrictMath::cos, v -> v * v, v -> v / (1 + StrictMath.exp(-v))};
        String[] names = {"exp", "tanh", "sigmoid", "relu", "gelu", "softplus", "sin", "cos", "square", "silu"};
        for (int k = 0; k < names.length; k++) {
            String name = names[k];
            HostTensor got = eval(dt, new Session.OpsFunction() {
                public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                    T v = p.get("x");
                    switch (name) {
                        case "exp": return ops.exp(v);
                        case "tanh": return ops.tanh(v);
                        case "sigmoid": return ops.sigmoid(v);
                        case "relu": return ops.relu(v);
                        case "gelu": return ops.gelu(v);
                        case "softplus": return ops.softplus(v);
                        case "sin": return ops.sin(v);
                        case "cos": return ops.cos(v);
                        case "square": return ops.square(v);
                        default: return ops.silu(v);
                    }
                }
            }, in);
            double[] e = new double[4];
            for (int i = 0; i < 4; i++) {
                e[i] = want[k].applyAsDouble(xr[i]);
            }
            check(dt, got, new int[] {4}, e);
        }
        // log and sqrt on positive inputs; softplus far from 0 must not overflow
        HostTensor pos = t(new double[] {0.25, 1, 4, 9}, 4);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.concat(List.of(ops.log(p.get("x")), ops.sqrt(p.get("x"))), 0);
            }
        }, Map.of("x", pos)), new int[] {8}, Math.log(0.25), 0, Math.log(4), Math.log(9), 0.5, 1, 2, 3);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.softplus(p.get("x"));
            }
        }, Map.of("x", t(new double[] {-200, 200}, 2))), new int[] {2}, StrictMath.exp(-200), 200);
    }

    /**
     * ND4J's own tanh/log1p lose their relative accuracy near 0 (tanh(1e−11) is 0 in float32); R1's
     * recurrence adds 1e11·tanh(s/1e11), so the backend's tanh and softplus must be accurate there.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void accurateNearZero(DType dt) {
        double[] x = {1e-11, -3e-9, 1e-6, 1e-3, 0.05, -0.7, 19, 25, -400};
        HostTensor in = t(x, x.length);
        double[] xr = new double[x.length];
        double[] tanh = new double[x.length];
        double[] softplusNeg = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xr[i] = dt.round(x[i]);
            tanh[i] = StrictMath.tanh(xr[i]);
            softplusNeg[i] = dt.round(StrictMath.log1p(StrictMath.exp(-Math.abs(xr[i]))));
        }
        HostTensor got = eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.tanh(p.get("x"));
            }
        }, Map.of("x", in));
        double ulps = dt == DType.FLOAT32 ? 8 * 0x1p-24 : 8 * 0x1p-53;
        for (int i = 0; i < x.length; i++) {
            assertThat(got.data()[i]).as("tanh(%s)", xr[i]).isCloseTo(tanh[i],
                    org.assertj.core.data.Offset.offset(ulps * Math.abs(tanh[i])));
        }
        // 1e11·tanh(s/1e11) = s to within rounding: the clipped R1 update
        HostTensor clipped = eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.scale(ops.tanh(ops.scale(p.get("x"), 1e-11)), 1e11);
            }
        }, Map.of("x", t(new double[] {0.25, -3.0, 7.5}, 3)));
        check(dt, clipped, new int[] {3}, 0.25, -3.0, 7.5);
        HostTensor sp = eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.softplus(ops.neg(ops.sqrt(ops.square(p.get("x")))));   // softplus(−|x|)
            }
        }, Map.of("x", in));
        for (int i = 0; i < x.length; i++) {
            assertThat(sp.data()[i]).as("softplus(−|%s|)", xr[i]).isCloseTo(softplusNeg[i],
                    org.assertj.core.data.Offset.offset(4 * ulps * Math.abs(softplusNeg[i])));
        }
    }

    /** Abramowitz–Stegun-free erf for the expected GELU values: a series, exact to double here. */
    static double erf(double z) {
        // erf(z) = 2/√π Σ (−1)^n z^{2n+1} / (n! (2n+1)), converges fast for |z| < 3
        double sum = 0;
        double term = z;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void shapeOps(DType dt) {
        Map<String, HostTensor> in = Map.of("a", A);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.reshape(ops.transpose(p.get("a"), 0, 1), 2, 3);   // [[1,4],[2,5],[3,6]] row-major
            }
        }, in), new int[] {2, 3}, 1, 4, 2, 5, 3, 6);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.slice(p.get("a"), -1, 1, 3);
            }
        }, in), new int[] {2, 2}, 2, 3, 5, 6);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T a = p.get("a");
                return ops.concat(List.of(ops.slice(a, 0, 1, 2), a), 0);
            }
        }, in), new int[] {3, 3}, 4, 5, 6, 1, 2, 3, 4, 5, 6);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                List<T> cols = ops.unstack(p.get("a"), 1);         // [1,4], [2,5], [3,6]
                assertThat(cols).hasSize(3);
                return ops.stack(List.of(cols.get(2), cols.get(0)), 1);   // [[3,1],[6,4]]
            }
        }, in), new int[] {2, 2}, 3, 1, 6, 4);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.stack(ops.unstack(p.get("a"), 0), 0);
            }
        }, in), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        // unstack of a strided view (a slice along the last axis) along the middle axis: Mamba2's B and C
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T x = ops.reshape(p.get("a"), 1, 2, 3);
                List<T> steps = ops.unstack(ops.slice(x, 2, 1, 3), 1);     // [2,3], [5,6] as (1, 2)
                return ops.reshape(steps.get(1), 2);
            }
        }, in), new int[] {2}, 5, 6);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                T x = ops.reshape(p.get("a"), 1, 2, 3);
                return ops.reshape(ops.slice(ops.slice(x, 2, 1, 3), 1, 1, 2), 2);  // a slice of that view
            }
        }, in), new int[] {2}, 5, 6);
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.reshape(p.get("a"), 4, 2);
            }
        }, in)).hasMessageContaining("reshape: cannot view [2, 3] (6 values) as [4, 2] (8 values)");
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.slice(p.get("a"), 1, 2, 5);
            }
        }, in)).hasMessageContaining("slice: range [2, 5) out of bounds");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulAndReductions(DType dt) {
        HostTensor b = t(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        HostTensor batch = t(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        HostTensor vec = t(new double[] {1, -1}, 1, 2, 1);
        Map<String, HostTensor> in = Map.of("a", A, "b", b, "m", batch, "v", vec);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.matmul(p.get("a"), p.get("b"));
            }
        }, in), new int[] {2, 2}, 4, 5, 10, 11);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.matmul(p.get("m"), p.get("v"));              // batch broadcast (2)×(1)
            }
        }, in), new int[] {2, 2, 1}, -1, -1, -1, -1);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.matmul(p.get("m"), ops.reshape(p.get("v"), 2, 1));   // rank 3 × matrix
            }
        }, in), new int[] {2, 2, 1}, -1, -1, -1, -1);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.matmul(p.get("m"), ops.transpose(p.get("m"), 1, 2));   // M Mᵀ per batch
            }
        }, in), new int[] {2, 2, 2}, 5, 11, 11, 25, 61, 83, 83, 113);
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.matmul(p.get("a"), p.get("a"));
            }
        }, in)).hasMessageContaining("matmul: inner dimensions differ: [2, 3] × [2, 3]");
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.concat(List.of(ops.sum(p.get("a"), 0, false), ops.mean(p.get("a"), 1, false),
                        ops.reshape(ops.sumAll(p.get("a")), 1)), 0);
            }
        }, in), new int[] {6}, 5, 7, 9, 2, 5, 21);
        HostTensor kept = eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.sum(p.get("m"), 1, true);
            }
        }, in);
        check(dt, kept, new int[] {2, 1, 2}, 4, 6, 12, 14);
        assertThat(eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.sumAll(p.get("a"));
            }
        }, in).shape()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void neuralNetworkOps(DType dt) {
        HostTensor table = t(new double[] {0, 1, 10, 11, 20, 21}, 3, 2);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.embedding(p.get("e"), new int[] {2, 0, 2, 1}, 2, 2);
            }
        }, Map.of("e", table)), new int[] {2, 2, 2}, 20, 21, 0, 1, 20, 21, 10, 11);
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.embedding(p.get("e"), new int[] {0, 3}, 2);
            }
        }, Map.of("e", table))).hasMessageContaining("token id 3 at position 1 is outside [0, 3)");

        // LayerNorm of rows [1,2,3] and [2,4,6]: mean 2 / 4, biased var 2/3 and 8/3
        HostTensor gamma = t(new double[] {1, 2, 0.5}, 3);
        HostTensor beta = t(new double[] {0, 1, -1}, 3);
        double s1 = Math.sqrt(2.0 / 3 + 1e-5);
        double s2 = Math.sqrt(8.0 / 3 + 1e-5);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.layerNorm(p.get("x"), p.get("g"), p.get("b"), 1e-5);
            }
        }, Map.of("x", t(new double[] {1, 2, 3, 2, 4, 6}, 2, 3), "g", gamma, "b", beta)), new int[] {2, 3},
                -1 / s1, 1, -1 + 0.5 / s1, -2 / s2, 1, -1 + 1 / s2);

        // log-softmax / softmax of [0, ln 2, ln 3] (probabilities 1/6, 2/6, 3/6) and of [1000, 1000]
        HostTensor logits = t(new double[] {0, Math.log(2), Math.log(3), 1000, 1000, 1000}, 2, 3);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.logSoftmax(p.get("x"));
            }
        }, Map.of("x", logits)), new int[] {2, 3}, Math.log(1.0 / 6), Math.log(2.0 / 6), Math.log(3.0 / 6),
                -Math.log(3), -Math.log(3), -Math.log(3));
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.softmax(p.get("x"));
            }
        }, Map.of("x", logits)), new int[] {2, 3}, 1.0 / 6, 2.0 / 6, 3.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 3);
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.pickLast(p.get("x"), new int[] {2, 0});
            }
        }, Map.of("x", A)), new int[] {2}, 3, 4);
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.pickLast(p.get("x"), new int[] {0, 3});
            }
        }, Map.of("x", A))).hasMessageContaining("pickLast: index 3 at position 1 is outside [0, 3)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void walshHadamardBothPaths(DType dt) {
        // n = 4 by hand: H_4 [1,2,3,4] = [10, −2, −4, 0]
        check(dt, eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.walshHadamard(p.get("x"));
            }
        }, Map.of("x", t(new double[] {1, 2, 3, 4}, 1, 4))), new int[] {1, 4}, 10, -2, -4, 0);
        // n = 1024 takes the butterfly path: compare with the spi's plain transform
        int n = 1024;
        double[] v = new double[2 * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = dt.round(Math.sin(0.37 * i) + 0.01 * i);
        }
        double[] want = v.clone();
        WalshHadamardTransform.transform(want, 0, n);
        WalshHadamardTransform.transform(want, n, n);
        HostTensor got = eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.walshHadamard(p.get("x"));
            }
        }, Map.of("x", t(v, 2, n)));
        assertThat(got.shape()).containsExactly(2, n);
        assertThat(Nd4jFixtures.maxScaledErr(got.data(), want, 32)).isLessThan(dt == DType.FLOAT32 ? 5e-5 : 1e-14);
        assertThatThrownBy(() -> eval(dt, new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.walshHadamard(ops.full(1, 3));
            }
        }, Map.of())).hasMessageContaining("walshHadamard: last axis 3 of shape [3] is not a power of two");
    }
}
