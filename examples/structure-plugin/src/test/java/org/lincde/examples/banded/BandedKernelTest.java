package org.lincde.examples.banded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.kernel.StepKernel;
import org.lincde.spi.kernel.StepKernels;

/**
 * The plugin's own fused step kernel against the field's dense reference {@code A(m)} (built by
 * {@code denseMatrix} with one control channel {@code u = [1]}, so {@code m = vf_A}): the step is
 * {@code A(m) y}, the adjoint adds {@code A(m)ᵀ g} and gives the {@code dm} with
 * {@code ⟨dm, δm⟩ = ⟨g, A(δm) y⟩} for any other band store {@code δm} (the map is linear in {@code m}).
 */
class BandedKernelTest {
    @ParameterizedTest(name = "h = {0}, w = {1}")
    @CsvSource({"5, 0", "5, 1", "6, 2", "4, 3"})
    void stepAndAdjointAgreeWithTheDenseReference(int h, int w) {
        StructuredVectorField f = new BandedStructure().configure(h, 1,
                StructureSpec.of(BandedStructure.ID, "bandwidth", String.valueOf(w)));
        StepKernel k = StepKernels.forField(f).orElseThrow();
        int pc = k.coefficientCount();
        Rng rng = Rng.seeded(31 * h + w);
        double[] m = new double[pc];
        double[] dm = new double[pc];
        double[] y = new double[h];
        double[] g = new double[h];
        rng.stream("m").fillNormal(m, 0, 1);
        rng.stream("dm").fillNormal(dm, 0, 1);
        rng.stream("y").fillNormal(y, 0, 1);
        rng.stream("g").fillNormal(g, 0, 1);
        double[] a = dense(f, m);
        double[] ad = dense(f, dm);

        double[] s = new double[h];
        k.apply(m, 0, y, 0, s, 0, new double[k.workspace()]);
        double[] dc = new double[pc];
        double[] dy = new double[h];
        java.util.Arrays.fill(dc, Double.NaN);   // every entry must be written
        k.backward(m, 0, y, 0, g, 0, dc, 0, dy, 0, new double[k.workspace()]);
        double lhs = 0;
        double rhs = 0;
        for (int i = 0; i < pc; i++) {
            lhs += dc[i] * dm[i];
        }
        for (int p = 0; p < h; p++) {
            double ay = 0;
            double aty = 0;
            double ady = 0;
            for (int q = 0; q < h; q++) {
                ay += a[p * h + q] * y[q];
                aty += a[q * h + p] * g[q];
                ady += ad[p * h + q] * y[q];
            }
            assertThat(s[p]).as("s[%d]", p).isCloseTo(ay, within(1e-12));
            assertThat(dy[p]).as("dy[%d]", p).isCloseTo(aty, within(1e-12));
            rhs += g[p] * ady;
        }
        assertThat(lhs).isCloseTo(rhs, within(1e-12));
    }

    private static double[] dense(StructuredVectorField f, double[] m) {
        return f.denseMatrix(new ParameterSet().put(BandedStructure.Field.WEIGHT, HostTensor.of(m.clone(), 1, m.length)),
                new double[] {1.0});
    }
}
