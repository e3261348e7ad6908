package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lincde.spi.Rng;

class UeaProcessingTest {

    private static UeaSeriesSet set(String file, double[][][] series, String... labels) {
        int[] lines = IntStream.range(0, series.length).map(i -> 10 + i).toArray();
        return new UeaSeriesSet(file, series[0][0].length, series, labels, lines);
    }

    @Test
    void combineEncodesOnTrainConcatenatesDeduplicatesAndPads() {
        double[][] a = {{1, 2}, {3, 4}};
        double[][] b = {{5, 6}};
        double[][] c = {{7, 8}, {9, 10}, {11, 12}};
        UeaSeriesSet train = set("T_TRAIN.ts", new double[][][] {a, b, a}, "2", "10", "2");
        UeaSeriesSet test = set("T_TEST.ts", new double[][][] {c, b.clone(), a}, "10", "2", "2");
        UeaRawDataset raw = UeaRawDataset.combine("T", train, test);
        // sorted label strings: "10" < "2"
        assertThat(raw.encoding().classes()).containsExactly("10", "2");
        // train‖test = a, b, a, c, b, a → keep a(0), b(1), c(3); the duplicate b in test had a
        // different label, but duplicates are decided on the series only (first kept)
        assertThat(raw.size()).isEqualTo(3);
        assertThat(raw.duplicates()).isEqualTo(3);
        assertThat(raw.sourceIndex()).containsExactly(0, 1, 3);
        assertThat(raw.labels()).containsExactly(1, 0, 0);
        assertThat(raw.sources()).containsExactly("T_TRAIN.ts:10", "T_TRAIN.ts:11", "T_TEST.ts:10");
        assertThat(raw.trainCount()).isEqualTo(3);
        assertThat(raw.length()).isEqualTo(3);
        assertThat(raw.lengths()).containsExactly(2, 1, 3);
        // padding repeats each series' last observation
        assertThat(raw.values()).containsExactly(
                1, 2, 3, 4, 3, 4,
                5, 6, 5, 6, 5, 6,
                7, 8, 9, 10, 11, 12);
    }

    @Test
    void combineRefusesUnknownLabelsMissingValuesAndChannelMismatch() {
        UeaSeriesSet train = set("A_TRAIN.ts", new double[][][] {{{1, 2}}}, "x");
        assertThatThrownBy(() -> UeaRawDataset.combine("A", train, set("A_TEST.ts", new double[][][] {{{1, 3}}}, "y")))
                .hasMessageContaining("A_TEST.ts:10").hasMessageContaining("'y'");
        assertThatThrownBy(() -> UeaRawDataset.combine("A", train,
                set("A_TEST.ts", new double[][][] {{{1, 3}}, {{Double.NaN, 1}}}, "x", "x")))
                .hasMessageContaining("A_TEST.ts:11").hasMessageContaining("time 0, channel 0");
        assertThatThrownBy(() -> UeaRawDataset.combine("A", train, set("A_TEST.ts", new double[][][] {{{1}}}, "x")))
                .hasMessageContaining("A_TEST.ts has 1");
    }

    @Test
    void timeChannelIsJOverL() {
        double[] out = TimeChannel.prepend(new double[] {5, 6, 7, 8, 9, 10, 11, 12}, 2, 4, 1, 1.0);
        assertThat(out).containsExactly(0, 5, 0.25, 6, 0.5, 7, 0.75, 8, 0, 9, 0.25, 10, 0.5, 11, 0.75, 12);
    }

    @Test
    void minMaxScalingPerChannelOverAllSamplesAndSteps() {
        // channel 0 spans [−2, 6], channel 1 is constant 3
        double[] x = {-2, 3, 0, 3, 6, 3, 2, 3};
        MinMaxScaling s = MinMaxScaling.fit(x, 2);
        assertThat(s.min()).containsExactly(-2, 3);
        assertThat(s.max()).containsExactly(6, 3);
        double[] y = s.apply(x);
        double e = MinMaxScaling.EPSILON;
        assertThat(y[0]).isEqualTo(-1.0);
        assertThat(y[2]).isCloseTo(2 * 2 / (8 + e) - 1, within(1e-15));
        assertThat(y[4]).isCloseTo(2 * 8 / (8 + e) - 1, within(1e-15));
        assertThat(y[4]).isLessThan(1.0).isGreaterThan(1 - 1e-8);
        assertThat(y[1]).isEqualTo(-1.0); // a constant channel maps to −1
        assertThat(y[7]).isEqualTo(-1.0);
    }

