package org.lincde.harness.data.formal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.lincde.harness.data.TokenExample;
import org.lincde.spi.Rng;

/**
 * 1000 seeded generations per task (R1's {@code test_fl_tasks.py} protocol, SPEC §6), each label or
 * target recomputed here from the decoded input by independent means.
 */
class LabelRulePropertyTest {
    private static final int SAMPLES = 1000;

    /** Generates SAMPLES examples with lengths U{min..max} and hands each with its requested range to the check. */
    private static List<TokenExample> run(FormalLanguageTask task, int min, int max,
                                          BiConsumer<TokenExample, Integer> check) {
        Rng root = Rng.seeded(2024).stream("property", task.name());
        List<TokenExample> out = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            TokenExample e = task.sample(root.stream(i), min, max);
            assertThat(e.target()).hasSameSizeAs(e.mask());
            for (int id : e.input()) {
                require(id >= 1 && id < task.vocabSize(), task.name() + ": input id " + id + " in " + e);
            }
            for (int id : e.target()) {
                require(id >= 0 && id < task.vocabSize(), task.name() + ": target id " + id + " in " + e);
            }
            assertThat(e.maskedCount()).isPositive();
            check.accept(e, i);
            out.add(e);
        }
        return out;
    }

    /** A plain check for per-token loops (AssertJ's per-call cost adds up over 1000 samples). */
    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static boolean[] lastOnly(int n) {
        boolean[] m = new boolean[n];
        m[n - 1] = true;
        return m;
    }

    private static boolean[] from(int start, int n) {
        boolean[] m = new boolean[n];
        Arrays.fill(m, start, n, true);
        return m;
    }

    private static int last(int[] a) {
        return a[a.length - 1];
    }

    @Test
    void cycleNavigation() {
        int[] labelCounts = new int[9];
        int[] lengthCounts = new int[11];
        run(new CycleNavigation(), 3, 10, (e, i) -> {
            int[] in = e.input();
            assertThat(in.length).isBetween(3, 10);
            int pos = 0;
            for (int m : in) {
                require(m >= 1 && m <= 3, "move " + m);
                pos = m == 2 ? (pos + 1) % 5 : m == 3 ? (pos + 4) % 5 : pos;
            }
            assertThat(last(e.target())).isEqualTo(4 + pos);
            assertThat(e.mask()).containsExactly(lastOnly(in.length));
            labelCounts[last(e.target())]++;
            lengthCounts[in.length]++;
        });
        for (int label = 4; label <= 8; label++) {
            assertThat(labelCounts[label]).as("label %d", label).isBetween(120, 300);
        }
        for (int l = 3; l <= 10; l++) {
            assertThat(lengthCounts[l]).as("length %d (expected 125)", l).isBetween(80, 170);
        }
    }

    @Test
    void evenPairs() {
        int[] labels = new int[3];
        run(new EvenPairs(), 3, 10, (e, i) -> {
            int[] in = e.input();
            assertThat(in.length).isBetween(3, 10);
            assertThat(last(e.target())).isEqualTo(in[0] == last(in) ? 1 : 2);
            assertThat(e.mask()).containsExactly(lastOnly(in.length));
            labels[last(e.target())]++;
        });
        assertThat(labels[1]).isBetween(420, 580);
        // fixed lengths, as in R1's test
        assertThat(new EvenPairs().sample(Rng.seeded(0), 3, 3).input()).hasSize(3);
        assertThat(new EvenPairs().sample(Rng.seeded(0), 10, 10).input()).hasSize(10);
    }

    @Test
    void parity() {
        int[] labels = new int[3];
        run(new Parity(), 3, 10, (e, i) -> {
            long bs = Arrays.stream(e.input()).filter(s -> s == 2).count();
            assertThat(last(e.target())).isEqualTo(bs % 2 == 0 ? 1 : 2);
            assertThat(e.mask()).containsExactly(lastOnly(e.input().length));
            labels[last(e.target())]++;
        });
        assertThat(labels[1]).isBetween(420, 580);
    }

    private static final String NO_BRACKET_SYMBOLS = "?+-*=01234";

    @Test
    void modularArithmeticWithoutBrackets() {
        run(new ModularArithmetic(), 3, 10, (e, i) -> {
            int[] in = e.input();
            assertThat(in.length % 2).isZero();
            assertThat(in.length).isBetween(4, 10);
            assertThat(last(in)).isEqualTo(4);
            StringBuilder expr = new StringBuilder();
            for (int k = 0; k < in.length - 1; k++) {
                require(k % 2 == 0 ? in[k] >= 5 && in[k] <= 9 : in[k] >= 1 && in[k] <= 3,
                        "token " + in[k] + " at position " + k + " of " + Arrays.toString(in));
                expr.append(NO_BRACKET_SYMBOLS.charAt(in[k]));
            }
            assertThat(last(e.target())).as(expr.toString()).isEqualTo(5 + InfixEvaluator.mod5(expr.toString()));
            assertThat(e.mask()).containsExactly(lastOnly(in.length));
        });
        assertThat(new ModularArithmetic().sample(Rng.seeded(0), 3, 3).input()).hasSize(4);
        assertThat(new ModularArithmetic().sample(Rng.seeded(0), 10, 10).input()).hasSize(10);
    }

    private static final String BRACKET_SYMBOLS = "?01234+-*()=x";

    private static String decode(int[] tokens, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int k = from; k < to; k++) {
            s.append(BRACKET_SYMBOLS.charAt(tokens[k]));
        }
        return s.toString();
    }

    @Test
    void modularArithmeticWithBrackets() {
        run(new ModularArithmeticWithBrackets(), 3, 40, (e, i) -> {
            int[] in = e.input();
            assertThat(in.length).isBetween(3, 40);
            assertThat(last(in)).isEqualTo(11);
            String expr = decode(in, 0, in.length - 1);
            assertThat(expr).doesNotContain("=");
            assertThat(last(e.target())).as(expr).isEqualTo(1 + InfixEvaluator.mod5(expr));
            assertThat(e.mask()).containsExactly(lastOnly(in.length));
        });
    }

    @Test
    void solveEquation() {
        int[] solutions = new int[5];
        run(new SolveEquation(), 3, 40, (e, i) -> {
            int[] in = e.input();
            int n = in.length;
            assertThat(n).isBetween(4, 40); // R1 raises the minimum length to 4
            assertThat(last(in)).isEqualTo(13);
            assertThat(in[n - 3]).isEqualTo(11);
            String expr = decode(in, 0, n - 3);
            assertThat(expr.chars().filter(c -> c == 'x').count()).isEqualTo(1);
            int solution = last(e.target());
            assertThat(solution).isBetween(0, 4);
            String substituted = expr.replace("x", Integer.toString(solution));
            assertThat(in[n - 2] - 1).as(substituted).isEqualTo(InfixEvaluator.mod5(substituted));
            assertThat(e.mask()).containsExactly(lastOnly(n));
            solutions[solution]++;
        });
        for (int v = 0; v < 5; v++) {
            assertThat(solutions[v]).as("hidden digit %d", v).isBetween(130, 270);
        }
    }

    /** Input {@code s ‖ 3} with |s| = ⌈L/2⌉ for L in [3, 10]: 3..6 tokens; target of length 2|s|. */
    private static int[] checkStringInput(TokenExample e) {
        int[] in = e.input();
        assertThat(in.length).isBetween(3, 6);
        assertThat(last(in)).isEqualTo(3);
        int[] s = Arrays.copyOf(in, in.length - 1);
        assertThat(Arrays.stream(s).allMatch(v -> v == 1 || v == 2)).as(Arrays.toString(s)).isTrue();
        assertThat(e.target()).hasSize(2 * s.length);
        assertThat(e.mask()).containsExactly(from(s.length, 2 * s.length));
        return s;
    }

    @Test
    void reverseString() {
        run(new ReverseString(), 3, 10, (e, i) -> {
            int[] s = checkStringInput(e);
            for (int k = 0; k < s.length; k++) {
                require(e.target()[k] == s[k] && e.target()[s.length + k] == s[s.length - 1 - k], e.toString());
            }
        });
    }

    @Test
    void duplicateString() {
        run(new DuplicateString(), 3, 10, (e, i) -> {
            int[] s = checkStringInput(e);
            for (int k = 0; k < s.length; k++) {
                require(e.target()[k] == s[k] && e.target()[s.length + k] == s[k], e.toString());
            }
        });
    }

    @Test
    void oddsFirst() {
        run(new OddsFirst(), 3, 10, (e, i) -> {
            int[] s = checkStringInput(e);
            List<Integer> expected = new ArrayList<>();
            for (int k = 0; k < s.length; k++) {
                expected.add(0);
            }
            for (int k = 1; k <= s.length; k++) { // 1-based odd positions first
                if (k % 2 == 1) {
                    expected.add(s[k - 1]);
                }
            }
            for (int k = 1; k <= s.length; k++) {
                if (k % 2 == 0) {
                    expected.add(s[k - 1]);
                }
            }
            assertThat(e.target()).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    @Test
    void missingDuplicate() {
        run(new MissingDuplicate(), 3, 10, (e, i) -> {
            int[] in = e.input();
            assertThat(in.length % 2).isZero();
            assertThat(in.length).isBetween(4, 10);
            int half = in.length / 2;
            int marker = -1;
            for (int k = 0; k < half; k++) {
                require(in[k] == 1 || in[k] == 2, e.toString());
                if (in[half + k] == 3) {
                    require(marker < 0, "two markers in " + e);
                    marker = half + k;
                } else {
                    require(in[half + k] == in[k], e.toString());
                }
            }
            assertThat(marker).isNotNegative();
            int[] target = new int[in.length];
            target[marker] = in[marker - half];
            assertThat(e.target()).containsExactly(target);
            assertThat(e.maskedCount()).isEqualTo(1);
            assertThat(e.mask()[marker]).isTrue();
        });
    }

    @Test
    void bucketSort() {
        run(new BucketSort(), 3, 10, (e, i) -> {
            int[] in = e.input();
            int n = in.length - 1;
            assertThat(n).isBetween(2, 5);
            assertThat(last(in)).isEqualTo(6);
            int[] counts = new int[6];
            for (int k = 0; k < n; k++) {
                counts[in[k]]++;
            }
            int[] expected = new int[2 * n];
            int k = n;
            for (int v = 1; v <= 5; v++) {
                for (int c = 0; c < counts[v]; c++) {
                    expected[k++] = v;
                }
            }
            assertThat(e.target()).containsExactly(expected);
            assertThat(e.mask()).containsExactly(from(n, 2 * n));
        });
    }

    @Test
    void stackManipulation() {
        int[] empties = new int[1];
        run(new StackManipulation(), 3, 40, (e, i) -> {
            int[] in = e.input();
            int act = in.length - 1;
            assertThat(in[act]).isEqualTo(7);
            int total = e.target().length;
            assertThat(total % 2).isZero();
            assertThat(total).isBetween(4, 40);
            assertThat(in.length).isLessThanOrEqualTo(total / 2 + 1);
            Deque<Integer> stack = new ArrayDeque<>();
            for (int k = 0; k < act; k++) {
                switch (in[k]) {
                    case 1, 2 -> {
                        require(k == stack.size(), "initial items come first: " + e);
                        stack.addLast(in[k]);
                    }
                    case 3, 4 -> stack.addLast(in[k] - 2);
                    case 5 -> {
                        require(!stack.isEmpty(), "no POP on an empty stack: " + e);
                        stack.removeLast();
                    }
                    default -> throw new AssertionError("token " + in[k]);
                }
            }
            int[] expected = new int[total];
            if (stack.isEmpty()) {
                expected[act] = 6;
                empties[0]++;
            } else {
                int k = act;
                for (int item : stack) { // bottom to top
                    expected[k++] = item;
                }
            }
            assertThat(e.target()).containsExactly(expected);
            assertThat(e.mask()).containsExactly(from(act, total));
        });
        assertThat(empties[0]).isPositive();
    }

    private static BigInteger number(int[] tokens, int from, int to) {
        StringBuilder bigEndian = new StringBuilder();
        for (int k = to - 1; k >= from; k--) {
            bigEndian.append(tokens[k] - 1);
        }
        return new BigInteger(bigEndian.toString(), 2);
    }

    private void binary(BinaryArithmetic task, boolean multiply) {
        run(task, 3, 40, (e, i) -> {
            int[] in = e.input();
            int n = in.length - 1;
            assertThat(2 * n).isBetween(6, 40); // minimum length raised to 5, rounded up to 6
            assertThat(in[n]).isEqualTo(4);
            int op = -1;
            for (int k = 0; k < n; k++) {
                if (in[k] == 3) {
                    op = k;
                }
            }
            assertThat(op).isBetween(1, n - 2);
            assertThat(in[op - 1]).as("first number's most significant bit").isEqualTo(2);
            assertThat(in[n - 1]).as("second number's most significant bit").isEqualTo(2);
            BigInteger a = number(in, 0, op);
            BigInteger b = number(in, op + 1, n);
            BigInteger expected = multiply ? a.multiply(b) : a.add(b);
            int[] t = e.target();
            assertThat(t).hasSize(2 * n);
            for (int k = 0; k < n; k++) {
                require(t[k] == 0, e.toString());
            }
            int end = t.length;
            while (t[end - 1] == 0) {
                end--;
            }
            assertThat(number(t, n, end)).isEqualTo(expected);
            assertThat(e.mask()).containsExactly(from(n, 2 * n));
        });
    }

    @Test
    void binaryAddition() {
        binary(new BinaryAddition(), false);
    }

    @Test
    void binaryMultiplication() {
        binary(new BinaryMultiplication(), true);
    }

    @Test
    void computeSqrt() {
        run(new ComputeSqrt(), 3, 40, (e, i) -> {
            int[] in = e.input();
            int c = in.length - 1;
            assertThat(in[c]).isEqualTo(3);
            assertThat(in[c - 1]).isEqualTo(2);
            int total = e.target().length;
            assertThat(total % 6).isNotIn(0, 3);
            assertThat(c).isEqualTo(Math.max(1, 2 * total / 3));
            BigInteger n = number(in, 0, c);
            int[] t = e.target();
            int end = t.length;
            while (t[end - 1] == 0) {
                end--;
            }
            BigInteger r = number(t, c, end);
            assertThat(r.multiply(r)).isLessThanOrEqualTo(n);
            assertThat(r.add(BigInteger.ONE).pow(2)).isGreaterThan(n);
            assertThat(e.mask()).containsExactly(from(c, total));
        });
    }

    @Test
    void everyTaskIsAPureFunctionOfItsStream() {
        for (String name : FormalLanguageTasks.names()) {
            FormalLanguageTask task = FormalLanguageTasks.byName(name);
            for (int i = 0; i < 20; i++) {
                assertThat(task.sample(Rng.seeded(5).stream(i), 3, 60))
                        .isEqualTo(task.sample(Rng.seeded(5).stream(i), 3, 60));
            }
        }
    }
}
