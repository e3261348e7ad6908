package org.lincde.harness.data.formal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.TaskOptions;
import org.lincde.harness.data.TokenBatches;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Batch;

class FormalLanguageTokenTaskTest {
    /** R1's values with a small validation set. */
    private static final TaskOptions OPTIONS = TaskOptions.r1Defaults(1234).withValidationSamples(40);

    private static int[] ids(Batch b) {
        return ((Batch.TokenInputs) b.inputs()).ids();
    }

    private static Batch.TokenTargets targets(Batch b) {
        return (Batch.TokenTargets) b.targets();
    }

    @Test
    void trainingBatchesArePaddedToFortyWithTheLabelAtTheLastRealPosition() {
        FormalLanguageTokenTask task = new FormalLanguageTokenTask(new Parity(), OPTIONS);
        assertThat(task.name()).isEqualTo("parity");
        assertThat(task.vocabSize()).isEqualTo(3);
        assertThat(task.labelDim()).isEqualTo(3);
        Batch b = task.trainBatch(0, 64);
        assertThat(b.batchSize()).isEqualTo(64);
        assertThat(b.length()).isEqualTo(40);
        int[] ids = ids(b);
        Batch.TokenTargets t = targets(b);
        for (int i = 0; i < 64; i++) {
            int len = b.lengths()[i];
            assertThat(len).isBetween(3, 40);
            int bs = 0;
            for (int k = 0; k < 40; k++) {
                int id = ids[i * 40 + k];
                assertThat(id != 0).as("row %d position %d is real", i, k).isEqualTo(k < len);
                bs += id == 2 ? 1 : 0;
                assertThat(t.mask()[i * 40 + k]).isEqualTo(k == len - 1);
            }
            assertThat(t.labels()[i * 40 + len - 1]).isEqualTo(bs % 2 == 0 ? 1 : 2);
        }
        assertThat(task.auxiliaryBatch(0, 64)).isEmpty();
    }

    @Test
    void batchesAreAPureFunctionOfSeedAndStep() {
        FormalLanguageTokenTask a = new FormalLanguageTokenTask(new CycleNavigation(), OPTIONS);
        FormalLanguageTokenTask b = new FormalLanguageTokenTask(new CycleNavigation(), OPTIONS);
        FormalLanguageTokenTask c = new FormalLanguageTokenTask(new CycleNavigation(), OPTIONS.withSeed(1235));
        assertThat(ids(a.trainBatch(7, 16))).isEqualTo(ids(b.trainBatch(7, 16)));
        assertThat(ids(a.trainBatch(7, 16))).isNotEqualTo(ids(a.trainBatch(8, 16)));
        assertThat(ids(a.trainBatch(7, 16))).isNotEqualTo(ids(c.trainBatch(7, 16)));
        // step t holds examples t·B … t·B+B−1 of the stream, whatever was asked before
        Batch step3 = a.trainBatch(3, 16);
        Batch direct = TokenBatches.collate(a.trainData().examples(48, 16), 40);
        assertThat(ids(step3)).isEqualTo(ids(direct));
        assertThat(targets(step3).labels()).isEqualTo(targets(direct).labels());
    }

    @Test
    void validationUsesTwiceTheSeedLongLengthsAndPaddingTwoFiftySix() {
        FormalLanguageTokenTask task = new FormalLanguageTokenTask(new EvenPairs(), OPTIONS);
        List<Batch> validation = task.validationBatches(16);
        assertThat(validation).extracting(Batch::batchSize).containsExactly(16, 16, 8);
        assertThat(validation).extracting(Batch::length).containsOnly(256);
        FormalLanguageDataset expected = new FormalLanguageDataset(new EvenPairs(), 40, 256, 2468);
        List<TokenExample> examples = expected.examples(0, 40);
        for (int i = 0; i < 40; i++) {
            Batch b = validation.get(i / 16);
            int row = i % 16;
            assertThat(b.lengths()[row]).isBetween(40, 256).isEqualTo(examples.get(i).input().length);
            assertThat(Arrays.copyOfRange(ids(b), row * 256, row * 256 + b.lengths()[row]))
                    .isEqualTo(examples.get(i).input());
        }
        // the same set on every call and for any batch size
        assertThat(ids(task.validationBatches(40).get(0))).startsWith(Arrays.copyOf(ids(validation.get(0)), 256));
        // the training stream is a different one
        assertThat(task.trainData().seed()).isEqualTo(1234);
        assertThat(task.validationData().seed()).isEqualTo(2468);
    }

    @Test
    void paddingIsAParameterAndNeverTruncates() {
        FormalLanguageTokenTask wide = new FormalLanguageTokenTask(new ReverseString(), OPTIONS.withTrainPadding(256));
        assertThat(wide.trainBatch(0, 4).length()).isEqualTo(256);
        FormalLanguageTokenTask tight = new FormalLanguageTokenTask(new ReverseString(), OPTIONS.withTrainPadding(0));
        Batch b = tight.trainBatch(0, 4);
        assertThat(b.length()).isEqualTo(Arrays.stream(b.lengths()).max().orElseThrow());
        // reverse_string's target (length 2|s|) is longer than its input (|s|+1): the batch length
        // and the recorded lengths follow the target
        for (int i = 0; i < 4; i++) {
            assertThat(b.lengths()[i] % 2).isZero();
        }
    }

    @Test
    void everyTaskFitsR1sPaddingOfFortyForTrainingAndTwoFiftySixForValidation() {
        TaskOptions small = OPTIONS.withValidationSamples(24);
        for (String name : FormalLanguageTasks.names()) {
            FormalLanguageTokenTask task = new FormalLanguageTokenTask(FormalLanguageTasks.byName(name), small);
            for (Batch b : List.of(task.trainBatch(0, 24), task.trainBatch(1, 24))) {
                assertThat(b.length()).as(name).isEqualTo(40);
                checkBatch(name, task.vocabSize(), b);
            }
            for (Batch b : task.validationBatches(24)) {
                assertThat(b.length()).as(name).isEqualTo(256);
                checkBatch(name, task.vocabSize(), b);
            }
        }
    }

    private static void checkBatch(String name, int vocab, Batch b) {
        assertThat(Arrays.stream(ids(b)).allMatch(id -> id >= 0 && id < vocab)).as(name).isTrue();
        assertThat(Arrays.stream(targets(b).labels()).allMatch(id -> id >= 0 && id < vocab)).as(name).isTrue();
        for (int i = 0; i < b.batchSize(); i++) {
            boolean any = false;
            for (int k = 0; k < b.length(); k++) {
                any |= targets(b).mask()[i * b.length() + k];
                if (k >= b.lengths()[i]) {
                    assertThat(targets(b).mask()[i * b.length() + k]).as("%s: mask beyond the length", name).isFalse();
                }
            }
            assertThat(any).as("%s row %d has a scored position", name, i).isTrue();
        }
    }

    @Test
    void rejectsBadArguments() {
        FormalLanguageTokenTask task = new FormalLanguageTokenTask(new Parity(), OPTIONS);
        assertThatThrownBy(() -> task.trainBatch(-1, 4)).hasMessageContaining("-1");
        assertThatThrownBy(() -> task.trainBatch(0, 0)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> new FormalLanguageDataset(new BinaryAddition(), 1, 4, 0))
                .hasMessageContaining("minimum 5");
        assertThatThrownBy(() -> new BinaryAddition().generate(org.lincde.spi.Rng.seeded(0), 4))
                .hasMessageContaining("length 4 is below the minimum 5");
    }
}
