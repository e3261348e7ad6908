package org.lincde.examples.banded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lincde.spi.HostTensor;
import org.lincde.spi.InvalidOptionException;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;

/** The banded structure's own math: options, the dense reference by hand, and its limits w = 0 and w = h−1. */
class BandedStructureTest {
    private final BandedStructure banded = new BandedStructure();

    @Test
    void optionsAreValidatedNamingOptionAndValue() {
        assertThatThrownBy(() -> banded.configure(4, 3, StructureSpec.of(BandedStructure.ID, "bandwidth", "4")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("example.banded.bandwidth = 4").hasMessageContaining("[0, 3]");
        assertThatThrownBy(() -> banded.configure(4, 3, StructureSpec.of(BandedStructure.ID, "bandwidth", "-1")))
                .hasMessageContaining("example.banded.bandwidth = -1");
        assertThatThrownBy(() -> banded.configure(4, 3, StructureSpec.of(BandedStructure.ID, "bandwidth", "two")))
                .hasMessageContaining("example.banded.bandwidth = two").hasMessageContaining("not an integer");
        assertThatThrownBy(() -> banded.configure(4, 3, StructureSpec.of(BandedStructure.ID, "band", "1")))
                .hasMessageContaining("example.banded.band").hasMessageContaining("unknown option");
        assertThat(banded.configure(4, 3, StructureSpec.of(BandedStructure.ID)).parameters().get(0).shape())
                .containsExactly(3, 12);
    }

    @Test
    void denseMatrixOfATridiagonalFieldByHand() {
        // h = 3, w = 1, d+1 = 2: band store m = uᵀW is 3 rows × 3 offsets (−1, 0, +1)
        StructuredVectorField f = banded.configure(3, 2, StructureSpec.of(BandedStructure.ID));
        double[] w = {
            1, 2, 3, 4, 5, 6, 7, 8, 9,         // channel 0
            10, 20, 30, 40, 50, 60, 70, 80, 90  // channel 1
        };
        ParameterSet p = new ParameterSet().put("vf_A", HostTensor.of(w, 2, 9));
        double[] u = {1.0, 0.5};
        // m[j] = w0[j] + 0.5·w1[j] = 6·(j+1)
        double[] a = f.denseMatrix(p, u);
        assertThat(a).containsExactly(
                12, 18, 0,      // row 0: offset 0 → m[1], offset +1 → m[2]; m[0] (offset −1) is a corner
                24, 30, 36,     // row 1: m[3], m[4], m[5]
                0, 42, 48);     // row 2: m[6], m[7]; m[8] (offset +1) is a corner
        assertThat(f.parameterCount()).isEqualTo((3 * 3 - 2) * 2);
    }

    @Test
    void bandwidthZeroIsTheBuiltInDiagonalField() {
        StructureRegistry builtIns = StructureRegistry.discover();
        StructuredVectorField band0 = banded.configure(4, 3, StructureSpec.of(BandedStructure.ID, "bandwidth", "0"));
        StructuredVectorField diag = builtIns.configure(StructureSpec.of("diagonal"), 4, 3);
        ParameterSet p = band0.initialize(Rng.seeded(1), 0.7);
        double[] u = {0.3, -1.2, 0.8};
        assertThat(band0.denseMatrix(p, u)).containsExactly(diag.denseMatrix(p, u));
        assertThat(band0.scanBlockSize()).isEqualTo(1);
    }

    @Test
    void fullBandwidthFillsEveryEntryAndProductsWidenTheBand() {
        StructuredVectorField full = banded.configure(4, 2, StructureSpec.of(BandedStructure.ID, "bandwidth", "3"));
        double[] a = full.denseMatrix(full.initialize(Rng.seeded(2), 1.0), new double[] {0.7, -0.4});
        for (double v : a) {
            assertThat(v).isNotZero();
        }
        StructuredVectorField tri = banded.configure(4, 2, StructureSpec.of(BandedStructure.ID));
        ParameterSet p = tri.initialize(Rng.seeded(3), 1.0);
        double[] t = tri.denseMatrix(p, new double[] {1.0, 0.5});
        assertThat(t[0 * 4 + 2]).isZero();
        assertThat(t[3 * 4 + 0]).isZero();
        // (A·A)[0][2] = A[0][1]·A[1][2] ≠ 0: the scan must compose full matrices (scanBlockSize = h)
        double aa02 = 0;
        for (int k = 0; k < 4; k++) {
            aa02 += t[0 * 4 + k] * t[k * 4 + 2];
        }
        assertThat(aa02).isNotZero();
        assertThat(tri.scanBlockSize()).isEqualTo(4);
    }
}
