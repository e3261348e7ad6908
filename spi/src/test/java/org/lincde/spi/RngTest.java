package org.lincde.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RngTest {

    /** Random123's kat_vectors for philox4x32 with 10 rounds: counter[4] key[2] → output[4]. */
    @ParameterizedTest
    @CsvSource({
        "00000000,00000000,00000000,00000000,00000000,00000000,6627e8d5,e169c58d,bc57ac4c,9b00dbd8",
        "ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,408f276d,41c83b0e,a20bc7c6,6d5451fd",
        "243f6a88,85a308d3,13198a2e,03707344,a4093822,299f31d0,d16cfe09,94fdcceb,5001e420,24126ea1"})
    void philoxMatchesRandom123KnownAnswers(String c0, String c1, String c2, String c3, String k0, String k1,
                                            String o0, String o1, String o2, String o3) {
        int[] out = new int[4];
        Rng.philox(hex(c0), hex(c1), hex(c2), hex(c3), hex(k0), hex(k1), out);
        assertThat(out).containsExactly(hex(o0), hex(o1), hex(o2), hex(o3));
    }

    private static int hex(String s) {
        return (int) Long.parseLong(s, 16);
    }

    @Test
    void firstDrawsOfSeedZeroAreThePhiloxBlockAtCounterZero() {
        Rng r = Rng.seeded(0);
        int[] block = new int[4];
        Rng.philox(0, 0, 0, 0, 0, 0, block);
        assertThat(new int[] {r.nextInt32(), r.nextInt32(), r.nextInt32(), r.nextInt32()}).containsExactly(block);
        Rng.philox(1, 0, 0, 0, 0, 0, block);
        assertThat(r.nextInt32()).isEqualTo(block[0]);
    }

    @Test
    void sameSeedSameStreamAndNamedStreamsAreIndependentOfPosition() {
        Rng a = Rng.seeded(42);
        Rng b = Rng.seeded(42);
        for (int i = 0; i < 100; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
        Rng fresh = Rng.seeded(42);
        assertThat(a.stream("init", "vf_A").nextLong()).isEqualTo(fresh.stream("init", "vf_A").nextLong());
        assertThat(fresh.stream("x").nextLong()).isNotEqualTo(fresh.stream("y").nextLong());
        assertThat(fresh.stream("a", "b").key()).isNotEqualTo(fresh.stream("ab").key());
    }

    @Test
    void uniformAndNormalMomentsMatchTheirDistributions() {
        Rng r = Rng.seeded(7);
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        double u = 0;
        for (int i = 0; i < n; i++) {
            double z = r.nextNormal();
            s += z;
            s2 += z * z;
            double x = r.nextDouble();
            assertThat(x).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            u += x;
        }
        // standard errors: mean 1/sqrt(n) ≈ 0.0022, variance sqrt(2/n) ≈ 0.0032; 5 sigma bounds
        assertThat(s / n).isCloseTo(0.0, within(0.012));
        assertThat(s2 / n).isCloseTo(1.0, within(0.016));
        assertThat(u / n).isCloseTo(0.5, within(0.0033));
    }

    @Test
    void boundedIntegersAreUnbiasedAndInRange() {
        Rng r = Rng.seeded(3);
        int[] counts = new int[6];
        for (int i = 0; i < 60_000; i++) {
            counts[r.nextInt(6)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500); // 10000 ± 5σ (σ ≈ 91)
        }
        assertThat(r.nextIntInclusive(3, 3)).isEqualTo(3);
        assertThatThrownBy(() -> r.nextInt(0)).hasMessageContaining("0");
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = Rng.seeded(9).permutation(1000);
        boolean[] seen = new boolean[1000];
        for (int v : p) {
            assertThat(seen[v]).isFalse();
            seen[v] = true;
        }
        assertThat(p).isNotEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
    }

    @Test
    void bulkFillIsCounterIndexedAndContinuesTheStream() {
        Rng bulk = Rng.seeded(5).stream("x");
        bulk.nextInt32(); // a partly used block is skipped by the fill
        int[] big = new int[100_003];
        bulk.fillInt32(big);
        int[] block = new int[4];
        long key = Rng.seeded(5).stream("x").key();
        for (int i : new int[] {0, 1, 2, 3, 4, 16_383, 16_384, 65_537, 100_002}) {
            long ctr = 1 + i / 4;
            Rng.philox((int) ctr, (int) (ctr >>> 32), 0, 0, (int) key, (int) (key >>> 32), block);
            assertThat(big[i]).as("element %d", i).isEqualTo(block[i % 4]);
        }
        // the stream goes on after the last block the fill used
        long next = 1 + (100_003 + 3) / 4;
        Rng.philox((int) next, 0, 0, 0, (int) key, (int) (key >>> 32), block);
        assertThat(bulk.nextInt32()).isEqualTo(block[0]);
    }

    @Test
    void dropoutMaskDropsTheRequestedFractionAndScalesTheRest() {
        double[] m = org.lincde.spi.model.Dropout.mask(Rng.seeded(11), 0.25, 200_000);
        long zeros = java.util.Arrays.stream(m).filter(v -> v == 0).count();
        assertThat(zeros / 200_000.0).isCloseTo(0.25, within(0.005)); // σ ≈ 0.001
        assertThat(java.util.Arrays.stream(m).filter(v -> v != 0).allMatch(v -> v == 1 / 0.75)).isTrue();
        assertThat(org.lincde.spi.model.Dropout.mask(Rng.seeded(11), 0.25, 1000))
                .containsExactly(java.util.Arrays.copyOf(m, 1000));
    }
}
