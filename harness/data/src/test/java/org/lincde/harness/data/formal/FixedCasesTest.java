package org.lincde.harness.data.formal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.TokenExample;

/** The fixed preprocessing cases of R1's {@code tests/test_fl_tasks.py} (SPEC §6) and hand-worked ones. */
class FixedCasesTest {

    private static boolean[] mask(int... bits) {
        boolean[] m = new boolean[bits.length];
        for (int i = 0; i < bits.length; i++) {
            m[i] = bits[i] == 1;
        }
        return m;
    }

    private static void check(TokenExample e, int[] input, int[] target, boolean[] mask) {
        assertThat(e.input()).containsExactly(input);
        assertThat(e.target()).containsExactly(target);
        assertThat(e.mask()).containsExactly(mask);
    }

    @Test
    void evenPairs() {
        EvenPairs t = new EvenPairs();
        check(t.preprocess("ab", "b"), new int[] {1, 2}, new int[] {0, 2}, mask(0, 1));
        check(t.preprocess("aa", "a"), new int[] {1, 1}, new int[] {0, 1}, mask(0, 1));
        check(t.preprocess("bab", "b"), new int[] {2, 1, 2}, new int[] {0, 0, 2}, mask(0, 0, 1));
        assertThatThrownBy(() -> t.preprocess("abc", "a")).hasMessageContaining("'c'");
    }

    @Test
    void parity() {
        Parity t = new Parity();
        check(t.preprocess("ababb", "b"), new int[] {1, 2, 1, 2, 2}, new int[] {0, 0, 0, 0, 2}, mask(0, 0, 0, 0, 1));
        check(t.preprocess("aabbb", "b"), new int[] {1, 1, 2, 2, 2}, new int[] {0, 0, 0, 0, 2}, mask(0, 0, 0, 0, 1));
        check(t.preprocess("baaba", "a"), new int[] {2, 1, 1, 2, 1}, new int[] {0, 0, 0, 0, 1}, mask(0, 0, 0, 0, 1));
    }

    @Test
    void cycleNavigation() {
        CycleNavigation t = new CycleNavigation();
        check(t.preprocess(List.of("+1", "-1", "STAY"), 4), new int[] {2, 3, 1}, new int[] {0, 0, 4}, mask(0, 0, 1));
        check(t.preprocess(List.of("+1", "-1", "STAY", "+1"), 5), new int[] {2, 3, 1, 2}, new int[] {0, 0, 0, 5},
                mask(0, 0, 0, 1));
        check(t.preprocess(List.of("STAY", "-1"), 8), new int[] {1, 3}, new int[] {0, 8}, mask(0, 1));
        // and the labels those cases carry are the rule's: +1-1 → 0 → 4; +1-1+1 → 1 → 5; -1 → 4 → 8
        assertThat(CycleNavigation.label(new int[] {2, 3, 1})).isEqualTo(4);
        assertThat(CycleNavigation.label(new int[] {2, 3, 1, 2})).isEqualTo(5);
        assertThat(CycleNavigation.label(new int[] {1, 3})).isEqualTo(8);
        assertThatThrownBy(() -> t.preprocess(List.of("+2"), 4)).hasMessageContaining("'+2'");
    }

    @Test
    void modularArithmeticWithoutBrackets() {
        ModularArithmetic t = new ModularArithmetic();
        // "1+2×1−2=" with an arbitrary label 9
        check(t.preprocess(new int[] {6, 1, 7, 3, 6, 2, 7, 4}, 9), new int[] {6, 1, 7, 3, 6, 2, 7, 4},
                new int[] {0, 0, 0, 0, 0, 0, 0, 9}, mask(0, 0, 0, 0, 0, 0, 0, 1));
        // its true value: 1 + 2·1 − 2 = 1
        assertThat(ModularArithmetic.value(new int[] {6, 1, 7, 3, 6, 2, 7, 4})).isEqualTo(1);
        // 4 − 3×4×2 + 0 = −20 ≡ 0; 3 − 4 = −1 ≡ 4
        assertThat(ModularArithmetic.value(new int[] {9, 2, 8, 3, 9, 3, 7, 1, 5, 4})).isZero();
        assertThat(ModularArithmetic.value(new int[] {8, 2, 9, 4})).isEqualTo(4);
    }

    @Test
    void modularArithmeticWithBrackets() {
        ModularArithmeticWithBrackets t = new ModularArithmeticWithBrackets();
        // R1's cases: (-2+3) → 1 (token 2); (3*(1+4)) → 0 (token 1); -(-3) → 3 (token... given 5 in R1's test)
        check(t.preprocess(new int[] {9, 7, 3, 6, 4, 10}, 2), new int[] {9, 7, 3, 6, 4, 10},
                new int[] {0, 0, 0, 0, 0, 2}, mask(0, 0, 0, 0, 0, 1));
        check(t.preprocess(new int[] {9, 4, 8, 9, 2, 6, 5, 10, 10}, 1), new int[] {9, 4, 8, 9, 2, 6, 5, 10, 10},
                new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, mask(0, 0, 0, 0, 0, 0, 0, 0, 1));
        check(t.preprocess(new int[] {7, 9, 7, 4, 10}, 5), new int[] {7, 9, 7, 4, 10}, new int[] {0, 0, 0, 0, 5},
                mask(0, 0, 0, 0, 1));
        assertThat(InfixEvaluator.mod5("(-2+3)")).isEqualTo(1);
        assertThat(InfixEvaluator.mod5("(3*(1+4))")).isZero();
        assertThat(InfixEvaluator.mod5("-(-3)")).isEqualTo(3);
    }

