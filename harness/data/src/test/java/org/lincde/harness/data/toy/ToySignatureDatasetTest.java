package org.lincde.harness.data.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lincde.harness.signature.Signature;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

class ToySignatureDatasetTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void labelsAreTheSignatureTermsOfTheNormalisedPaths(int dim) {
        ToySignatureDataset ds = ToySignatureDataset.generate(60, 100, dim, Rng.seeded(1234).stream("toy", dim));
        int[] word = dim == 2 ? new int[] {0, 1} : new int[] {0, 1, 2};
        double maxAbs = 0;
        for (int i = 0; i < ds.samples(); i++) {
            Signature s = Signature.of(ds.paths(), i * 100 * dim, 100, dim, 4);
            double expected = s.get(word) / ds.labelScale();
            assertThat(ds.labels()[i]).as("sample %d", i).isCloseTo(expected, within(1e-12));
            maxAbs = Math.max(maxAbs, Math.abs(ds.labels()[i]));
        }
        assertThat(maxAbs).isEqualTo(1.0);
    }

    @Test
    void pathsAreRoundedNormalWalksDividedByTheirGlobalMaximum() {
        ToySignatureDataset ds = ToySignatureDataset.generate(7, 30, 3, Rng.seeded(42));
        // redraw the same stream here: round half to even, cumulative sum, global max |value|
        Rng rng = Rng.seeded(42);
        double[] walk = new double[7 * 30 * 3];
        double max = 0;
        for (int b = 0; b < 7; b++) {
            for (int t = 0; t < 30; t++) {
                for (int c = 0; c < 3; c++) {
                    int i = (b * 30 + t) * 3 + c;
                    walk[i] = Math.rint(rng.nextNormal()) + (t == 0 ? 0 : walk[i - 3]);
                    max = Math.max(max, Math.abs(walk[i]));
                }
            }
        }
        assertThat(ds.pathScale()).isEqualTo(max);
        assertThat(max).isEqualTo(Math.rint(max)).isPositive();
        double seenMax = 0;
        for (int i = 0; i < walk.length; i++) {
            assertThat(ds.paths()[i]).isEqualTo(walk[i] / max);
            seenMax = Math.max(seenMax, Math.abs(ds.paths()[i]));
        }
        assertThat(seenMax).isEqualTo(1.0);
    }

    @Test
    void handWorkedWordSignature() {
        // (0,0) → (1,0) → (1,1): S^{12} = 1; (0,0,0) → (1,0,0) → (1,1,0) → (1,1,1): S^{123} = 1;
        // a straight line δ=(2,3): S^{12} = δ¹δ²/2 = 3
        double[] ws = new double[4];
        assertThat(ToySignatureDataset.wordSignature(new double[] {0, 0, 1, 0, 1, 1}, 0, 3, 2, ws)).isEqualTo(1.0);
        assertThat(ToySignatureDataset.wordSignature(new double[] {0, 0, 1, 1, 0, 0}, 0, 3, 2, ws)).isEqualTo(0.0);
        assertThat(ToySignatureDataset.wordSignature(new double[] {0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1}, 0, 4, 3, ws))
                .isEqualTo(1.0);
        assertThat(ToySignatureDataset.wordSignature(new double[] {9, 1, 1, 2, 2, 4}, 2, 2, 2, ws))
                .isCloseTo(1.0 * 2.0 / 2, within(1e-15));
        assertThat(ToySignatureDataset.wordSignature(new double[] {0, 0, 2, 3}, 0, 2, 2, ws)).isEqualTo(3.0);
    }

    @Test
    void splitShapesAndBatches() {
        ToySignatureDataset ds = ToySignatureDataset.generate(50, 100, 2, Rng.seeded(3));
        assertThat(ds.paths()).hasSize(50 * 100 * 2);
        assertThat(ds.labels()).hasSize(50);
        assertThat(ds.train().size()).isEqualTo(40);
        assertThat(ds.validation().size()).isEqualTo(10);
        assertThat(ds.validation().start()).isEqualTo(40);
        assertThat(ds.validation().labels()).containsExactly(Arrays.copyOfRange(ds.labels(), 40, 50));
        assertThat(ds.train().paths()).containsExactly(Arrays.copyOfRange(ds.paths(), 0, 40 * 200));

        Batch b = ds.validation().batch(2, 5);
        Batch.ChannelInputs in = (Batch.ChannelInputs) b.inputs();
        Batch.RealTargets y = (Batch.RealTargets) b.targets();
        assertThat(in.batch()).isEqualTo(3);
        assertThat(in.length()).isEqualTo(100);
        assertThat(in.channels()).isEqualTo(2);
        assertThat(y.dim()).isEqualTo(1);
        assertThat(y.values()).containsExactly(ds.labels()[42], ds.labels()[43], ds.labels()[44]);
        assertThat(Arrays.copyOfRange(in.values(), 0, 200)).containsExactly(Arrays.copyOfRange(ds.paths(), 42 * 200,
                43 * 200));

        List<Batch> eval = ds.validation().batches(4);
        assertThat(eval).extracting(Batch::batchSize).containsExactly(4, 4, 2);

        // every training sample once per epoch, last batch partial, reproducible
        Iterator<Batch> it = ds.train().trainingBatches(16, Rng.seeded(8));
        Iterator<Batch> again = ds.train().trainingBatches(16, Rng.seeded(8));
        Set<Double> seen = new HashSet<>();
        int[] sizes = new int[3];
        for (int k = 0; k < 3; k++) {
            Batch x = it.next();
            sizes[k] = x.batchSize();
            assertThat(((Batch.RealTargets) again.next().targets()).values())
                    .containsExactly(((Batch.RealTargets) x.targets()).values());
            for (double v : ((Batch.RealTargets) x.targets()).values()) {
                seen.add(v);
            }
        }
        assertThat(sizes).containsExactly(16, 16, 8);
        Set<Double> all = new HashSet<>();
        for (double v : ds.train().labels()) {
            all.add(v);
        }
        assertThat(seen).isEqualTo(all);
    }

    @Test
    void predictingZeroAndDeterminism() {
        assertThat(ToySignatureDataset.predictingZeroRmse(new double[] {3, -4})).isEqualTo(Math.sqrt(12.5));
        ToySignatureDataset a = ToySignatureDataset.generate(20, 10, 2, Rng.seeded(5));
        ToySignatureDataset b = ToySignatureDataset.generate(20, 10, 2, Rng.seeded(5));
        ToySignatureDataset c = ToySignatureDataset.generate(20, 10, 2, Rng.seeded(6));
        assertThat(a.paths()).isEqualTo(b.paths());
        assertThat(a.labels()).isEqualTo(b.labels());
        assertThat(a.paths()).isNotEqualTo(c.paths());
        double sq = 0;
        for (double v : a.validation().labels()) {
            sq += v * v;
        }
        assertThat(a.validation().predictingZeroRmse()).isCloseTo(Math.sqrt(sq / 4), within(1e-15));
        assertThatThrownBy(() -> ToySignatureDataset.generate(0, 10, 2, Rng.seeded(1))).hasMessageContaining("≥ 1");
        assertThatThrownBy(() -> a.train().batch(0, 17)).hasMessageContaining("16 train samples");
    }
}
