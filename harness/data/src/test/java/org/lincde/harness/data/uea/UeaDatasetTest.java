package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lincde.harness.signature.LogSignature;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

class UeaDatasetTest {

    @Test
    void basicMotionsLogSignatureBatches() throws IOException {
        UeaRawDataset raw = UeaRawDataset.load(ShippedUeaData.dataset("BasicMotions"), "BasicMotions");
        assertThat(raw.size() + raw.duplicates()).isEqualTo(80);
        assertThat(raw.numClasses()).isEqualTo(4);
        assertThat(raw.encoding().classes()).containsExactly("Badminton", "Running", "Standing", "Walking");
        UeaDataset ds = UeaDataset.build(raw, UeaDataset.Options.linearNcde(true, 4, 2), Rng.seeded(2345).stream("split"));
        int n = raw.size();
        assertThat(ds.channels()).isEqualTo(7);
        assertThat(ds.intervals()).isEqualTo(26); // ⌈101/4⌉
        assertThat(ds.logSignatureDimension()).isEqualTo(7 + 21);
        assertThat(ds.train().size()).isEqualTo((int) (n * 0.7));
        assertThat(ds.train().size() + ds.validation().size() + ds.test().size()).isEqualTo(n);

        // every scaled channel spans [−1, 1): the time channel of x0 is its minimum t = 0 → −1
        UeaDataset.Split train = ds.train();
        Batch batch = train.logSignatureBatch(new int[] {0, 1, 2});
        Batch.ChannelInputs in = (Batch.ChannelInputs) batch.inputs();
        assertThat(in.batch()).isEqualTo(3);
        assertThat(in.length()).isEqualTo(26);
        assertThat(in.channels()).isEqualTo(28);
        assertThat(in.initialChannels()).isEqualTo(7);
        assertThat(in.initial()[0]).isEqualTo(-1.0);
        assertThat(batch.lengths()).containsOnly(26);
        int[] cases = train.cases();
        assertThat(((Batch.SequenceTargets) batch.targets()).labels())
                .containsExactly(raw.labels()[cases[0]], raw.labels()[cases[1]], raw.labels()[cases[2]]);

        // x0 and the first interval, recomputed here from the raw file values and the scaling
        MinMaxScaling scaling = ds.scaling().orElseThrow();
        double[] rawFirst = new double[7];
        rawFirst[0] = 0.0;
        System.arraycopy(raw.values(), cases[1] * 100 * 6, rawFirst, 1, 6);
        double[] scaledFirst = scaling.apply(rawFirst);
        for (int c = 0; c < 7; c++) {
            assertThat(in.initial()[7 + c]).isCloseTo(scaledFirst[c], within(1e-15));
        }
        double[][] chunk0 = new double[5][7]; // [0, 0, X0, X1, X2] (prefix zero, prepended zero)
        for (int t = 0; t < 3; t++) {
            double[] obs = new double[7];
            obs[0] = t / 100.0;
            System.arraycopy(raw.values(), (cases[1] * 100 + t) * 6, obs, 1, 6);
            chunk0[t + 2] = scaling.apply(obs);
        }
        double[] expected = LogSignature.of(chunk0, 2);
        for (int i = 0; i < 28; i++) {
            assertThat(in.values()[26 * 28 + i]).as("coordinate %d", i).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void faithfulAndCleanDifferOnlyInTheLastIntervalAndTheDivisorDivides() throws IOException {
        UeaRawDataset raw = UeaRawDataset.load(ShippedUeaData.dataset("BasicMotions"), "BasicMotions");
        UeaDataset.Options opts = UeaDataset.Options.linearNcde(false, 4, 2); // M = 101, r = 1
        UeaDataset faithful = UeaDataset.build(raw, opts, Rng.seeded(1));
        UeaDataset clean = UeaDataset.build(raw, opts.withFaithful(false), Rng.seeded(1));
        UeaDataset divided = UeaDataset.build(raw, opts.withLogSignatureDivisor(10), Rng.seeded(1));
        int width = faithful.logSignatureDimension();
        int n = faithful.intervals();
        double[] f = faithful.validation().logSignatures();
        double[] c = clean.validation().logSignatures();
        double[] d = divided.validation().logSignatures();
        int samples = faithful.validation().size();
        int lastDiffers = 0;
        for (int b = 0; b < samples; b++) {
            int from = b * n * width;
            int last = from + (n - 1) * width;
            assertThat(Arrays.copyOfRange(f, from, last)).isEqualTo(Arrays.copyOfRange(c, from, last));
            if (!Arrays.equals(Arrays.copyOfRange(f, last, last + width), Arrays.copyOfRange(c, last, last + width))) {
                lastDiffers++;
            }
        }
        assertThat(lastDiffers).isEqualTo(samples);
        for (int i = 0; i < f.length; i++) {
            assertThat(d[i]).isEqualTo(f[i] / 10);
        }
    }

    @Test
    void rawBatchesAreUnscaledAndTrainingBatchesReshuffle() throws IOException {
        UeaRawDataset raw = UeaRawDataset.load(ShippedUeaData.dataset("BasicMotions"), "BasicMotions");
        UeaDataset ds = UeaDataset.build(raw, UeaDataset.Options.linearNcde(true, 4, 1), Rng.seeded(3));
        UeaDataset.Split test = ds.test();
        Batch b = test.rawBatch(new int[] {2});
        Batch.ChannelInputs in = (Batch.ChannelInputs) b.inputs();
        assertThat(in.length()).isEqualTo(100);
        assertThat(in.channels()).isEqualTo(7);
        assertThat(in.initial()).isNull();
        int src = test.cases()[2];
        assertThat(in.values()[7 * 50]).isEqualTo(0.5); // time channel t_50 = 50/100, unscaled
        assertThat(in.values()[7 * 50 + 3]).isEqualTo(raw.values()[(src * 100 + 50) * 6 + 2]);

        List<Batch> eval = ds.validation().logSignatureBatches(5);
        assertThat(eval.stream().mapToInt(Batch::batchSize).sum()).isEqualTo(ds.validation().size());

        int trainSize = ds.train().size();
        Iterator<Batch> it = ds.trainingLogSignatureBatches(32, Rng.seeded(9).stream("batches"));
        Iterator<Batch> again = ds.trainingLogSignatureBatches(32, Rng.seeded(9).stream("batches"));
        Set<String> distinct = new HashSet<>();
        for (int step = 0; step < 4; step++) {
            Batch x = it.next();
            Batch y = again.next();
            assertThat(x.batchSize()).isEqualTo(Math.min(32, trainSize));
            assertThat(((Batch.ChannelInputs) x.inputs()).values())
                    .isEqualTo(((Batch.ChannelInputs) y.inputs()).values());
            distinct.add(Arrays.toString(((Batch.SequenceTargets) x.targets()).labels()));
        }
        assertThat(distinct).hasSizeGreaterThan(1);
        assertThat(ds.trainingRawBatches(8, Rng.seeded(9)).next().batchSize()).isEqualTo(8);
    }

    @Test
    void japaneseVowelsArePaddedWithTheirLastObservation() throws IOException {
        UeaRawDataset raw = UeaRawDataset.load(ShippedUeaData.dataset("JapaneseVowels"), "JapaneseVowels");
        assertThat(raw.size() + raw.duplicates()).isEqualTo(640);
        assertThat(raw.length()).isEqualTo(29);
        assertThat(raw.numClasses()).isEqualTo(9);
        assertThat(Arrays.stream(raw.lengths()).min().orElseThrow()).isEqualTo(7);
        int shortest = 0;
        for (int i = 0; i < raw.size(); i++) {
            if (raw.lengths()[i] < raw.lengths()[shortest]) {
                shortest = i;
            }
        }
        int li = raw.lengths()[shortest];
        for (int t = li; t < 29; t++) {
            for (int c = 0; c < 12; c++) {
                assertThat(raw.values()[(shortest * 29 + t) * 12 + c])
                        .isEqualTo(raw.values()[(shortest * 29 + li - 1) * 12 + c]);
            }
        }
        UeaDataset ds = UeaDataset.build(raw, UeaDataset.Options.linearNcde(true, 2, 2), Rng.seeded(4));
        assertThat(ds.intervals()).isEqualTo(15);
        assertThat(ds.logSignatureDimension()).isEqualTo(13 + 78);
        Batch rawBatch = ds.train().rawBatch(new int[] {0, 1, 2, 3});
        int[] cases = ds.train().cases();
        for (int i = 0; i < 4; i++) {
            assertThat(rawBatch.lengths()[i]).isEqualTo(raw.lengths()[cases[i]]);
        }
    }
}