    @Test
    void solveEquation() {
        SolveEquation t = new SolveEquation();
        check(t.preprocess(new int[] {2, 5, 12, 10, 1, 13}, 4), new int[] {2, 5, 12, 10, 1, 13},
                new int[] {0, 0, 0, 0, 0, 4}, mask(0, 0, 0, 0, 0, 1));
        check(t.preprocess(new int[] {6, 12, 10, 3, 13}, 2), new int[] {6, 12, 10, 3, 13}, new int[] {0, 0, 0, 0, 2},
                mask(0, 0, 0, 0, 1));
        assertThatThrownBy(() -> t.preprocess(new int[] {12, 11, 1, 13}, 5)).hasMessageContaining("5");
    }

    @Test
    void stringTransductions() {
        check(new ReverseString().preprocess(new int[] {1, 2, 2, 3}), new int[] {1, 2, 2, 3},
                new int[] {1, 2, 2, 2, 2, 1}, mask(0, 0, 0, 1, 1, 1));
        check(new DuplicateString().preprocess(new int[] {1, 2, 2, 3}), new int[] {1, 2, 2, 3},
                new int[] {1, 2, 2, 1, 2, 2}, mask(0, 0, 0, 1, 1, 1));
        check(new OddsFirst().preprocess(new int[] {1, 2, 2, 1, 3}), new int[] {1, 2, 2, 1, 3},
                new int[] {0, 0, 0, 0, 1, 2, 2, 1}, mask(0, 0, 0, 0, 1, 1, 1, 1));
        check(new OddsFirst().preprocess(new int[] {2, 3}), new int[] {2, 3}, new int[] {0, 2}, mask(0, 1));
        assertThatThrownBy(() -> new ReverseString().preprocess(new int[] {1, 2})).hasMessageContaining("ACT");
    }

    @Test
    void missingDuplicate() {
        check(new MissingDuplicate().preprocess(new int[] {1, 2, 1, 1, 3, 1}, 2), new int[] {1, 2, 1, 1, 3, 1},
                new int[] {0, 0, 0, 0, 2, 0}, mask(0, 0, 0, 0, 1, 0));
        check(new MissingDuplicate().preprocess(new int[] {2, 3}, 2), new int[] {2, 3}, new int[] {0, 2}, mask(0, 1));
        assertThatThrownBy(() -> new MissingDuplicate().preprocess(new int[] {3, 3}, 1))
                .hasMessageContaining("positions 0 and 1");
    }

    @Test
    void bucketSort() {
        check(new BucketSort().preprocess(new int[] {4, 2, 3, 1, 5, 6}), new int[] {4, 2, 3, 1, 5, 6},
                new int[] {0, 0, 0, 0, 0, 1, 2, 3, 4, 5}, mask(0, 0, 0, 0, 0, 1, 1, 1, 1, 1));
        check(new BucketSort().preprocess(new int[] {1, 6}), new int[] {1, 6}, new int[] {0, 1}, mask(0, 1));
    }

    @Test
    void stackManipulation() {
        StackManipulation t = new StackManipulation();
        TokenExample e = t.preprocess(List.of("ST1", "ST2", "PS2", "POP", "PS1", "POP", "POP", "POP", "ACT"));
        assertThat(e.input()).containsExactly(1, 2, 4, 5, 3, 5, 5, 5, 7);
        int[] target = new int[16];
        target[8] = 6; // EMPTY
        assertThat(e.target()).containsExactly(target);
        assertThat(e.mask()).containsExactly(mask(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
        // ST2 PS1 PS2 POP PS1 → stack bottom→top ST2 ST1 ST1
        TokenExample f = t.preprocess(List.of("ST2", "PS1", "PS2", "POP", "PS1", "ACT"));
        assertThat(f.target()).containsExactly(0, 0, 0, 0, 0, 2, 1, 1, 0, 0);
        assertThat(f.mask()).containsExactly(mask(0, 0, 0, 0, 0, 1, 1, 1, 1, 1));
        assertThatThrownBy(() -> t.preprocess(List.of("ST1", "PUSH", "ACT"))).hasMessageContaining("'PUSH'");
    }

    @Test
    void binaryArithmetic() {
        int[] input = {2, 2, 3, 1, 1, 2, 4}; // 3 + 4, little-endian
        check(new BinaryAddition().preprocess(input), input, new int[] {0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0},
                mask(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1));
        check(new BinaryMultiplication().preprocess(input), input, new int[] {0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 0, 0},
                mask(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1));
        assertThatThrownBy(() -> new BinaryAddition().preprocess(new int[] {3, 2, 2, 4}))
                .hasMessageContaining("bits on both sides");
    }

    @Test
    void computeSqrt() {
        // 00111 little-endian = 28, ⌊√28⌋ = 5 = 101; R1's case carries trigger 4
        check(new ComputeSqrt().preprocess(new int[] {1, 1, 2, 2, 2, 4}), new int[] {1, 1, 2, 2, 2, 4},
                new int[] {0, 0, 0, 0, 0, 2, 1, 2}, mask(0, 0, 0, 0, 0, 1, 1, 1));
        // R1's length adjustment: 6 → 5, 9 → 7, 8 stays
        assertThat(ComputeSqrt.adjustedLength(6)).isEqualTo(5);
        assertThat(ComputeSqrt.adjustedLength(9)).isEqualTo(7);
        assertThat(ComputeSqrt.adjustedLength(8)).isEqualTo(8);
    }
}
