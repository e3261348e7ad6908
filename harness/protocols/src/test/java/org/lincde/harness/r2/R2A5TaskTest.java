package org.lincde.harness.r2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.a5.A5Group;
import org.lincde.spi.Batch;

/** R2's A5 data pipeline (SPEC §3.1, §4.2): splits by seed, unpadded length-2 batches, independent epochs. */
class R2A5TaskTest {

    @Test
    void splitIsEightyTwentyDisjointAndFollowsTheSeed() {
        R2A5Task a = new R2A5Task(4, 1000, R2A5Task.Split.torch(0.8, 2345), 32, 2345);
        assertThat(a.trainRows()).hasSize(800);
        assertThat(a.validationRows()).hasSize(200);
        Set<Integer> train = new HashSet<>();
        Arrays.stream(a.trainRows()).forEach(train::add);
        assertThat(Arrays.stream(a.validationRows()).filter(train::contains)).isEmpty();
        // same seed → same split; another seed → another split (torch: randperm after seeding seed + 1)
        assertThat(new R2A5Task(4, 1000, R2A5Task.Split.torch(0.8, 2345), 32, 1).trainRows())
                .containsExactly(a.trainRows());
        assertThat(new R2A5Task(4, 1000, R2A5Task.Split.torch(0.8, 2346), 32, 2345).trainRows())
                .isNotEqualTo(a.trainRows());
        // the torch split of seed s permutes with seed s + 1, the JAX split with s itself
        assertThat(new R2A5Task(4, 1000, R2A5Task.Split.jax(0.8, 2346), 3, 2345).trainRows())
                .containsExactly(a.trainRows());
    }

    @Test
    void lengthTwoDataAreAllOfThemForJaxAndTheirTrainSplitForTorch() {
        R2A5Task jax = new R2A5Task(3, 500, R2A5Task.Split.jax(0.8, 7), 3, 7);
        R2A5Task torch = new R2A5Task(3, 500, R2A5Task.Split.torch(0.8, 7), 32, 7);
        assertThat(jax.auxiliaryRows()).hasSize(3600);
        assertThat(torch.auxiliaryRows()).hasSize(2880);
        assertThat(IntStream.of(jax.auxiliaryRows()).distinct().count()).isEqualTo(3600);
        Batch aux = jax.auxiliaryBatch(0, 32).orElseThrow();
        assertThat(aux.batchSize()).isEqualTo(3); // batch_size // 10, independent of the main batch size passed
        assertThat(aux.length()).isEqualTo(2); // never padded to N
        assertThat(torch.auxiliaryBatch(5, 32).orElseThrow().batchSize()).isEqualTo(32);
        // labels are prefix products: position 0 is the token itself, position 1 the product
        Batch.TokenInputs in = (Batch.TokenInputs) aux.inputs();
        int[] y = ((Batch.TokenTargets) aux.targets()).labels();
        A5Group g = A5Group.instance();
        for (int i = 0; i < aux.batchSize(); i++) {
            assertThat(y[2 * i]).isEqualTo(in.ids()[2 * i]);
            assertThat(y[2 * i + 1]).isEqualTo(g.multiply(in.ids()[2 * i], in.ids()[2 * i + 1]));
        }
    }

    @Test
    void eachLoaderWalksWholeEpochsOnItsOwnCycle() {
        R2A5Task t = new R2A5Task(3, 100, R2A5Task.Split.torch(0.8, 1), 30, 1); // 80 train rows: 3 batches/epoch
        assertThat(t.batchesPerEpoch(30)).isEqualTo(3);
        int[] sizes = IntStream.range(0, 3).map(s -> t.trainBatch(s, 30).batchSize()).toArray();
        assertThat(sizes).containsExactly(30, 30, 20); // the last batch is short (drop_last=False)
        // one epoch covers every training row once; the next epoch is another order of the same rows
        Set<String> epoch0 = new HashSet<>();
        Set<String> epoch1 = new HashSet<>();
        for (int s = 0; s < 3; s++) {
            collect(t.trainBatch(s, 30), epoch0);
            collect(t.trainBatch(3 + s, 30), epoch1);
        }
        assertThat(epoch0).hasSize(80).isEqualTo(epoch1);
        assertThat(t.trainBatch(0, 30).inputs()).isNotEqualTo(t.trainBatch(3, 30).inputs());
        // the length-2 loader (2880 rows, batch 30: 96 batches) is still in its first epoch at step 3
        Set<String> aux = new HashSet<>();
        for (int s = 0; s < 96; s++) {
            collect(t.auxiliaryBatch(s, 30).orElseThrow(), aux);
        }
        assertThat(aux).hasSize(2880);
        // main batches are unpadded length-N sequences with every position scored
        Batch b = t.trainBatch(0, 30);
        assertThat(b.length()).isEqualTo(3);
        assertThat(((Batch.TokenTargets) b.targets()).maskedCount()).isEqualTo(90);
    }

    private static void collect(Batch b, Set<String> out) {
        Batch.TokenInputs in = (Batch.TokenInputs) b.inputs();
        int len = in.length();
        for (int i = 0; i < in.batch(); i++) {
            out.add(Arrays.toString(Arrays.copyOfRange(in.ids(), i * len, (i + 1) * len)));
        }
    }

    @Test
    void smallSizesDrawDistinctSequencesAndFullSizesEnumerate() {
        assertThat(R2A5Task.sequences(3, 500).size()).isEqualTo(500);
        assertThat(R2A5Task.sequences(2, 1_000_000).size()).isEqualTo(3600);
        Set<String> seen = new HashSet<>();
        var d = R2A5Task.sequences(3, 500);
        for (int r = 0; r < d.size(); r++) {
            seen.add(Arrays.toString(d.input(r)));
        }
        assertThat(seen).hasSize(500);
        assertThat(d.countTargetsNotPrefixProducts()).isZero();
    }
}
