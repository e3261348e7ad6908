package org.lincde.harness.data.a5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class A5GroupTest {
    private final A5Group group = A5Group.instance();

    /** Composes one-line permutations by hand: (p*q)(i) = p(q(i)), SPEC §3.1. */
    private static int[] compose(int[] p, int[] q) {
        int[] out = new int[5];
        for (int i = 0; i < 5; i++) {
            out[i] = p[q[i] - 1];
        }
        return out;
    }

    @Test
    void elementsAreTheEvenPermutationsInLexicographicOrder() {
        assertThat(group.permutation(0)).containsExactly(1, 2, 3, 4, 5);
        // the first even permutations after the identity, listed by hand: 12453, 12534, 13254
        assertThat(group.permutation(1)).containsExactly(1, 2, 4, 5, 3);
        assertThat(group.permutation(2)).containsExactly(1, 2, 5, 3, 4);
        assertThat(group.permutation(3)).containsExactly(1, 3, 2, 5, 4);
        assertThat(group.permutation(59)).containsExactly(5, 4, 3, 2, 1); // 10 inversions: even, and last
        for (int id = 0; id + 1 < A5Group.ORDER; id++) {
            assertThat(Arrays.compare(group.permutation(id), group.permutation(id + 1))).isNegative();
        }
        for (int id = 0; id < A5Group.ORDER; id++) {
            int[] p = group.permutation(id);
            assertThat(p).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
            int inversions = 0;
            for (int i = 0; i < 5; i++) {
                for (int j = i + 1; j < 5; j++) {
                    inversions += p[i] > p[j] ? 1 : 0;
                }
            }
            assertThat(inversions % 2).as("parity of id %d", id).isZero();
            assertThat(group.idOf(p)).isEqualTo(id);
        }
    }

    @Test
    void productAppliesTheRightFactorFirst() {
        // id1 = 12453 is the 3-cycle (3 4 5): its square is 12534 = id2, its cube the identity
        assertThat(group.multiply(1, 1)).isEqualTo(2);
        assertThat(group.multiply(1, 2)).isZero();
        // p = 13254, q = 12453: p*q = 13542 and q*p = 14235 (worked by hand)
        assertThat(group.multiply(3, 1)).isEqualTo(group.idOf(new int[] {1, 3, 5, 4, 2}));
        assertThat(group.multiply(1, 3)).isEqualTo(group.idOf(new int[] {1, 4, 2, 3, 5}));
        for (int a = 0; a < A5Group.ORDER; a++) {
            for (int b = 0; b < A5Group.ORDER; b++) {
                assertThat(group.permutation(group.multiply(a, b)))
                        .isEqualTo(compose(group.permutation(a), group.permutation(b)));
            }
        }
    }

    @Test
    void cayleyTableIsAGroupWithA5sOrderStatistics() {
        assertThat(group.isAssociative()).isTrue();
        assertThat(group.hasIdentityAtZero()).isTrue();
        int[] counts = group.orderCounts();
        assertThat(counts[1]).isEqualTo(1);
        assertThat(counts[2]).isEqualTo(15);
        assertThat(counts[3]).isEqualTo(20);
        assertThat(counts[5]).isEqualTo(24);
        assertThat(counts[1] + counts[2] + counts[3] + counts[5]).isEqualTo(60);
        int[][] table = group.cayleyTable();
        for (int a = 0; a < A5Group.ORDER; a++) {
            assertThat(table[a]).as("row %d is a permutation of the group (Latin square)", a)
                    .containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 60).toArray());
            assertThat(group.multiply(a, group.inverse(a))).isZero();
            assertThat(group.multiply(group.inverse(a), a)).isZero();
        }
        // A5 is not abelian
        assertThat(group.multiply(3, 1)).isNotEqualTo(group.multiply(1, 3));
    }

    @Test
    void prefixProductsFollowTheScanConvention() {
        assertThat(group.prefixProducts(new int[] {1, 1, 1})).containsExactly(1, 2, 0);
        int p = 3;
        int q = 1;
        // acc_1 = p, acc_2 = p*q, acc_3 = (p*q)*p
        int pq = group.idOf(new int[] {1, 3, 5, 4, 2});
        int pqp = group.idOf(compose(new int[] {1, 3, 5, 4, 2}, group.permutation(p)));
        assertThat(group.prefixProducts(new int[] {p, q, p})).containsExactly(p, pq, pqp);
    }

    @Test
    void rejectsIdsOutsideTheGroup() {
        assertThatThrownBy(() -> group.multiply(60, 0)).hasMessageContaining("60");
        assertThatThrownBy(() -> group.idOf(new int[] {2, 1, 3, 4, 5})).hasMessageContaining("not an even");
    }
}
