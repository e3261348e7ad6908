package org.lincde.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParameterSetAndBatchTest {
    @Test
    void parameterSetKeepsOrderRolesAndRejectsDuplicatesAndShapeChanges() {
        ParameterSet p = new ParameterSet();
        p.put("b", HostTensor.of(new double[] {1, 2}, 2));
        p.put("a", HostTensor.of(ElementType.BOOL, new double[] {1, 0}, 2), ParameterSet.Role.BUFFER);
        assertThat(p.names()).containsExactly("b", "a");
        assertThat(p.trainableCount()).isEqualTo(2);
        assertThatThrownBy(() -> p.put("b", HostTensor.of(new double[] {0}, 1))).hasMessageContaining("'b'");
        assertThatThrownBy(() -> p.replace("b", HostTensor.of(new double[] {0}, 1))).hasMessageContaining("[2]");
        assertThatThrownBy(() -> p.get("c")).hasMessageContaining("'c'");
        ParameterSet c = p.copy();
        c.get("b").data()[0] = 9;
        assertThat(p.get("b").data()[0]).isEqualTo(1);
        assertThat(p.sameAs(p.copy())).isTrue();
        assertThat(p.sameAs(c)).isFalse();
    }

    @Test
    void batchValidatesSizes() {
        assertThatThrownBy(() -> new Batch.TokenInputs(2, 3, new int[5])).hasMessageContaining("2×3");
        Batch.TokenInputs in = new Batch.TokenInputs(2, 3, new int[6]);
        assertThatThrownBy(() -> Batch.of(in, new Batch.TokenTargets(new int[6], new boolean[5])))
                .hasMessageContaining("2×3");
        assertThatThrownBy(() -> new Batch(in, new Batch.SequenceTargets(new int[2]), new int[] {1, 4}))
                .hasMessageContaining("length 4");
        assertThat(Batch.of(in, new Batch.SequenceTargets(new int[2])).lengths()).containsExactly(3, 3);
    }

    @Test
    void shapesBroadcastAndMatmulRules() {
        assertThat(Shapes.broadcast("add", new int[] {2, 1, 3}, new int[] {4, 1})).containsExactly(2, 4, 3);
        assertThatThrownBy(() -> Shapes.broadcast("add", new int[] {2, 3}, new int[] {4}))
                .hasMessageContaining("add").hasMessageContaining("[2, 3]");
        assertThat(Shapes.matmul(new int[] {5, 2, 3}, new int[] {3, 4})).containsExactly(5, 2, 4);
        assertThatThrownBy(() -> Shapes.matmul(new int[] {2, 3}, new int[] {4, 5})).hasMessageContaining("inner");
    }
}
