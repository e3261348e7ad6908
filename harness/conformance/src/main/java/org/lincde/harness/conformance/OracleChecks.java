package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructuredVectorField;

/**
 * Cases about the oracle and the structures' own math, run once on the oracle's row in float64: the
 * scan-block closure of {@code denseMatrix} products and the reference's gradients against central
 * finite differences (docs/STYLE.md §7: the oracle is checked against math it did not produce, never only
 * against itself).
 */
final class OracleChecks {
    /** Central-difference step: rounding noise ≈ ε·|loss|/h ≈ 1e-10, truncation ≈ h²·|f'''| ≈ 1e-12. */
    static final double FD_STEP = 1e-6;
    /** Coordinates sampled per parameter tensor. */
    static final int FD_SAMPLES = 3;

    private OracleChecks() {}

    /**
     * Every {@code A(u_n)} of the fixture and the product {@code T_4·T_3·T_2·T_1} of the transitions
     * {@code T = I + A(u)} have no non-zero entry outside the diagonal blocks of size
     * {@code scanBlockSize()}: the property the associative scan relies on (block-diagonal matrices
     * are closed under products, SPEC §1.0). Exact: products of exact zeros stay exact zeros.
     */
    static List<Comparison> scanBlocks(TransitionFixture fx) {
        StructuredVectorField f = fx.field;
        int h = f.hidden();
        int k = f.scanBlockSize();
        if (k < 1 || h % k != 0) {
            return List.of(Comparison.violation("scanBlockSize() = " + k + " must divide h = " + h, new int[0], h, k));
        }
        List<Comparison> out = new ArrayList<>();
        double[] product = identity(h);
        for (int n = 0; n < fx.controls.size(); n++) {
            double[] a = f.denseMatrix(fx.params, fx.controls.get(n));
            out.add(offBlock("A(u" + n + ") outside " + k + "×" + k + " blocks", a, h, k));
            double[] t = identity(h);
            for (int i = 0; i < h * h; i++) {
                t[i] += a[i];
            }
            product = multiply(t, product, h);
        }
        out.add(offBlock("T4·T3·T2·T1 outside " + k + "×" + k + " blocks", product, h, k));
        return out;
    }

    private static Comparison offBlock(String name, double[] m, int h, int k) {
        double[] off = new double[h * h];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < h; c++) {
                if (r / k != c / k) {
                    off[r * h + c] = m[r * h + c];
                }
            }
        }
        return Comparison.of(name, new int[] {h, h}, new double[h * h], off, Tolerance.EXACT);
    }

    private static double[] identity(int h) {
        double[] m = new double[h * h];
        for (int i = 0; i < h; i++) {
            m[i * h + i] = 1;
        }
        return m;
    }

    private static double[] multiply(double[] a, double[] b, int h) {
        double[] c = new double[h * h];
        for (int i = 0; i < h; i++) {
            for (int l = 0; l < h; l++) {
                double ail = a[i * h + l];
                for (int j = 0; j < h; j++) {
                    c[i * h + j] += ail * b[l * h + j];
                }
            }
        }
        return c;
    }

    /**
     * The reference's gradient of the whole objective (training mode, dropout streams fixed) against
     * central differences {@code (L(w + h e_i) − L(w − h e_i)) / 2h} at {@value #FD_SAMPLES} sampled
     * coordinates of every trainable tensor (masked coordinates excluded: their gradient is masked to 0
     * by design, SPEC §1.1 item 6).
     */
    static List<Comparison> finiteDifferences(Session oracle, ModelFixture fx) {
        Tolerance tol = Tolerances.of(Check.FINITE_DIFFERENCES, org.lincde.spi.DType.FLOAT64);
        Map<String, String> masks = fx.graph.gradientMasks();
        Rng pick = fx.rng.stream("finite-differences");
        List<Comparison> out = new ArrayList<>();
        try (SequenceModel m = oracle.model(fx.spec, fx.init)) {
            SequenceModel.LossReport at = m.lossAndGradients(List.of(fx.batch), fx.modelCase.objective(), fx.training);
            for (ParameterSet.Entry e : fx.init.entries(ParameterSet.Entry::trainable)) {
                double[] mask = masks.containsKey(e.name()) ? fx.init.get(masks.get(e.name())).data() : null;
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < e.tensor().size(); i++) {
                    if (mask == null || mask[i] != 0) {
                        candidates.add(i);
                    }
                }
                int n = Math.min(FD_SAMPLES, candidates.size());
                int[] offsets = new int[n];
                double[] fd = new double[n];
                double[] analytic = new double[n];
                Rng r = pick.stream(e.name());
                for (int s = 0; s < n; s++) {
                    offsets[s] = candidates.get(r.nextInt(candidates.size()));
                    fd[s] = (lossAt(m, fx, e.name(), offsets[s], FD_STEP) - lossAt(m, fx, e.name(), offsets[s], -FD_STEP))
                            / (2 * FD_STEP);
                    analytic[s] = at.gradients().get(e.name()).data()[offsets[s]];
                }
                out.add(Comparison.ofEntries("grad " + e.name() + " (" + n + " coords)", e.tensor().shape(), offsets, fd,
                        analytic, tol));
            }
        }
        return out;
    }

    private static double lossAt(SequenceModel m, ModelFixture fx, String name, int i, double delta) {
        ParameterSet p = fx.init.copy();
        p.get(name).data()[i] += delta;
        m.load(p);
        return m.lossAndGradients(List.of(fx.batch), fx.modelCase.objective(), fx.training).loss();
    }
}
