package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * Each structure is written twice on purpose: the generic transition over TensorOps
 * ({@code coefficients} then {@code apply}) must equal the dense reference {@code A(u)·y} written from
 * SPEC §1.1, for hidden sizes 2, 4, 8 and batches 1..3 (EJML's "test every variant against a known
 * answer" lesson); and its gradients must equal central differences.
 */
class StructureTransitionTest extends WithReferenceSession {
    static Stream<Arguments> fields() {
        List<Arguments> out = new ArrayList<>();
        for (int h : new int[] {2, 4, 8}) {
            for (StructureSpec s : Fixtures.ALL_STRUCTURES) {
                if (s.id().equals("dplr") && h == 2) {
                    continue; // rank 2 at h = 2 is still valid but adds nothing
                }
                out.add(Arguments.of(s, h, 1 + h % 3));
            }
        }
        return out.stream();
    }

    private static Session.OpsFunction transition(StructuredVectorField f, ParameterSet params) {
        return new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                ParameterLookup<T> fp = fieldLookup(ops, p, params);
                T coef = f.coefficients(ops, fp, p.get("u"));
                return f.apply(ops, fp, coef, p.get("y"));
            }
        };
    }

    /** The field's buffers (the sparse mask) as constants, everything else from the graph inputs. */
    private static <T> ParameterLookup<T> fieldLookup(TensorOps<T> ops, ParameterLookup<T> p, ParameterSet params) {
        return name -> params.contains(name) && !params.entry(name).trainable()
                ? ops.constant(params.get(name).data(), params.get(name).shape()) : p.get(name);
    }

    @ParameterizedTest(name = "{0} h={1} batch={2}")
    @MethodSource("fields")
    void genericTransitionEqualsDenseReference(StructureSpec spec, int h, int batch) {
        int d1 = 3;
        StructuredVectorField f = REGISTRY.configure(spec, h, d1);
        Rng rng = Rng.seeded(h * 31L + batch);
        ParameterSet params = f.initialize(rng.stream("init"), 0.9);
        HostTensor u = Fixtures.randn(rng.stream("u"), batch, d1);
        HostTensor y = Fixtures.randn(rng.stream("y"), batch, h);
        Map<String, HostTensor> in = trainableInputs(params);
        in.put("u", u);
        in.put("y", y);
        double[] got = session.gradient(transition(f, params), in).value().data();
        for (int n = 0; n < batch; n++) {
            double[] un = java.util.Arrays.copyOfRange(u.data(), n * d1, (n + 1) * d1);
            double[] a = f.denseMatrix(params, un);
            for (int r = 0; r < h; r++) {
                double expected = 0;
                for (int c = 0; c < h; c++) {
                    expected += a[r * h + c] * y.data()[n * h + c];
                }
                assertThat(got[n * h + r]).as("%s row %d of sample %d", spec, r, n).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @ParameterizedTest(name = "{0} h={1} batch={2}")
    @MethodSource("fields")
    void transitionGradientsMatchCentralDifferences(StructureSpec spec, int h, int batch) {
        int d1 = 3;
        StructuredVectorField f = REGISTRY.configure(spec, h, d1);
        Rng rng = Rng.seeded(h * 17L + batch);
        ParameterSet params = f.initialize(rng.stream("init"), 0.9);
        Map<String, HostTensor> in = trainableInputs(params);
        in.put("u", Fixtures.randn(rng.stream("u"), batch, d1));
        in.put("y", Fixtures.randn(rng.stream("y"), batch, h));
        assertThat(Fixtures.opGradientError(session, transition(f, params), in, 1e-6)).isLessThan(1e-6);
    }

    /** {@code f.transitionBlocks} of the graph input {@code "c"}, the field's buffers as constants. */
    private static Session.OpsFunction blocks(StructuredVectorField f, ParameterSet params, boolean fromU) {
        return new Session.OpsFunction() {
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                ParameterLookup<T> fp = fieldLookup(ops, p, params);
                T coef = fromU ? f.coefficients(ops, fp, p.get("u")) : p.get("c");
                return f.transitionBlocks(ops, fp, coef);
            }
        };
    }

    /**
     * The transition blocks the scan composes (docs/models/scan-form.md "Building the transitions"): a field's
     * own {@code transitionBlocks} (the dense and block-diagonal fields reshape their coefficients) must equal
     * the default, built from {@code apply} on block-basis vectors, for any coefficients (random here, not
     * only those of some {@code u}), and the default itself must equal the diagonal blocks of the dense
     * reference {@code A(u)} of SPEC §1.1.
     */
    @ParameterizedTest(name = "{0} h={1} batch={2}")
    @MethodSource("fields")
    void transitionBlocksEqualTheBlockBasisConstructionAndTheDenseReference(StructureSpec spec, int h, int batch) {
        int d1 = 3;
        int n = batch + 1;
        StructuredVectorField f = REGISTRY.configure(spec, h, d1);
        int k = f.scanBlockSize();
        Rng rng = Rng.seeded(h * 13L + batch);
        ParameterSet params = f.initialize(rng.stream("init"), 0.9);
        Map<String, HostTensor> in = trainableInputs(params);
        in.put("c", Fixtures.randn(rng.stream("c"), n, f.coefficientCount()));
        HostTensor own = session.gradient(blocks(f, params, false), in).value();
        HostTensor basis = session.gradient(blocks(basisOnly(f), params, false), in).value();
        assertThat(own.shape()).containsExactly(n, h / k, k, k);
        assertThat(basis.shape()).containsExactly(n, h / k, k, k);
        for (int i = 0; i < own.size(); i++) {
            assertThat(own.data()[i]).as("%s element %d", spec, i).isCloseTo(basis.data()[i], within(1e-12));
        }
        in.remove("c");
        HostTensor u = Fixtures.randn(rng.stream("u"), n, d1);
        in.put("u", u);
        double[] got = session.gradient(blocks(f, params, true), in).value().data();
        for (int r = 0; r < n; r++) {
            double[] a = f.denseMatrix(params, java.util.Arrays.copyOfRange(u.data(), r * d1, (r + 1) * d1));
            for (int blk = 0; blk < h / k; blk++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double expected = a[(blk * k + i) * h + blk * k + j];
                        assertThat(got[((r * (h / k) + blk) * k + i) * k + j])
                                .as("%s sample %d block %d (%d, %d)", spec, r, blk, i, j).isCloseTo(expected, within(1e-12));
                    }
                }
            }
        }
    }

    /** {@code f} with the interface's default {@code transitionBlocks} (the block-basis construction). */
    private static StructuredVectorField basisOnly(StructuredVectorField f) {
        return new StructuredVectorField() {
            public StructureSpec spec() {
                return f.spec();
            }

            public Structure structure() {
                return f.structure();
            }

            public int hidden() {
                return f.hidden();
            }

            public int controlChannels() {
                return f.controlChannels();
            }

            public List<ParameterShape> parameters() {
                return f.parameters();
            }

            public ParameterSet initialize(Rng rng, double initStd) {
                return f.initialize(rng, initStd);
            }

            public int coefficientCount() {
                return f.coefficientCount();
            }

            public <T> T coefficients(TensorOps<T> ops, ParameterLookup<T> p, T u) {
                return f.coefficients(ops, p, u);
            }

            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p, T coef, T y) {
                return f.apply(ops, p, coef, y);
            }

            public double[] denseMatrix(ParameterSet p, double[] u) {
                return f.denseMatrix(p, u);
            }

            public int scanBlockSize() {
                return f.scanBlockSize();
            }

            public List<String> regularizedParameters() {
                return f.regularizedParameters();
            }
        };
    }

    /** The field's trainable parameters as named graph inputs (the transition's "u" and "y" are added after). */
    private static Map<String, HostTensor> trainableInputs(ParameterSet params) {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        params.entries(ParameterSet.Entry::trainable).forEach(e -> in.put(e.name(), e.tensor()));
        return in;
    }
}
