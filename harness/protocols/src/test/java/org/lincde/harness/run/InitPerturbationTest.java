package org.lincde.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;

/** The conditioning run's perturbation of the initial parameters (docs/protocols/agreement.md §2.1). */
class InitPerturbationTest {
    private static ParameterSet params() {
        double[] w = new double[1000];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7 == 0) ? 0 : Math.sin(i) * Math.pow(10, i % 5 - 2);
        }
        return new ParameterSet().put("w", HostTensor.of(w, 10, 100))
                .put("mask", HostTensor.of(new double[] {1, 0, 1}, 3), ParameterSet.Role.BUFFER);
    }

    @Test
    void everyNonZeroTrainableEntryMovesByExactlyOneUlpOfTheDtypeUpOrDownBySeededCoin() {
        ParameterSet p = params();
        for (DType d : DType.values()) {
            ParameterSet q = InitPerturbation.oneUlp(d).apply(p);
            double[] a = p.get("w").data();
            double[] b = q.get("w").data();
            int up = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] == 0) {
                    assertThat(b[i]).as("zeros stay").isZero();
                    continue;
                }
                double ulp = d == DType.FLOAT64 ? Math.ulp(a[i]) : Math.ulp((float) a[i]);
                // nextDown of a power of two moves by half an ulp: allow that one case
                assertThat(Math.abs(b[i] - a[i])).as("entry %d", i).isBetween(ulp / 2, ulp);
                up += b[i] > a[i] ? 1 : 0;
            }
            // a fair coin: about half up (857 non-zero entries)
            assertThat(up).isBetween(357, 500);
            assertThat(q.get("mask").data()).containsExactly(1, 0, 1);
            // seeded: the same perturbation twice is the same numbers; another seed is another pattern
            assertThat(InitPerturbation.oneUlp(d).apply(p).get("w").data()).containsExactly(b);
            assertThat(new InitPerturbation(d, 2).apply(p).get("w").data()).isNotEqualTo(b);
            // the original is untouched
            assertThat(p.get("w").data()).containsExactly(params().get("w").data());
        }
    }

    @Test
    void aFloat32UlpIsTheRelativeSizeOfFloat32RoundingAndAFloat64UlpOfFloat64s() {
        ParameterSet p = new ParameterSet().put("x", HostTensor.of(new double[] {0.3}, 1));
        double f32 = Math.abs(InitPerturbation.oneUlp(DType.FLOAT32).apply(p).get("x").data()[0] - 0.3) / 0.3;
        double f64 = Math.abs(InitPerturbation.oneUlp(DType.FLOAT64).apply(p).get("x").data()[0] - 0.3) / 0.3;
        assertThat(f32).isBetween(Math.pow(2, -24), Math.pow(2, -23));
        assertThat(f64).isBetween(Math.pow(2, -53), Math.pow(2, -52));
    }
}
