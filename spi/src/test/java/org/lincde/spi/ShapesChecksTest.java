package org.lincde.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-op argument checks every TensorOps implementation calls: results and the one message per error. */
class ShapesChecksTest {
    @Test
    void sliceNormalisesTheAxisAndNamesTheRange() {
        assertThat(Shapes.slice(new int[] {2, 5}, -1, 1, 5)).isEqualTo(1);
        assertThatThrownBy(() -> Shapes.slice(new int[] {2, 5}, -1, 2, 6))
                .hasMessage("slice: range [2, 6) out of bounds for axis 1 of shape [2, 5]");
        assertThatThrownBy(() -> Shapes.slice(new int[] {2, 5}, 2, 0, 1))
                .hasMessage("slice: axis 2 out of range for rank 2");
    }

    @Test
    void concatAndStackShapes() {
        assertThat(Shapes.concat(List.of(new int[] {2, 3}, new int[] {2, 4}), 1)).containsExactly(2, 7);
        assertThat(Shapes.stack(List.of(new int[] {2, 3}, new int[] {2, 3}, new int[] {2, 3}), -1))
                .containsExactly(2, 3, 3);
        assertThat(Shapes.stack(List.of(new int[] {2, 3}), 0)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Shapes.concat(List.of(), 0)).hasMessage("concat of no tensors");
        assertThatThrownBy(() -> Shapes.concat(List.of(new int[] {2, 3}, new int[] {3, 3}), 1))
                .hasMessage("concat along axis 1: shapes [2, 3] and [3, 3] differ elsewhere");
        assertThatThrownBy(() -> Shapes.concat(List.of(new int[] {2, 3}, new int[] {2}), 0))
                .hasMessage("concat: ranks differ: [2, 3] and [2]");
        assertThatThrownBy(() -> Shapes.stack(List.of(), 0)).hasMessage("stack of no tensors");
        assertThatThrownBy(() -> Shapes.stack(List.of(new int[] {2}, new int[] {3}), 0))
                .hasMessage("stack: shapes [2] and [3] differ");
    }

    @Test
    void embeddingNamesTheTokenAndItsPosition() {
        assertThat(Shapes.embedding(new int[] {5, 3}, new int[] {0, 4, 1, 1}, new int[] {2, 2})).containsExactly(2, 2, 3);
        assertThatThrownBy(() -> Shapes.embedding(new int[] {5}, new int[] {0}, new int[] {1}))
                .hasMessage("embedding: table must be (V, h), got [5]");
        assertThatThrownBy(() -> Shapes.embedding(new int[] {5, 3}, new int[] {0, 5}, new int[] {2}))
                .hasMessage("embedding: token id 5 at position 1 is outside [0, 5)");
        assertThatThrownBy(() -> Shapes.embedding(new int[] {5, 3}, new int[] {0, 1}, new int[] {3}))
                .hasMessageStartingWith("reshape: cannot view [2]");
    }

    @Test
    void layerNormPickLastWalshHadamardAndRecurrence() {
        Shapes.layerNorm(new int[] {2, 4}, new int[] {4}, new int[] {4});
        assertThatThrownBy(() -> Shapes.layerNorm(new int[] {2, 4}, new int[] {4}, new int[] {3}))
                .hasMessage("layerNorm: gain [4] and bias [3] must hold 4 values each, one per entry of the last "
                        + "axis of [2, 4]");
        assertThat(Shapes.pickLast(new int[] {2, 3, 4}, new int[] {0, 1, 2, 3, 0, 1})).isEqualTo(6);
        assertThatThrownBy(() -> Shapes.pickLast(new int[] {2, 3}, new int[] {0}))
                .hasMessage("pickLast: 1 indices for 2 positions of shape [2, 3]");
        assertThatThrownBy(() -> Shapes.pickLast(new int[] {2, 3}, new int[] {0, 3}))
                .hasMessage("pickLast: index 3 at position 1 is outside [0, 3)");
        assertThat(Shapes.walshHadamard(new int[] {3, 8})).isEqualTo(8);
        assertThatThrownBy(() -> Shapes.walshHadamard(new int[] {2, 6}))
                .hasMessage("walshHadamard: last axis 6 of shape [2, 6] is not a power of two");
        Shapes.recurrence(new int[] {2, 4}, new int[] {2, 9, 16}, 4, 16, 1e11);
        assertThatThrownBy(() -> Shapes.recurrence(new int[] {2, 4}, new int[] {3, 9, 16}, 4, 16, 1e11))
                .hasMessage("fused recurrence: coefficients must be (2, L-1, 16), got [3, 9, 16]");
        assertThatThrownBy(() -> Shapes.recurrence(new int[] {2, 4}, new int[] {2, 9, 16}, 4, 16, 0))
                .hasMessage("fused recurrence: clip must be > 0, got 0.0");
    }
}
