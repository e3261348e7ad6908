package org.lincde.harness.data.a5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

class A5DatasetTest {

    @Test
    void lengthTwoIsEverySequenceInProductOrder() {
        A5Dataset d = A5Dataset.allSequences(2);
        assertThat(d.size()).isEqualTo(3600);
        assertThat(d.inputLength()).isEqualTo(2);
        assertThat(d.targetLength()).isEqualTo(2);
        for (int r = 0; r < 3600; r++) {
            assertThat(d.input(r)).containsExactly(r / 60, r % 60);
            assertThat(d.target(r)).isEqualTo(A5Words.prefixProducts(d.input(r)));
        }
        assertThat(d.countTargetsNotPrefixProducts()).isZero();
    }

    @Test
    void lengthThreeIsEverySequence() {
        A5Dataset d = A5Dataset.r1(3, 1_000_000);
        assertThat(d.size()).isEqualTo(216_000);
        assertThat(d.input(0)).containsExactly(0, 0, 0);
        assertThat(d.input(7 * 60 + 3)).containsExactly(0, 7, 3);
        assertThat(d.input(215_999)).containsExactly(59, 59, 59);
        assertThat(d.target(215_999)).isEqualTo(A5Words.prefixProducts(new int[] {59, 59, 59}));
    }

    @Test
    void randomSequencesAreDistinctUniformAndLabelledByPrefixProducts() {
        A5Dataset d = A5Dataset.distinctRandomSequences(4, 5000, Rng.seeded(7).stream("test"));
        assertThat(d.size()).isEqualTo(5000);
        Set<List<Integer>> seen = new HashSet<>();
        int[] counts = new int[60];
        for (int r = 0; r < d.size(); r++) {
            int[] in = d.input(r);
            assertThat(seen.add(Arrays.stream(in).boxed().toList())).isTrue();
            assertThat(d.target(r)).isEqualTo(A5Words.prefixProducts(in));
            for (int id : in) {
                counts[id]++;
            }
        }
        // 20 000 uniform ids over 60 values: expected 333.3 each, standard deviation ≈ 18
        for (int id = 0; id < 60; id++) {
            assertThat(counts[id]).as("count of id %d", id).isBetween(250, 420);
        }
    }

    @Test
    void longSequencesUseSeveralPackedWordsAndStayDistinct() {
        // N = 21 packs into three longs; a duplicate check that ignored a word would still pass the
        // size, so compare against a Java set
        A5Dataset d = A5Dataset.distinctRandomSequences(21, 2000, Rng.seeded(1));
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < d.size(); r++) {
            seen.add(Arrays.toString(d.input(r)));
        }
        assertThat(seen).hasSize(2000);
    }

    @Test
    void drawingEveryPossibleSequenceFindsEachOnce() {
        A5Dataset d = A5Dataset.distinctRandomSequences(1, 60, Rng.seeded(3));
        int[] ids = IntStream.range(0, 60).map(r -> d.input(r)[0]).sorted().toArray();
        assertThat(ids).isEqualTo(IntStream.range(0, 60).toArray());
        assertThatThrownBy(() -> A5Dataset.distinctRandomSequences(1, 61, Rng.seeded(3)))
                .hasMessageContaining("61").hasMessageContaining("only 60");
    }

    @Test
    void generationIsAPureFunctionOfTheStream() {
        A5Dataset a = A5Dataset.r1(5, 300);
        A5Dataset b = A5Dataset.r1(5, 300);
        A5Dataset c = A5Dataset.distinctRandomSequences(5, 300, Rng.seeded(99));
        for (int r = 0; r < 300; r++) {
            assertThat(a.input(r)).isEqualTo(b.input(r));
        }
        assertThat(IntStream.range(0, 300).filter(r -> !Arrays.equals(a.input(r), c.input(r))).count())
                .isGreaterThan(290);
    }

    @Test
    void splitIsR1sEightyTwentyWithAFixedSeed() {
        A5Dataset d = A5Dataset.allSequences(2);
        A5Dataset.Split s = d.split(0.8, A5Dataset.SPLIT_SEED);
        assertThat(s.train()).hasSize(2880);
        assertThat(s.validation()).hasSize(720);
        Set<Integer> all = new HashSet<>();
        Arrays.stream(s.train()).forEach(all::add);
        Arrays.stream(s.validation()).forEach(all::add);
        assertThat(all).hasSize(3600);
        assertThat(d.split(0.8, A5Dataset.SPLIT_SEED).train()).isEqualTo(s.train());
        assertThat(d.split(0.8, 1235).train()).isNotEqualTo(s.train());
        A5Dataset.Split full = d.split(1.0, A5Dataset.SPLIT_SEED);
        assertThat(full.train()).hasSize(3600);
        assertThat(full.validation()).isEmpty();
        assertThatThrownBy(() -> d.split(0.0, 1)).hasMessageContaining("0.0");
    }

    @Test
    void batchesPadToTheRequestedLengthWithAMaskOnRealTokens() {
        A5Dataset d = A5Dataset.allSequences(2);
        int[] rows = {61, 3599, 5};
        Batch b = d.batch(rows, 0, 3, 6);
        assertThat(b.batchSize()).isEqualTo(3);
        assertThat(b.length()).isEqualTo(6);
        assertThat(b.lengths()).containsExactly(2, 2, 2);
        Batch.TokenInputs in = (Batch.TokenInputs) b.inputs();
        Batch.TokenTargets t = (Batch.TokenTargets) b.targets();
        assertThat(Arrays.copyOfRange(in.ids(), 0, 6)).containsExactly(1, 1, 0, 0, 0, 0);
        assertThat(Arrays.copyOfRange(t.labels(), 0, 6)).containsExactly(1, 2, 0, 0, 0, 0);
        assertThat(Arrays.copyOfRange(t.mask(), 0, 6)).containsExactly(true, true, false, false, false, false);
        assertThat(Arrays.copyOfRange(in.ids(), 6, 8)).containsExactly(59, 59);
        assertThat(t.maskedCount()).isEqualTo(6);
        // padding below N leaves the sequences unpadded
        assertThat(d.batch(rows, 1, 3, 0).length()).isEqualTo(2);
    }
}