    @Test
    void splitSizesAreTheAuthorsBounds() {
        // SPEC §3.5 test sizes: EW 36 of 236, EC 79 of 524, HB 62 of 409, MI 57 of 378, SCP1 85 of 561
        int[][] cases = {{236, 165, 35, 36}, {524, 366, 79, 79}, {409, 286, 61, 62}, {378, 264, 57, 57},
            {561, 392, 84, 85}, {380, 266, 57, 57}};
        for (int[] c : cases) {
            RandomSplit split = RandomSplit.of(c[0], Rng.seeded(1));
            assertThat(split.train()).as("N=%d", c[0]).hasSize(c[1]);
            assertThat(split.validation()).as("N=%d", c[0]).hasSize(c[2]);
            assertThat(split.test()).as("N=%d", c[0]).hasSize(c[3]);
            Set<Integer> all = new HashSet<>();
            for (int[] part : List.of(split.train(), split.validation(), split.test())) {
                for (int i : part) {
                    all.add(i);
                }
            }
            assertThat(all).hasSize(c[0]).allMatch(i -> i >= 0 && i < c[0]);
        }
        RandomSplit one = RandomSplit.of(100, Rng.seeded(2345));
        assertThat(RandomSplit.of(100, Rng.seeded(2345)).train()).containsExactly(one.train());
        assertThat(RandomSplit.of(100, Rng.seeded(3456)).train()).isNotEqualTo(one.train());
    }

    @Test
    void trainingSamplerReshufflesEachEpochAndDropsTheTail() {
        // 10 cases, batch 3: batches end at 3, 6, 9 < 10 → 3 batches per epoch, case of the 10th dropped
        Iterator<int[]> it = EpochBatchSampler.training(10, 3, Rng.seeded(7));
        List<int[]> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            first.add(it.next());
        }
        int[] perm0 = Rng.seeded(7).stream("epoch", 0L).permutation(10);
        int[] perm1 = Rng.seeded(7).stream("epoch", 1L).permutation(10);
        assertThat(first.get(0)).containsExactly(Arrays.copyOfRange(perm0, 0, 3));
        assertThat(first.get(2)).containsExactly(Arrays.copyOfRange(perm0, 6, 9));
        assertThat(first.get(3)).containsExactly(Arrays.copyOfRange(perm1, 0, 3));
        // exactly full last batch is dropped too: 9 cases, batch 3 → 2 batches per epoch
        Iterator<int[]> nine = EpochBatchSampler.training(9, 3, Rng.seeded(7));
        nine.next();
        nine.next();
        assertThat(nine.next()).containsExactly(
                Arrays.copyOfRange(Rng.seeded(7).stream("epoch", 1L).permutation(9), 0, 3));
        // batch == size: the whole set in stored order
        assertThat(EpochBatchSampler.training(4, 4, Rng.seeded(7)).next()).containsExactly(0, 1, 2, 3);
        assertThatThrownBy(() -> EpochBatchSampler.training(4, 5, Rng.seeded(7))).hasMessageContaining("larger");
        List<int[]> eval = EpochBatchSampler.inOrder(7, 3);
        assertThat(eval).hasSize(3);
        assertThat(eval.get(2)).containsExactly(6);
    }

    @Test
    void heartbeatAndMotorImageryDivisors() {
        assertThat(UeaQuirks.linearNcdeLogSignatureDivisor("Heartbeat", false)).isEqualTo(10.0);
        assertThat(UeaQuirks.linearNcdeLogSignatureDivisor("Heartbeat", true)).isEqualTo(100.0);
        assertThat(UeaQuirks.linearNcdeLogSignatureDivisor("MotorImagery", true)).isEqualTo(100.0);
        assertThat(UeaQuirks.linearNcdeLogSignatureDivisor("MotorImagery", false)).isEqualTo(1.0);
        assertThat(UeaQuirks.linearNcdeLogSignatureDivisor("EigenWorms", true)).isEqualTo(1.0);
    }
}
