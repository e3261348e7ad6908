package org.lincde.harness.data.a5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.spi.Batch;

class A5TaskTest {
    @TempDir
    Path dir;

    private static int[] ids(Batch b) {
        return ((Batch.TokenInputs) b.inputs()).ids();
    }

    private static int[] labels(Batch b) {
        return ((Batch.TokenTargets) b.targets()).labels();
    }

    private static boolean[] mask(Batch b) {
        return ((Batch.TokenTargets) b.targets()).mask();
    }

    private static List<String> rows(Batch b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < b.batchSize(); i++) {
            out.add(Arrays.toString(Arrays.copyOfRange(ids(b), i * b.length(), (i + 1) * b.length())));
        }
        return out;
    }

    /** SPEC §6 test_a5_dataloader.py: 8 mocked rows, inputs of 3 ids, targets "0 1" / "1 0". */
    private A5Dataset mockedCsv() throws IOException {
        StringBuilder csv = new StringBuilder("seed,input,target\n");
        for (int r = 0; r < 8; r++) {
            csv.append("0,").append(3 * r + 1).append(' ').append(3 * r + 2).append(' ').append(3 * r + 3)
                    .append(',').append(r % 2 == 0 ? "0 1" : "1 0").append('\n');
        }
        Path file = dir.resolve("A5=3.csv");
        Files.writeString(file, csv);
        assertThatThrownBy(() -> A5Csv.read(file)).hasMessageContaining("input has 3 ids but target has 2");
        return A5Csv.read(file, A5Csv.TargetLength.AS_GIVEN);
    }

    @Test
    void r1MockedCsvDataset() throws IOException {
        A5Dataset d = mockedCsv();
        assertThat(d.size()).isEqualTo(8);
        assertThat(d.input(0)).containsExactly(1, 2, 3);
        assertThat(d.target(0)).containsExactly(0, 1);
        assertThat(d.input(7)).containsExactly(22, 23, 24);
    }

    @Test
    void r1MockedCsvLoadersSplitSixTwoIntoDisjointBatches() throws IOException {
        A5Task task = A5Task.of("A5-3", mockedCsv(), null, 0.75, 1234, 0);
        assertThat(task.vocabSize()).isEqualTo(60);
        assertThat(task.labelDim()).isEqualTo(60);
        assertThat(task.split().train()).hasSize(6);
        assertThat(task.split().validation()).hasSize(2);
        assertThat(task.stepsPerPass(2)).isEqualTo(3);
        Set<String> train = new HashSet<>();
        for (int step = 0; step < 3; step++) {
            Batch b = task.trainBatch(step, 2);
            assertThat(b.batchSize()).isEqualTo(2);
            assertThat(b.length()).isEqualTo(3); // inputs (2, 3), targets and masks (2, 3) here
            assertThat(labels(b)).hasSize(6);
            assertThat(mask(b)).hasSize(6);
            // targets as given, padded with 0 and masked out where the input is longer
            assertThat(mask(b)).containsExactly(true, true, false, true, true, false);
            int first = ids(b)[0];
            assertThat(Arrays.copyOfRange(labels(b), 0, 3)).containsExactly(first % 2 == 1 ? 0 : 1,
                    first % 2 == 1 ? 1 : 0, 0);
            train.addAll(rows(b));
        }
        assertThat(train).hasSize(6);
        assertThat(task.auxiliaryBatch(0, 2)).isEmpty();
        List<Batch> validation = task.validationBatches(2);
        assertThat(validation).hasSize(1);
        assertThat(validation.get(0).batchSize()).isEqualTo(2);
        assertThat(validation.get(0).length()).isEqualTo(3);
        assertThat(rows(validation.get(0))).doesNotContainAnyElementsOf(train);
    }

    @Test
    void r1MockedCsvWithoutTestSplit() throws IOException {
        A5Task task = A5Task.of("A5-3", mockedCsv(), null, 1.0, 1234, 0);
        assertThat(task.validationBatches(2)).isEmpty();
        assertThat(task.stepsPerPass(2)).isEqualTo(4);
        Set<String> seen = new HashSet<>();
        for (int step = 0; step < 4; step++) {
            Batch b = task.trainBatch(step, 2);
            assertThat(b.batchSize()).isEqualTo(2);
            assertThat(b.length()).isEqualTo(3);
            seen.addAll(rows(b));
        }
        assertThat(seen).hasSize(8);
    }

    @Test
    void trainingBatchesCarryPrefixProductTargetsAndAuxiliaryLengthTwoBatches() {
        A5Task task = A5Task.r1(4, 500, 0.8, 1);
        assertThat(task.name()).isEqualTo("A5-4");
        Batch b = task.trainBatch(0, 32);
        assertThat(b.batchSize()).isEqualTo(32);
        assertThat(b.length()).isEqualTo(4);
        assertThat(b.lengths()).containsOnly(4);
        assertThat(mask(b)).containsOnly(true);
        for (int i = 0; i < 32; i++) {
            int[] word = Arrays.copyOfRange(ids(b), 4 * i, 4 * i + 4);
            assertThat(Arrays.copyOfRange(labels(b), 4 * i, 4 * i + 4)).isEqualTo(A5Words.prefixProducts(word));
        }
        Batch aux = task.auxiliaryBatch(0, 32).orElseThrow();
        assertThat(aux.batchSize()).isEqualTo(3); // 32 // 10
        assertThat(aux.length()).isEqualTo(4); // padded to N
        assertThat(aux.lengths()).containsOnly(2);
        for (int i = 0; i < 3; i++) {
            int[] word = Arrays.copyOfRange(ids(aux), 4 * i, 4 * i + 2);
            assertThat(Arrays.copyOfRange(labels(aux), 4 * i, 4 * i + 4))
                    .containsExactly(A5Words.prefixProducts(word)[0], A5Words.prefixProducts(word)[1], 0, 0);
            assertThat(Arrays.copyOfRange(mask(aux), 4 * i, 4 * i + 4)).containsExactly(true, true, false, false);
            assertThat(Arrays.copyOfRange(ids(aux), 4 * i + 2, 4 * i + 4)).containsExactly(0, 0);
        }
    }

    @Test
    void eachPassVisitsEveryTrainingSequenceOnceAndPassesReshuffle() {
        A5Task task = A5Task.r1(4, 500, 0.8, 1);
        // 400 training rows in batches of 32: 12 full batches and one of 16; the length-2 loader
        // has 3600 / 3 = 1200 batches, so a pass is 13 steps
        assertThat(task.stepsPerPass(32)).isEqualTo(13);
        List<String> pass0 = new ArrayList<>();
        List<String> pass1 = new ArrayList<>();
        for (int step = 0; step < 13; step++) {
            Batch b = task.trainBatch(step, 32);
            assertThat(b.batchSize()).isEqualTo(step < 12 ? 32 : 16);
            pass0.addAll(rows(b));
            pass1.addAll(rows(task.trainBatch(13 + step, 32)));
        }
        assertThat(new HashSet<>(pass0)).hasSize(400);
        assertThat(new HashSet<>(pass1)).isEqualTo(new HashSet<>(pass0));
        assertThat(pass1).isNotEqualTo(pass0);
        Set<String> validation = new HashSet<>();
        for (Batch v : task.validationBatches(32)) {
            validation.addAll(rows(v));
        }
        assertThat(validation).hasSize(100).doesNotContainAnyElementsOf(pass0);
        assertThat(task.validationBatches(32)).extracting(Batch::batchSize).containsExactly(32, 32, 32, 4);
    }

    @Test
    void aShortAuxiliaryLoaderEndsThePassAsInR1sZip() {
        // 40 000 training rows in batches of 256: 157 batches; the length-2 loader has
        // ⌈3600 / 25⌉ = 144, and zip stops at the shorter
        A5Task task = A5Task.r1(4, 50_000, 0.8, 1);
        assertThat(task.stepsPerPass(256)).isEqualTo(144);
        Set<String> aux = new HashSet<>();
        for (int step = 0; step < 144; step++) {
            Batch b = task.auxiliaryBatch(step, 256).orElseThrow();
            assertThat(b.batchSize()).isEqualTo(step < 143 ? 25 : 3600 - 143 * 25);
            aux.addAll(rows(b));
        }
        assertThat(aux).hasSize(3600);
    }

    @Test
    void batchesDependOnTheRunSeedButDataAndValidationDoNot() {
        A5Task a = A5Task.r1(5, 400, 0.8, 10);
        A5Task b = A5Task.r1(5, 400, 0.8, 10);
        A5Task c = A5Task.r1(5, 400, 0.8, 11);
        for (long step : new long[] {0, 3, 17, 1000}) {
            assertThat(ids(a.trainBatch(step, 16))).isEqualTo(ids(b.trainBatch(step, 16)));
            assertThat(ids(a.auxiliaryBatch(step, 16).orElseThrow()))
                    .isEqualTo(ids(b.auxiliaryBatch(step, 16).orElseThrow()));
        }
        assertThat(ids(a.trainBatch(0, 16))).isNotEqualTo(ids(c.trainBatch(0, 16)));
        assertThat(ids(a.validationBatches(80).get(0))).isEqualTo(ids(c.validationBatches(80).get(0)));
    }

    @Test
    void lengthTwoAndThreeUseEverySequence() {
        A5Task two = A5Task.r1(2, 1_000_000, 0.8, 1);
        assertThat(two.data().size()).isEqualTo(3600);
        assertThat(two.split().train()).hasSize(2880);
        assertThat(two.validationBatches(1000)).extracting(Batch::batchSize).containsExactly(720);
    }

    @Test
    void rejectsBadArguments() {
        A5Task task = A5Task.r1(4, 100, 0.8, 1);
        assertThatThrownBy(() -> task.trainBatch(-1, 8)).hasMessageContaining("-1");
        assertThatThrownBy(() -> task.trainBatch(0, 0)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> A5Task.r1(4, 1, 0.8, 1).trainBatch(0, 1)).hasMessageContaining("no training data");
        assertThatThrownBy(() -> A5Task.r1(4, 100, 1.5, 1)).hasMessageContaining("1.5");
    }
}
