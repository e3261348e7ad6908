package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.TensorOps;

/**
 * One configured vector field with random parameters, control increments {@code u} and states
 * {@code y} (all O(1), so every entry of {@code A(u)} matters), the expected transitions
 * {@code denseMatrix(u_n)·y_n} in plain double math, and the oracle's op-level value and gradients.
 */
final class TransitionFixture {
    /** Rows of {@code u} and {@code y}. */
    static final int ROWS = 4;
    /** Control channels {@code d+1}. */
    static final int CHANNELS = 3;
    static final String U = "input.u";
    static final String Y = "input.y";

    final StructuredVectorField field;
    final ParameterSet params;
    final Map<String, HostTensor> inputs = new LinkedHashMap<>();
    final HostTensor expected;
    final Memo<Session.GradientResult> oracle;
    final List<double[]> controls = new ArrayList<>();

    TransitionFixture(Subject s, List<Integer> hiddenSizes, Rng root, Session oracleSession) {
        this.field = configure(s, hiddenSizes);
        Rng rng = root.stream("transition", s.label());
        this.params = field.initialize(rng.stream("init"), 0.7);
        int h = field.hidden();
        double[] u = new double[ROWS * CHANNELS];
        double[] y = new double[ROWS * h];
        rng.stream("u").fillNormal(u, 0, 1);
        rng.stream("y").fillNormal(y, 0, 1);
        for (ParameterSet.Entry e : params.entries()) {
            // buffers go in as floating tensors: the op face differentiates every input
            inputs.put(e.name(), e.tensor().type() == ElementType.BOOL || e.tensor().type() == ElementType.INT64
                    ? e.tensor().as(ElementType.FLOAT64) : e.tensor());
        }
        inputs.put(U, HostTensor.of(u, ROWS, CHANNELS));
        inputs.put(Y, HostTensor.of(y, ROWS, h));
        double[] s1 = new double[ROWS * h];
        for (int n = 0; n < ROWS; n++) {
            double[] un = java.util.Arrays.copyOfRange(u, n * CHANNELS, (n + 1) * CHANNELS);
            controls.add(un);
            double[] a = field.denseMatrix(params, un);
            for (int r = 0; r < h; r++) {
                double acc = 0;
                for (int c = 0; c < h; c++) {
                    acc += a[r * h + c] * y[n * h + c];
                }
                s1[n * h + r] = acc;
            }
        }
        this.expected = HostTensor.of(s1, ROWS, h);
        this.oracle = new Memo<>(() -> oracleSession.gradient(function(), inputs));
    }

    private static StructuredVectorField configure(Subject s, List<Integer> hiddenSizes) {
        List<String> why = new ArrayList<>();
        for (int h : hiddenSizes) {
            try {
                return s.structure().configure(h, CHANNELS, s.spec());
            } catch (IllegalArgumentException e) {
                why.add("h = " + h + ": " + e.getMessage());
            }
        }
        throw new ModelCase.NotApplicable("structure " + s.label() + " accepts none of the conformance sizes ("
                + String.join("; ", why) + ")");
    }

    /** {@code s = A(u)·y} through the field's generic two-stage transition. */
    Session.OpsFunction function() {
        StructuredVectorField f = field;
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return f.apply(ops, p, f.coefficients(ops, p, p.get(U)), p.get(Y));
            }
        };
    }

    /** Names whose gradients are compared: trainable parameters, u and y. */
    List<String> differentiated() {
        List<String> names = new ArrayList<>();
        for (ParameterSet.Entry e : params.entries(ParameterSet.Entry::trainable)) {
            names.add(e.name());
        }
        names.add(U);
        names.add(Y);
        return names;
    }
}
