package org.lincde.spi.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.StructureSpec;

/** WH's {@code parameter_tanh} option: R1 applies tanh to {@code vf_A}, R3 (SPEC §1.5) does not. */
class WalshHadamardParameterTanhTest {
    private static final int H = 4;

    private static double[] matrix(String tanh, ParameterSet p, double[] u) {
        StructureSpec spec = tanh == null ? StructureSpec.of("walsh-hadamard")
                : StructureSpec.of("walsh-hadamard", "parameter_tanh", tanh);
        return new WalshHadamardStructure().configure(H, 2, spec).denseMatrix(p, u);
    }

    @Test
    void withoutTanhTheMatrixIsHnTimesDiagOfTheRawWeights() {
        ParameterSet p = new WalshHadamardStructure().configure(H, 2, StructureSpec.of("walsh-hadamard"))
                .initialize(Rng.seeded(3), 1.0);
        double[] w = p.get("vf_A").data();
        double[] u = {0.7, -1.3};
        // H_4 / 2 (Sylvester): rows (1,1,1,1), (1,−1,1,−1), (1,1,−1,−1), (1,−1,−1,1)
        int[][] h4 = {{1, 1, 1, 1}, {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
        double[] raw = matrix("false", p, u);
        double[] r1 = matrix(null, p, u);
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < H; c++) {
                double a = u[0] * w[c] + u[1] * w[H + c];
                double t = u[0] * Math.tanh(w[c]) + u[1] * Math.tanh(w[H + c]);
                assertThat(raw[r * H + c]).isCloseTo(h4[r][c] * a / 2, offset(1e-15));
                assertThat(r1[r * H + c]).isCloseTo(h4[r][c] * t / 2, offset(1e-15));
            }
        }
        assertThat(matrix("true", p, u)).containsExactly(r1);
    }

    @Test
    void theOptionIsListedAndValidated() {
        assertThat(new WalshHadamardStructure().options()).extracting(o -> o.name()).contains("parameter_tanh");
        assertThatThrownBy(() -> new WalshHadamardStructure().configure(H, 2,
                StructureSpec.of("walsh-hadamard", "parameter_tanh", "maybe")))
                .hasMessageContaining("parameter_tanh").hasMessageContaining("maybe");
    }
}
