package org.lincde.harness.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;

class TokenBatchesTest {
    private static final TokenExample SHORT = new TokenExample(new int[] {1, 2}, new int[] {0, 2},
            new boolean[] {false, true});
    /** An answer after the input, read over padding: input 2 tokens, target 4. */
    private static final TokenExample LONG_TARGET = new TokenExample(new int[] {2, 3}, new int[] {2, 1, 1, 2},
            new boolean[] {false, true, true, true});

    @Test
    void padsInputsTargetsAndMasksToThePaddingLength() {
        Batch b = TokenBatches.collate(List.of(SHORT, LONG_TARGET), 5);
        assertThat(b.batchSize()).isEqualTo(2);
        assertThat(b.length()).isEqualTo(5);
        assertThat(b.lengths()).containsExactly(2, 4);
        assertThat(((Batch.TokenInputs) b.inputs()).ids()).containsExactly(1, 2, 0, 0, 0, 2, 3, 0, 0, 0);
        Batch.TokenTargets t = (Batch.TokenTargets) b.targets();
        assertThat(t.labels()).containsExactly(0, 2, 0, 0, 0, 2, 1, 1, 2, 0);
        assertThat(t.mask()).containsExactly(false, true, false, false, false, false, true, true, true, false);
    }

    @Test
    void aLongerExampleWidensTheBatchInsteadOfBeingTruncated() {
        Batch b = TokenBatches.collate(List.of(SHORT, LONG_TARGET), 3);
        assertThat(b.length()).isEqualTo(4);
        assertThat(TokenBatches.collate(List.of(SHORT), 0).length()).isEqualTo(2);
    }

    @Test
    void rejectsInconsistentExamplesAndEmptyBatches() {
        assertThatThrownBy(() -> new TokenExample(new int[] {1}, new int[] {1, 2}, new boolean[] {true}))
                .hasMessageContaining("target has 2 positions but mask has 1");
        assertThatThrownBy(() -> TokenBatches.collate(List.of(), 4)).hasMessageContaining("empty");
    }
}
